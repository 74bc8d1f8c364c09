import type { JsonValue } from '../core/model/object.js'

/** Where a chart comes from, once the core has chosen its version (H-2 … H-6, H-17, H-18). */
export type ChartSource =
  /** A packaged chart from a Helm HTTP repository index: `url` is the resolved .tgz URL. */
  | { type: 'http'; chart: string; version: string; url: string; digest?: string }
  /** A chart in an OCI registry: `ref` is `oci://host/path/chart`, `tag` the version tag. */
  | { type: 'oci'; ref: string; tag?: string; digest?: string; insecure?: boolean }
  /** A chart folder from a Git artifact: files keyed by path relative to `root`; `chartDir` inside it. */
  | { type: 'files'; files: Map<string, Uint8Array>; chartDir: string; key: string }

/** One `helm template` run. */
export interface TemplateRequest {
  chart: ChartSource
  releaseName: string
  namespace: string
  /** Merged user values (H-7); coalesced with the chart defaults by Helm (H-9). */
  values: JsonValue
  /** H-4: when set, these files (chart-relative paths for packaged charts) replace the chart's values.yaml. */
  valuesFiles?: string[]
  ignoreMissingValuesFiles?: boolean
  /** Skip values.schema.json validation (H-15). */
  skipSchemaValidation?: boolean
  /** Leave hooks out (H-15 disableHooks, H-16 post-render strategy nohooks). */
  noHooks?: boolean
  /** Leave `helm test` hooks out: they only run when the HelmRelease enables tests. */
  skipTests?: boolean
  kubeVersion?: string
  /**
   * H-5: build metadata helm-controller appends to `.Chart.Version`: `revision` adds the given
   * text (`+<commit12>`), `digest` adds the first 12 hex of the pulled OCI artifact's digest.
   */
  versionMetadata?: { revision: string } | 'digest'
  /** Extra `.Capabilities.APIVersions` (`group/version` and `group/version/Kind`): the CRDs the fleet installs. */
  apiVersions?: string[]
}

/** The rendered manifest, split as helm-controller applies it (H-14). */
export type TemplateResult =
  | {
      ok: true
      manifest: string
      crds: string
      chartName: string
      chartVersion: string
      /** The chart's templates call `lookup`, which `helm template` answers with nothing (H-13). */
      usesLookup?: boolean
    }
  /** `unavailable`: the chart could not be fetched (network, registry): a values-only fallback, not a render error. */
  | { ok: false; error: string; unavailable?: boolean }

/** Text fetched over HTTP, or why not. */
export type FetchResult = { ok: true; text: string } | { ok: false; error: string }

/**
 * Helm and chart registries, behind one port so the core stays pure: the infra
 * implementation runs the real `helm` binary and fetches over HTTP/OCI with its own cache.
 */
export interface HelmRunner {
  /**
   * Names the helm that renders (binary and version), when known: a render kept in a cache
   * beyond this process is only reused by the same helm.
   */
  readonly cacheIdentity?: string
  /** `<repoUrl>/index.yaml` of a Helm HTTP repository. */
  fetchIndex(repoUrl: string): Promise<FetchResult>
  /** Tags of an OCI repository (`oci://host/path/chart`). */
  listTags(ref: string, insecure?: boolean): Promise<{ ok: true; tags: string[] } | { ok: false; error: string }>
  /** Renders a chart with `helm template`; charts are cached by URL, version and digest. */
  template(req: TemplateRequest): Promise<TemplateResult>
  /**
   * Resolves once the host has seen to the renders under way (read their output, noted their
   * exits, started the queued ones). A walk computes for seconds without awaiting: while
   * releases rendered ahead of their turn are under way, it calls this between units, so that
   * they run beside it rather than after it. Absent: the runner needs no such turn.
   */
  yieldToRenders?(): Promise<void>
}

import type { Clock } from '../../ports/clock.js'
import type { FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { Logger } from '../../ports/logger.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { clusterEntries, discoverClusters, type ClusterEntry } from '../load/clusters.js'
import type { ClusterValues } from '../load/cluster-values.js'
import { pushedArtifacts } from '../load/workflows.js'
import type { ClusterCandidate, ClusterRender, FleetRender } from '../model/render-result.js'
import { phase } from '../timings/phases.js'
import type { UnitMemo } from './flux/unit-memo.js'
import { renderClusters } from './flux/walker.js'
import { DeclaredValues } from './values/creators.js'

/** Options of a fleet render; defaults follow Flux 2.9 (9.1). */
export interface RenderOptions {
  /** The commit SHA being rendered (reported as is). */
  revision: string
  /** Cluster entry paths; default: discovered (gotk-sync.yaml, FluxInstance sync, `clusters/` folders). */
  paths?: string[]
  /** URL of the repository under review: GitRepositories with this URL render from `tree` (G-1). */
  repoUrl?: string
  /** The branch this revision stands for; GitRepositories of this repository on other refs are external (G-10). */
  branch?: string
  /** kc StrictPostBuildSubstitutions gate (S-11); default true (Flux 2.9). */
  strictSubstitution?: boolean
  /** Fetch charts from HelmRepositories/OCI registries; otherwise values-only (default false). */
  allowRemoteCharts?: boolean
  /** Values of ConfigMaps/Secrets that live only in the cluster (`clusterValues`, src/core/load/cluster-values.ts). */
  clusterValues?: ClusterValues
  /** Why remote charts are not fetched (`--offline`, an untrusted change): said once per cluster. */
  remoteChartsOff?: string
  /** Why helm is not run, when the caller withholds it (an untrusted change). */
  helmOff?: string
  /**
   * Sources that carry this repository: `Kind/namespace/name` → repository folder (the
   * settings' `sources:` and `--source`). OCIRepositories a workflow pushes are found alone.
   */
  sources?: ReadonlyMap<string, string>
  /** Names of remote (kubeConfig) clusters, keyed by the kubeConfig Secret's `namespace/name`. */
  clusterNames?: ReadonlyMap<string, string>
}

/** What a fleet render reaches outside the core; each is optional. */
export interface RenderPorts {
  helm?: HelmRunner
  logger?: Logger
  /** Times the render (`durationMs`); without one it is reported as 0. */
  clock?: Clock
  /**
   * Reuses earlier renders of Flux Kustomizations and HelmReleases whose read-sets are
   * unchanged (an earlier tree rendered with the same memo: the base of a pull request).
   */
  units?: UnitMemo
}

/**
 * Renders every cluster of a repository tree as Flux would apply it: the single entry point
 * for diff, report and gate. Helm and registries are reached only through `ports.helm`.
 */
export async function renderFleet(tree: FileTree, opts: RenderOptions, ports: RenderPorts = {}): Promise<FleetRender> {
  const started = ports.clock?.now() ?? 0
  const diagnostics: Diagnostic[] = []
  const given = opts.paths && opts.paths.length > 0
  const discovery = given ? undefined : phase('walk: cluster discovery', () => discoverClusters(tree, opts.repoUrl ? { repoUrl: opts.repoUrl } : {}))
  const entries: ClusterEntry[] = discovery ? discovery.entries : clusterEntries(opts.paths!)
  if (discovery && entries.length === 0) diagnostics.push(noneFound(discovery.candidates))
  const declared = new DeclaredValues(tree)
  const pushed = pushedArtifacts(tree, opts.repoUrl)
  // Clusters render side by side: each walk runs until it waits for helm, and the next
  // cluster's Kustomizations are built meanwhile instead of the process idling while helm
  // templates. Each walk is independent of the others (its own owners, values and results),
  // and the results are kept in entry order, so the output is the same as one after another.
  const rendered = await Promise.all(entries.map((entry) => {
    ports.logger?.info(`rendering cluster ${entry.name} (${entry.path || '.'})`)
    return renderClusters(
      tree,
      entry,
      {
        ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}),
        ...(opts.clusterValues ? { clusterValues: opts.clusterValues } : {}),
        ...(opts.branch ? { branch: opts.branch } : {}),
        strictSubstitution: opts.strictSubstitution ?? true,
        revision: opts.revision,
        allowRemoteCharts: opts.allowRemoteCharts ?? false,
        ...(opts.remoteChartsOff ? { remoteChartsOff: opts.remoteChartsOff } : {}),
        ...(opts.helmOff ? { helmOff: opts.helmOff } : {}),
        ...(opts.sources ? { sources: opts.sources } : {}),
        ...(opts.clusterNames ? { clusterNames: opts.clusterNames } : {}),
        ...(pushed.length > 0 ? { pushed } : {}),
        ...(ports.units ? { units: ports.units } : {}),
      },
      ports.helm,
      declared,
    )
  }))
  const clusters: ClusterRender[] = rendered.flat()
  return {
    revision: opts.revision,
    clusters: uniqueNames(clusters),
    diagnostics,
    durationMs: ports.clock ? ports.clock.now() - started : 0,
    ...(discovery ? { discovery: discovery.candidates } : {}),
  }
}

/** "No cluster found", with every candidate discovery weighed and why it was not taken. */
function noneFound(candidates: ClusterCandidate[]): Diagnostic {
  const shown = candidates.slice(0, 12).map((c) => `${c.path || '.'}: ${c.reason}`)
  const more = candidates.length > shown.length ? `; and ${candidates.length - shown.length} more` : ''
  const why = shown.length > 0 ? ` Candidates: ${shown.join('; ')}${more}.` : ' The repository has no gotk-sync.yaml, no FluxInstance with a sync path and no clusters/ folder.'
  return { code: 'cluster/none-found', severity: 'error', message: `no cluster found: nothing in the repository says what Flux syncs; pass --path.${why}` }
}

/**
 * Remote clusters of two hubs can share a kubeConfig name (each hub's spokes keep theirs in
 * the same namespace): those take their hub's name in front, so every cluster name is unique.
 */
function uniqueNames(clusters: ClusterRender[]): ClusterRender[] {
  const count = new Map<string, number>()
  for (const c of clusters) count.set(c.name, (count.get(c.name) ?? 0) + 1)
  return clusters.map((c) => {
    if ((count.get(c.name) ?? 0) < 2 || !c.remote || c.name.startsWith(`${c.remote.hub}/`)) return c
    const name = `${c.remote.hub}/${c.name}`
    return { ...c, name, diagnostics: c.diagnostics.map((d) => (d.cluster === c.name ? { ...d, cluster: name } : d)) }
  })
}

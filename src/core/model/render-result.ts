import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js'
import type { JsonValue, KubeObject } from './object.js'

/**
 * The object that applies a rendered object: a Flux Kustomization or HelmRelease, or a Flux
 * Operator ResourceSet (which applies the resources it generates from its inputs).
 */
export interface OwnerRef {
  kind: 'Kustomization' | 'HelmRelease' | 'ResourceSet'
  namespace: string
  name: string
}

/** `Kustomization/flux-system/apps` */
export function ownerKey(o: OwnerRef): string {
  return `${o.kind}/${o.namespace}/${o.name}`
}

/** One object Flux would apply, tagged with who applies it. */
export interface RenderedObject {
  object: KubeObject
  owner: OwnerRef
  /** The file the object came from, when it is a plain manifest in the repository. */
  source?: SourceLocation
  /** True when the object holds SOPS-encrypted data Flux would decrypt (K-17); never decrypted here. */
  sops?: boolean
  /**
   * A generated Secret whose generator input files (listed) Flux decrypts before the build: its
   * values, and the hash suffix kustomize gives its name (shown as `***`), are unknown offline.
   */
  encryptedInput?: string[]
}

/**
 * A SOPS document whose identity (apiVersion, kind, name or namespace) is ciphertext in Git: a
 * whole-file encryption. Only its file says what it is, so it is listed and compared by file,
 * never as an object. Its content stays in memory for that comparison and is never shown,
 * hashed or printed.
 */
export interface EncryptedObject {
  owner: OwnerRef
  /** The file (and the line of the document); the file is the comparison key. */
  source?: SourceLocation
  /** The document as kustomize built it, ciphertext included: compared, never shown. */
  content: JsonValue
  /** Its `data`/`stringData` keys (SOPS leaves keys in clear). */
  keys: string[]
}

export type OwnerStatus =
  /** Built and every object is in `objects`. */
  | 'rendered'
  /** Build failed: see diagnostics; `objects` holds nothing for this owner. */
  | 'failed'
  /** Its source is outside the repository (OCIRepository, Bucket, another Git repository...). */
  | 'external'
  /** A HelmRelease whose chart or helm could not be had: only values and version are compared. */
  | 'values-only'

/** A Kustomization or HelmRelease found while walking a cluster, with what Flux needs of it. */
export interface RenderedOwner {
  ref: OwnerRef
  /** The Flux object itself as rendered by its parent (after the parent's overlays and substitution). */
  object: KubeObject
  /** Who applies this Flux object; undefined for the cluster's entry Kustomization. */
  parent?: OwnerRef
  status: OwnerStatus
  /** Kustomization `spec.prune` (a HelmRelease's chart objects are removed by helm: true). */
  prune: boolean
  suspended: boolean
  dependsOn: OwnerRef[]
  /** Where the object is declared in the repository, when known. */
  location?: SourceLocation
  /** For HelmReleases: what was rendered, for reports and the values-only fallback. */
  helm?: {
    chart: string
    version: string
    releaseName: string
    namespace: string
    /** Merged values; Secret-sourced values are replaced by the `***` marker (never the value). */
    values: JsonValue
  }
  /** Why it was not rendered, for `external` / `values-only` / `failed`. */
  note?: string
  /**
   * Plain values this owner took from Secrets: postBuild `substituteFrom` Secret variables and
   * HelmRelease `valuesFrom` Secret values. Only src/core/mask reads them, to strip them from
   * every output; never print them.
   */
  secretValues?: string[]
}

/**
 * Where a cluster's root Kustomization (the one that applies the entry folder) came from:
 * - `bootstrap`: `flux bootstrap`'s gotk-sync.yaml in Git;
 * - `kustomization`: another Kustomization in Git whose path is the entry folder;
 * - `flux-instance`: a Flux Operator FluxInstance's `spec.sync` (with its kustomize patches);
 * - `synthesised`: nothing in Git defines it; made as `flux bootstrap` would.
 */
export interface ClusterRoot {
  from: 'bootstrap' | 'kustomization' | 'flux-instance' | 'synthesised'
  kustomization: OwnerRef
  source: { kind: string; namespace: string; name: string }
  /** The file that defines it (gotk-sync.yaml, the Kustomization, the FluxInstance). */
  location?: SourceLocation
}

/** The Secret (or ConfigMap) a Kustomization's or HelmRelease's `spec.kubeConfig` names. */
export interface KubeConfigRef {
  kind: 'Secret' | 'ConfigMap'
  namespace: string
  name: string
}

/** Everything one cluster (entry path) yields. */
export interface ClusterRender {
  /**
   * Cluster name: the entry folder's path below `clusters/`, else its base name
   * (`clusters/staging` → `staging`); for a remote cluster, its kubeConfig reference
   * (`production/cluster-kubeconfig`) unless the settings name it.
   */
  name: string
  /** Entry path, repository-relative (`clusters/staging`); for a remote cluster, its hub's. */
  path: string
  owners: RenderedOwner[]
  objects: RenderedObject[]
  /** Documents whose identity is SOPS ciphertext (never part of `objects`). */
  encrypted?: EncryptedObject[]
  diagnostics: Diagnostic[]
  /** How the root Kustomization was found (not set for a remote cluster). */
  root?: ClusterRoot
  /**
   * Set for a cluster that the hub at `path` reaches through `spec.kubeConfig`: its objects
   * are the ones owners with that kubeConfig apply. Its owners live in the hub.
   */
  remote?: { hub: string; kubeConfig: KubeConfigRef }
}

/** The key that matches one cluster across two renders: its entry path, and its kubeConfig for a remote one. */
export function clusterKey(c: Pick<ClusterRender, 'path' | 'remote'>): string {
  return c.remote ? `${c.path}@${c.remote.kubeConfig.kind}/${c.remote.kubeConfig.namespace}/${c.remote.kubeConfig.name}` : c.path
}

/**
 * Whether a cluster's render can no longer change: frozen down to its lists (a walk kept by a
 * ClusterMemo or FleetMemo, shared push after push), so what is worked out from it may be kept
 * beside it (its plan, its secret values, the gate's objects).
 */
export function isFrozenRender(c: ClusterRender): boolean {
  return Object.isFrozen(c) && Object.isFrozen(c.objects) && Object.isFrozen(c.owners)
}

/** A folder or object that discovery looked at, and what it made of it. */
export interface ClusterCandidate {
  path: string
  accepted: boolean
  /** Why it is (or is not) a cluster, for a person. */
  reason: string
  location?: SourceLocation
}

/** A whole repository at one revision. */
export interface FleetRender {
  /** The commit SHA rendered. */
  revision: string
  clusters: ClusterRender[]
  diagnostics: Diagnostic[]
  /** Wall-clock milliseconds the render took. */
  durationMs: number
  /** What cluster discovery considered (set when the clusters were discovered, not given). */
  discovery?: ClusterCandidate[]
}

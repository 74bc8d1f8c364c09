import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js'
import type { JsonValue, KubeObject } from './object.js'
import type { KubeConfigRef, OwnerRef } from './render-result.js'
import type { ResourceId } from './resource-id.js'

/**
 * The plan of a pull request: what the merge changes on each cluster, base render against
 * head render. Produced by src/core/diff + src/core/prune; read by the report presenters,
 * the gate, image-update pull requests and the post-merge reconcile.
 *
 * Masking guarantee: every KubeObject, value and diff text in a Plan has already had Secret
 * data, Secret-sourced substitutions and Secret-sourced Helm values replaced by markers
 * (`***`, `*** (before)` / `*** (after)`, src/core/mask/markers.ts). Nothing downstream needs to mask again.
 */
export type ChangeAction = 'added' | 'changed' | 'removed' | 'moved'

/** Flux garbage collection for a removed object: deleted (prune on), orphaned (prune off or protected). */
export type PruneAction = 'delete' | 'orphan'

export interface FieldChange {
  /** JSON-pointer-like path: `spec/template/spec/containers/0/image`. */
  path: string
  before?: JsonValue
  after?: JsonValue
}

export interface ObjectChange {
  action: ChangeAction
  id: ResourceId
  apiVersion: string
  /** The owner in head (added/changed/moved) or in base (removed). */
  owner: OwnerRef
  /** For `moved`: the owner in base. */
  previousOwner?: OwnerRef
  /** For `removed` only: what Flux's garbage collection will do. */
  prune: PruneAction | null
  /** Why it is orphaned or protected (`prune: false`, `prune-disabled annotation` ...). */
  pruneReason?: string
  /** Namespace, PVC, PV, CRD, StatefulSet or another kind that holds data. */
  highRisk: boolean
  before?: KubeObject
  after?: KubeObject
  fields: FieldChange[]
  /** Unified diff of the normalized YAML (masked); empty for added/removed when not asked for. */
  diff: string
  /** Where the head (or base) object is declared, when known. */
  source?: SourceLocation
  /** A caution for the reviewer: a move that may delete and recreate (P-16), a suspended owner (K-19). */
  note?: string
  /**
   * What SOPS hides of it (K-17): `identity`, a whole-file SOPS document compared by file (`id`
   * is a stand-in: kind ENCRYPTED_KIND, name = the file); `input`, a generated Secret whose
   * generator input Flux decrypts before the build (values and name hash unknown); `data`, an
   * object whose SOPS-encrypted values changed (the plaintext may be the same).
   */
  encrypted?: 'identity' | 'input' | 'data'
  /**
   * Paths that differ in Git but that the owner Kustomization's `spec.ignore` keeps at their
   * in-cluster value (masked like `fields`); they are not in `fields` or `diff`.
   */
  ignored?: FieldChange[]
}

/**
 * An object whose only differences between base and head are paths its Kustomization's
 * `spec.ignore` keeps at the in-cluster value: the apply leaves it unchanged, so it is not a
 * change; listed so a reviewer sees why an edit in Git does nothing.
 */
export interface IgnoredChange {
  id: ResourceId
  apiVersion: string
  owner: OwnerRef
  /** The ignored paths with their Git values, masked. */
  fields: FieldChange[]
  source?: SourceLocation
}

/** How far a chart version moved (semantic versions; `other` for digests, ranges, renames). */
export type ChartBump = 'major' | 'minor' | 'patch' | 'prerelease' | 'build' | 'downgrade' | 'other'

/** A HelmRelease's chart version as resolved in base and in head, when they differ. */
export interface ChartChange {
  /** The chart's name in head (base's when it was renamed: `before` then says so). */
  chart: string
  /** `6.5.0`, or `podinfo 6.5.0` when the chart name changed too. */
  before: string
  after: string
  bump: ChartBump
  /**
   * The source whose change moved the version when the HelmRelease itself did not change
   * (`OCIRepository flux-system/podinfo`, `HelmChart apps/podinfo`).
   */
  via?: string
}

/** Per-owner counts for the report's table. */
export interface OwnerSummary {
  ref: OwnerRef
  parent?: OwnerRef
  dependsOn: OwnerRef[]
  /** Owner itself added, removed, changed in spec, or unchanged (its objects may still change). */
  state: 'added' | 'removed' | 'changed' | 'unchanged'
  status: 'rendered' | 'failed' | 'external' | 'values-only'
  counts: Record<ChangeAction, number>
  suspended: boolean
  note?: string
  /** For a HelmRelease: its chart version moved (from its own spec, its OCIRepository or HelmChart). */
  chart?: ChartChange
}

/**
 * Objects of the base render whose fate this change leaves open, grouped by owner:
 * - `apply-fails`: Flux would fail to apply the owner in head (a build or apply error), so it
 *   applies and prunes nothing and the objects stay on the cluster as they are;
 * - `not-comparable`: the head cannot be read offline (its source became external, a remote
 *   base, a chart that cannot be rendered), so what Flux will do to them is unknown, deletion
 *   included.
 * They are never listed as removed, and never silently dropped: the gate acts on them.
 */
export interface UnknownObjects {
  owner: OwnerRef
  state: 'apply-fails' | 'not-comparable'
  reason: string
  objects: { id: ResourceId; apiVersion: string; source?: SourceLocation }[]
}

export interface ClusterPlan {
  name: string
  /** The entry path; for a remote cluster, its hub's. */
  path: string
  /** A cluster its hub reaches through `spec.kubeConfig` (see ClusterRender.remote). */
  remote?: { hub: string; kubeConfig: KubeConfigRef }
  changes: ObjectChange[]
  /** Base objects this change leaves open (see UnknownObjects); empty when every owner compared. */
  unknown: UnknownObjects[]
  /** Objects left unchanged because `spec.ignore` keeps their only differing paths. */
  ignored?: IgnoredChange[]
  owners: OwnerSummary[]
  diagnostics: Diagnostic[]
  /** The live view (`diff --live`): changes and drift as the cluster sees them (src/core/live). */
  live?: LiveView
}

export interface Plan {
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
  clusters: ClusterPlan[]
  diagnostics: Diagnostic[]
  /** Wall-clock milliseconds for both renders and the diff. */
  durationMs: number
}

/**
 * What one cluster really runs against what the merge will apply, from server-side apply dry
 * runs (so API-server defaults and mutating webhooks are in both sides). Masked like the plan:
 * no Secret value, Secret-sourced value or token appears anywhere in it.
 */
export interface LiveView {
  /** The kubeconfig context the view was read from. */
  context: string
  /** What the merge changes on the cluster: dry-run of the base render against dry-run of the head render. */
  changes: LiveChange[]
  /** Objects whose live state already differs from the base render: changed behind Flux's back. */
  drift: LiveChange[]
  /** Where the prune plan and Flux's inventories disagree. */
  inventory: InventoryFinding[]
  /** Objects compared, for the summary line. */
  checked: number
  diagnostics: Diagnostic[]
}

/** One object's difference, normalized and masked. */
export interface LiveChange {
  /**
   * For changes: added / changed / removed by the merge. For drift: `changed` (live differs),
   * `missing` (in the base render, not on the cluster), `unmanaged` (the merge adds it but it
   * already exists).
   */
  action: 'added' | 'changed' | 'removed' | 'missing' | 'unmanaged'
  id: ResourceId
  apiVersion: string
  owner: OwnerRef
  fields: FieldChange[]
  /** Unified diff of the normalized YAML (masked). */
  diff: string
}

/**
 * A disagreement between the render's prune plan and a Kustomization's `status.inventory`
 * (P-1, P-4):
 * - `not-in-inventory`: the render says Flux prunes the object, but the inventory does not hold
 *   it, so Flux will leave it alone;
 * - `unplanned-prune`: the inventory holds an object the head render no longer contains, so
 *   Flux will prune it, but the plan does not say so.
 */
export interface InventoryFinding {
  type: 'not-in-inventory' | 'unplanned-prune'
  owner: OwnerRef
  id: ResourceId
  /** The inventory entry id (`<ns>_<name>_<group>_<kind>`). */
  inventoryId: string
  message: string
}

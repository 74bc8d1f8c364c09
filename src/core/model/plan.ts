import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js'
import type { JsonValue, KubeObject } from './object.js'
import type { OwnerRef } from './render-result.js'
import type { ResourceId } from './resource-id.js'
import type { LiveView } from '../live/types.js'

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
}

export interface ClusterPlan {
  name: string
  path: string
  changes: ObjectChange[]
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

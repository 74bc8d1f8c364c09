import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { ObjectRef } from '../../ports/cluster.js'

/** What a reconcile target is: a source Flux fetches, or an object that applies manifests. */
export type TargetRole = 'source' | 'kustomization' | 'helmrelease'

/** One Flux object to ask for a reconcile. */
export interface ReconcileTarget {
  ref: ObjectRef
  role: TargetRole
  /** `Kind/namespace/name` of the targets that must finish first (dependsOn, then parent). */
  after: string[]
  /** For Kustomizations: the source whose artifact revision they must apply. */
  source?: ObjectRef
}

/** What to reconcile on one cluster after a merge, in order. */
export interface ReconcilePlan {
  cluster: string
  /** Sources to refresh first (the repository's GitRepository). */
  sources: ReconcileTarget[]
  /** Kustomizations and HelmReleases in dependsOn order (parents before children). */
  targets: ReconcileTarget[]
  /** Affected owners that are not asked: removed by the merge (their parent prunes them). */
  notes: { ref: ObjectRef; note: string }[]
}

export type TargetOutcome = 'succeeded' | 'failed' | 'stalled' | 'timed-out' | 'suspended' | 'skipped' | 'not-found'

/** What happened to one target. Messages are Flux's own condition messages. */
export interface TargetResult {
  ref: ObjectRef
  role: TargetRole
  outcome: TargetOutcome
  /** The revision applied (or attempted, on failure). */
  revision?: string
  /** Ready condition reason and message, quoted from the object's status. */
  reason?: string
  message?: string
  /** From the request to the verdict. */
  durationMs: number
}

/** Every result of one cluster; `ok` when nothing failed, stalled or timed out. */
export interface ReconcileReport {
  cluster: string
  context: string
  mergeSha: string
  ok: boolean
  results: TargetResult[]
  diagnostics: Diagnostic[]
  durationMs: number
}

/** Limits of the waits; every wait ends in a verdict or a time-out. */
export interface ReconcileTimeouts {
  /** Per source: until its artifact holds the merge commit (default 5 min). */
  sourceMs: number
  /** Per Kustomization/HelmRelease: until Ready says applied or failed (default 5 min). */
  objectMs: number
  /** Poll interval once a watch has broken (default 2 s, as `flux reconcile`). */
  pollMs: number
}

export const DEFAULT_TIMEOUTS: ReconcileTimeouts = Object.freeze({ sourceMs: 300_000, objectMs: 300_000, pollMs: 2_000 })

/** `Kustomization/flux-system/apps` */
export function refKey(ref: ObjectRef): string {
  return `${ref.kind}/${ref.namespace ?? ''}/${ref.name}`
}

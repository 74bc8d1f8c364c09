import type { ClusterPlan, ObjectChange, Plan } from '../core/model/plan.js'

/** Counts a reviewer reads first, in Atlantis's words: to add, change, delete, orphan, move. */
export interface Totals {
  add: number
  change: number
  delete: number
  orphan: number
  move: number
  highRisk: number
  /**
   * Objects whose fate the plan cannot tell: base objects whose owner cannot be compared in
   * head, and changes of a kind this report does not know.
   */
  unknown: number
  /** Base objects that stay as they are because Flux fails to apply their owner in head. */
  held: number
  errors: number
  warnings: number
}

/** Totals of one cluster. */
export function clusterTotals(c: ClusterPlan): Totals {
  const t = emptyTotals()
  for (const g of c.unknown) t[g.state === 'apply-fails' ? 'held' : 'unknown'] += g.objects.length
  for (const ch of c.changes) {
    if (ch.action === 'added') t.add++
    else if (ch.action === 'changed') t.change++
    else if (ch.action === 'moved') t.move++
    else if (ch.action === 'removed') {
      if (ch.prune === 'delete') t.delete++
      else t.orphan++
    } else t.unknown++
    if (ch.highRisk) t.highRisk++
  }
  for (const d of c.diagnostics) {
    if (d.severity === 'error') t.errors++
    else if (d.severity === 'warning') t.warnings++
  }
  return t
}

/** Totals of a whole plan (plan-level diagnostics included). */
export function planTotals(plan: Plan): Totals {
  const t = emptyTotals()
  for (const c of plan.clusters) {
    const ct = clusterTotals(c)
    for (const k of Object.keys(t) as (keyof Totals)[]) t[k] += ct[k]
  }
  for (const d of plan.diagnostics) {
    if (d.severity === 'error') t.errors++
    else if (d.severity === 'warning') t.warnings++
  }
  return t
}

function emptyTotals(): Totals {
  return { add: 0, change: 0, delete: 0, orphan: 0, move: 0, highRisk: 0, unknown: 0, held: 0, errors: 0, warnings: 0 }
}

/** Objects the plan adds, changes, removes, moves or cannot tell about. */
export function changeCount(t: Totals): number {
  return t.add + t.change + t.delete + t.orphan + t.move + t.unknown
}

/**
 * The plan in a few words, honest about a head that does not render: `head does not render:
 * 3 errors` (with what did render, when anything changes there), never `no changes`.
 */
export function planSentence(t: Totals): string {
  if (t.errors === 0) return totalsSentence(t)
  const failed = `head does not render: ${t.errors} error${t.errors === 1 ? '' : 's'}`
  return changeCount(t) > 0 ? `${failed}; ${totalsSentence(t)} where it renders` : failed
}

/** `2 to add, 1 to change, 3 to delete` (zero counts left out), or `no changes`. */
export function totalsSentence(t: Totals): string {
  const parts: string[] = []
  if (t.add) parts.push(`${t.add} to add`)
  if (t.change) parts.push(`${t.change} to change`)
  if (t.delete) parts.push(`${t.delete} to delete`)
  if (t.orphan) parts.push(`${t.orphan} to orphan`)
  if (t.move) parts.push(`${t.move} to move`)
  if (t.unknown) parts.push(`${t.unknown} unknown after the change`)
  if (t.held) parts.push(`${t.held} kept as they are (apply fails)`)
  return parts.length ? parts.join(', ') : 'no changes'
}

/** Removed objects of a plan (the prune plan), with their cluster, deletions first. */
export function prunePlanOf(plan: Plan): { cluster: ClusterPlan; change: ObjectChange }[] {
  const out: { cluster: ClusterPlan; change: ObjectChange }[] = []
  for (const cluster of plan.clusters) for (const change of cluster.changes) if (change.action === 'removed') out.push({ cluster, change })
  const rank = (c: ObjectChange): number => (c.highRisk ? 0 : c.prune === 'delete' ? 1 : 2)
  return out.sort((a, b) => rank(a.change) - rank(b.change))
}

/** The first 7 characters of a SHA, as GitHub shows it. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha
}

/** `1.2 s`, `850 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
}

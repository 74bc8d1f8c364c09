import type { ChangeAction, ObjectChange, OwnerSummary } from '../model/plan.js'
import type { ClusterRender, RenderedOwner } from '../model/render-result.js'
import { ownerKey } from '../model/render-result.js'
import type { Redactor } from '../mask/redactor.js'
import { chartChange } from './chart-change.js'
import { deepEqual } from './field-changes.js'
import { normalizeObject } from './normalize.js'

/**
 * One summary per Kustomization/HelmRelease found on either side, in head order then
 * base-only owners: its own state (added, removed, spec changed), render status, counts of
 * its object changes (removed objects count for their base owner, moved ones for the new
 * owner), dependsOn edges for the report's graph, and a redacted note.
 */
export function summarizeOwners(
  base: ClusterRender | undefined,
  head: ClusterRender | undefined,
  changes: readonly ObjectChange[],
  skipped: ReadonlyMap<string, string>,
  redactor: Redactor,
): OwnerSummary[] {
  const baseOwners = new Map((base?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const headOwners = new Map((head?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const counts = new Map<string, Record<ChangeAction, number>>()
  for (const c of changes) {
    const key = ownerKey(c.owner)
    const rec = counts.get(key) ?? { added: 0, changed: 0, removed: 0, moved: 0 }
    rec[c.action]++
    counts.set(key, rec)
  }
  const keys = [...headOwners.keys(), ...[...baseOwners.keys()].filter((k) => !headOwners.has(k))]
  return keys.map((key) => {
    const h = headOwners.get(key)
    const b = baseOwners.get(key)
    const o = (h ?? b) as RenderedOwner
    const summary: OwnerSummary = {
      ref: o.ref,
      dependsOn: o.dependsOn,
      // Equal as rendered is equal once normalized, without copying either (most owners of a change).
      state: !b ? 'added' : !h ? 'removed' : deepEqual(b.object as never, h.object as never) || deepEqual(normalizeObject(b.object) as never, normalizeObject(h.object) as never) ? 'unchanged' : 'changed',
      status: o.status,
      counts: counts.get(key) ?? { added: 0, changed: 0, removed: 0, moved: 0 },
      suspended: o.suspended,
    }
    if (o.parent) summary.parent = o.parent
    const chart = b && h && o.ref.kind === 'HelmRelease' ? chartChange(b, h) : undefined
    if (chart) summary.chart = { ...chart, chart: redactor.text(chart.chart), before: redactor.text(chart.before), after: redactor.text(chart.after) }
    const notes = [skipped.get(key), o.note, o.suspended ? 'suspended: not applied while suspended (K-19)' : undefined]
    const note = notes.filter((n): n is string => Boolean(n)).join('; ')
    if (note) summary.note = redactor.text(note)
    return summary
  })
}

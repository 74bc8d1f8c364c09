import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { OwnerRef } from '../../model/render-result.js'

/** One HelmRelease the run's settings kept from being chart-rendered, with why. */
export interface SkippedRelease {
  ref: OwnerRef
  reason: string
}

/**
 * One warning per cluster and reason for the HelmReleases compared by values and chart
 * version only because of the run's settings (no helm, offline, an untrusted change), instead
 * of one identical line per HelmRelease: a fleet has hundreds. Each owner's note still says why.
 */
export function skippedSummary(skipped: readonly SkippedRelease[], cluster: string, shown = 3): Diagnostic[] {
  const byReason = new Map<string, OwnerRef[]>()
  for (const s of skipped) byReason.set(s.reason, [...(byReason.get(s.reason) ?? []), s.ref])
  return [...byReason].map(([reason, refs]) => {
    const names = refs.slice(0, shown).map((r) => `${r.namespace}/${r.name}`).join(', ')
    const more = refs.length > shown ? ` and ${refs.length - shown} more` : ''
    const what = refs.length === 1 ? '1 HelmRelease is' : `${refs.length} HelmReleases are`
    return { code: 'helm/values-only', severity: 'warning', message: `${what} compared by values and chart version only (${names}${more}): ${reason}`, cluster }
  })
}

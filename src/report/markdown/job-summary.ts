import type { Plan } from '../../core/model/plan.js'
import { renderComment } from './comment.js'
import { PLAN_MARKER } from './md-sections.js'
import type { ReviewView } from './md-verdict.js'

/** GitHub keeps at most 1 MiB of job summary per step. */
export const JOB_SUMMARY_LIMIT = 1_000_000

/**
 * The fuller report for the workflow run's job summary (and `fluxgate diff --format markdown`):
 * the same layout as the comment, verdict first when there is one, with
 * a far larger budget (every diff up to 60,000 characters), one part only, collapsing and
 * then summarizing past 1 MiB, and no sticky-comment marker.
 */
export function renderJobSummary(plan: Plan, opts: { fullReport?: string; review?: ReviewView } = {}): string {
  const [text = ''] = renderComment(plan, {
    ...(opts.review ? { review: opts.review } : {}),
    maxChars: JOB_SUMMARY_LIMIT,
    maxParts: 1,
    maxObjectDiff: 60_000,
    fullReport: opts.fullReport ?? 'the JSON report',
  })
  return text.replace(`${PLAN_MARKER}\n`, '')
}

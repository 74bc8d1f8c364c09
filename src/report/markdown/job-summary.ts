import type { Plan } from '../../core/model/plan.js'
import { renderComment } from './comment.js'
import { PLAN_MARKER } from './md-sections.js'

/** GitHub keeps at most 1 MiB of job summary per step. */
export const JOB_SUMMARY_LIMIT = 1_000_000

/**
 * The fuller report for the workflow run's job summary: the same layout as the comment with
 * a far larger budget (every diff up to 60,000 characters), one part only, collapsing and
 * then summarizing past 1 MiB, and no sticky-comment marker.
 */
export function renderJobSummary(plan: Plan, opts: { fullReport?: string } = {}): string {
  const [text = ''] = renderComment(plan, {
    maxChars: JOB_SUMMARY_LIMIT,
    maxParts: 1,
    maxObjectDiff: 60_000,
    fullReport: opts.fullReport ?? 'the JSON report',
  })
  return text.replace(`${PLAN_MARKER}\n`, '')
}

import * as core from '@actions/core'
import type { Plan } from '../../core/model/plan.js'
import { gateMarkdown, renderJobSummary, type ReviewView } from '../../report/index.js'

/**
 * Writes the job summary once: the full plan, verdict first (what blocks and how to unblock),
 * or the verdict alone when there is no plan. When the token could not comment (a fork's
 * read-only token) this is where the plan is read, and it says so.
 */
export async function writeJobSummary(plan: Plan | undefined, review: ReviewView | undefined, note?: string): Promise<void> {
  const parts: string[] = []
  if (note) parts.push(`> ${note}`, '')
  if (plan) parts.push(renderJobSummary(plan, { fullReport: 'the JSON report (output `report`)', ...(review ? { review } : {}) }))
  else if (review) parts.push(gateMarkdown(review.verdict))
  await core.summary.addRaw(parts.join('\n')).write()
}

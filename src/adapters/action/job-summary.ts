import * as core from '@actions/core'
import type { Verdict } from '../../core/gate/index.js'
import type { Plan } from '../../core/model/plan.js'
import { gateMarkdown, renderJobSummary } from '../../report/index.js'

/**
 * Writes the job summary once: the gate's verdict with its findings, then the full plan. When
 * the token could not comment (a fork's read-only token) this is where the plan is read, and
 * it says so.
 */
export async function writeJobSummary(plan: Plan | undefined, verdict: Verdict | undefined, note?: string): Promise<void> {
  const parts: string[] = []
  if (note) parts.push(`> ${note}`, '')
  if (verdict) parts.push(gateMarkdown(verdict))
  if (plan) parts.push(renderJobSummary(plan, { fullReport: 'the JSON report (output `report`)' }))
  await core.summary.addRaw(parts.join('\n')).write()
}

import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import * as core from '@actions/core'
import type { Verdict } from '../../core/gate/index.js'
import type { Plan } from '../../core/model/plan.js'
import { planTotals, renderJson } from '../../report/index.js'

/**
 * Writes the JSON report and sets the outputs, once, at the end of the run (style rule 9):
 * `changed` (objects added, changed, removed or moved), `pruned` (removed objects Flux
 * deletes), `report` (path of the JSON report) and `conclusion` (the gate's).
 */
export function writeOutputs(plan: Plan, verdict: Verdict | undefined, reportPath: string): void {
  mkdirSync(dirname(reportPath), { recursive: true })
  writeFileSync(reportPath, renderJson(plan, verdict ? { verdict } : {}))
  const t = planTotals(plan)
  core.setOutput('changed', t.add + t.change + t.delete + t.orphan + t.move)
  core.setOutput('pruned', t.delete)
  core.setOutput('report', reportPath)
  core.setOutput('conclusion', verdict?.conclusion ?? '')
}

import type { Verdict } from '../core/gate/index.js'
import { formatLocation } from '../core/diagnostics/diagnostic.js'
import { cell, code } from './markdown/md-util.js'

/** The gate's verdict as JSON (docs/report-format.md, `gate`). */
export function gateJson(verdict: Verdict): object {
  return {
    conclusion: verdict.conclusion,
    summary: verdict.summary,
    approval: { required: verdict.approval.required, satisfied: verdict.approval.satisfied, by: verdict.approval.by ?? null },
    findings: verdict.findings.map((f) => ({ rule: f.ruleId, level: f.level, message: f.message, location: f.location ?? null, needsApproval: f.needsApproval === true })),
  }
}

/** The verdict for a terminal: one line, then each finding. */
export function gateText(verdict: Verdict, paint: (colour: 'red' | 'yellow' | 'green' | 'bold', s: string) => string = (_c, s) => s): string {
  const colour = verdict.conclusion === 'success' ? 'green' : verdict.conclusion === 'failure' ? 'red' : 'yellow'
  const lines = [`${paint('bold', 'Gate:')} ${paint(colour, verdict.conclusion)} (${verdict.summary})`]
  for (const f of verdict.findings) {
    const where = f.location ? ` (${formatLocation(f.location)})` : ''
    lines.push(`  ${f.level === 'fail' ? paint('red', 'fail') : paint('yellow', 'warn')} ${f.ruleId}: ${f.message}${where}${f.needsApproval ? ' [approval clears it]' : ''}`)
  }
  return lines.join('\n') + '\n'
}

/** The verdict for a job summary or a markdown report: a heading, then each finding. */
export function gateMarkdown(verdict: Verdict): string {
  const lines = [`### Fluxgate gate: ${verdict.conclusion}`, '', cell(verdict.summary), '']
  for (const f of verdict.findings) {
    const where = f.location ? ` (${code(formatLocation(f.location))})` : ''
    lines.push(`- **${f.level}** ${code(f.ruleId)}: ${cell(f.message)}${where}`)
  }
  return lines.join('\n') + '\n'
}

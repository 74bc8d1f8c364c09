import type { Verdict } from '../core/gate/index.js'
import { cell, code, ruleLink } from './markdown/md-util.js'
import { groupFindings, placesText } from './repeats.js'

/** The gate's verdict as JSON (docs/report-format.md, `gate`). */
export function gateJson(verdict: Verdict): object {
  return {
    conclusion: verdict.conclusion,
    summary: verdict.summary,
    approval: { required: verdict.approval.required, satisfied: verdict.approval.satisfied, by: verdict.approval.by ?? null },
    findings: verdict.findings.map((f) => ({ rule: f.ruleId, level: f.level, message: f.message, location: f.location ?? null, needsApproval: f.needsApproval === true })),
  }
}

/** The verdict for a terminal: one line, then each finding (repeated ones on one line with a count). */
export function gateText(verdict: Verdict, paint: (colour: 'red' | 'yellow' | 'green' | 'bold', s: string) => string = (_c, s) => s): string {
  const colour = verdict.conclusion === 'success' ? 'green' : verdict.conclusion === 'failure' ? 'red' : 'yellow'
  const lines = [`${paint('bold', 'Gate:')} ${paint(colour, verdict.conclusion)} (${verdict.summary})`]
  for (const g of groupFindings(verdict.findings)) {
    const f = g.first
    const where = g.places.length ? ` (${placesText(g.places)})` : ''
    const count = g.count > 1 ? ` [${g.sameMessage ? `${g.count} times` : `and ${g.count - 1} like it`}]` : ''
    lines.push(`  ${f.level === 'fail' ? paint('red', 'fail') : paint('yellow', 'warn')} ${f.ruleId}: ${f.message}${where}${count}${f.needsApproval ? ' [approval clears it]' : ''}`)
  }
  return lines.join('\n') + '\n'
}

/** The verdict for a markdown report: a heading, then each finding (repeated ones grouped), rule ids linked to their entry. */
export function gateMarkdown(verdict: Verdict): string {
  const lines = [`### Fluxgate gate: ${verdict.conclusion}`, '', cell(verdict.summary), '']
  for (const g of groupFindings(verdict.findings)) {
    const f = g.first
    const where = g.places.length ? ` (${placesText(g.places, code)})` : ''
    const count = g.count > 1 ? ` (${g.sameMessage ? `${g.count} times` : `and ${g.count - 1} like it`})` : ''
    lines.push(`- **${f.level}** ${ruleLink(f.ruleId)}: ${cell(f.message)}${count}${where}`)
  }
  return lines.join('\n') + '\n'
}

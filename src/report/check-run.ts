import type { Approval, Finding, Verdict } from '../core/gate/index.js'
import type { CheckAnnotation, CheckRunOutput } from '../ports/review-host.js'
import { mdCell, mdCode, mdText } from './escape.js'
import { groupFindings, placesText } from './repeats.js'
import { ruleUrl } from './rules-doc.js'

/** The check run's name: one per head SHA (style rule 9); branch protection requires it. */
export const CHECK_NAME = 'fluxgate'

/** Identifier of the check run's "Approve" button (requested_action). */
export const APPROVE_ACTION = 'approve'

/** GitHub accepts at most 50 annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50

const STORE = /<!-- fluxgate:approvals (\[.*?\]) -->/

/**
 * The check run output for a verdict. The text ends with a hidden record of the approvals
 * given for this head SHA: the check run is per SHA, so an approval recorded here goes stale
 * by itself when a new commit is pushed (a new SHA gets a new check run).
 */
export function checkOutput(verdict: Verdict, approvals: readonly Approval[], headSha: string, planUrl?: string): CheckRunOutput {
  const lines = [mdText(verdict.summary), '']
  if (verdict.approval.required) {
    lines.push(
      verdict.approval.satisfied
        ? `Approved by ${mention(verdict.approval.by ?? 'someone')} for this commit.`
        : `This change needs an approval for this commit from someone with write access who is not its author: press **Approve** above, add the approval label, or comment \`/fluxgate approve ${headSha}\`.`,
      '',
    )
  }
  if (approvals.length) lines.push(`Approvals of this commit: ${approvals.map((a) => `${mention(a.by)} (${a.via})`).join(', ')}.`, '')
  if (planUrl) lines.push(`[The plan](${planUrl})`, '')
  // Repeated findings (the same rule on many objects) share a row; annotations keep every place.
  const rows = groupFindings(verdict.findings).map((g) => {
    const f = g.first
    const count = g.count > 1 ? ` (${g.sameMessage ? `${g.count} times` : `and ${g.count - 1} like it`})` : ''
    return `| ${f.level} | [${mdCode(f.ruleId)}](${ruleUrl(f.ruleId)}) | ${mdCell(f.message)}${count} | ${placesText(g.places, mdCode)} |`
  })
  const text = rows.length ? ['| level | rule | finding | where |', '|---|---|---|---|', ...rows].join('\n') : 'No findings.'
  return {
    title: verdict.summary.slice(0, 255),
    summary: lines.join('\n').trim(),
    text: `${text}\n\n<!-- fluxgate:approvals ${JSON.stringify(approvals)} -->`,
    annotations: verdict.findings.flatMap(toAnnotation),
  }
}

/** The approvals recorded in a check run's text (see checkOutput). */
export function storedApprovals(text: string | null | undefined): Approval[] {
  const m = STORE.exec(text ?? '')
  if (!m) return []
  try {
    const list = JSON.parse(m[1]!) as unknown
    return Array.isArray(list) ? list.filter((a): a is Approval => typeof a?.sha === 'string' && typeof a?.by === 'string' && typeof a?.via === 'string') : []
  } catch {
    return []
  }
}

// A login in running text: code-formatted, so it never pings anyone.
function mention(login: string): string {
  return mdCode(login)
}

function toAnnotation(f: Finding): CheckAnnotation[] {
  if (!f.location?.file) return []
  const line = f.location.line ?? 1
  return [{ path: f.location.file, start_line: line, end_line: line, annotation_level: f.level === 'fail' ? 'failure' : 'warning', title: f.ruleId, message: f.message }]
}

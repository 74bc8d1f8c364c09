import type { Approval, Finding, Verdict } from '../../core/gate/index.js'
import type { Plan } from '../../core/model/plan.js'
import { groupFindings, placesText } from '../repeats.js'
import type { RuleInfo } from '../rules-doc.js'
import { planSentence, planTotals, shortSha } from '../totals.js'
import { cell, code, fenced, plural, ruleLink, table } from './md-util.js'

/** The review around a plan: what the gate decided and who approved, for a verdict-first comment. */
export interface ReviewView {
  verdict: Verdict
  /** Approvals that hold for the head commit, each with who gave it and how. */
  approvals: readonly Approval[]
  /** The label that approves the head, when the host offers one. */
  approveLabel?: string
  /** The gate rules (the registry), for each blocking rule's one-line meaning. */
  rules?: readonly RuleInfo[]
  /** Base URL of the rules document (default: the project's docs/rules.md). */
  rulesUrl?: string
}

/** A login in running text: code-formatted, so it never pings anyone. */
export function login(name: string): string {
  return code(name.replaceAll('`', ''))
}

/**
 * The comment's visible first line: whether the merge may go ahead, then the plan in a few
 * words. Without a review (a plan shown on its own) only the plan, with a warning sign when a
 * render failed or a high-risk object goes.
 */
export function headline(plan: Plan, review?: ReviewView): string {
  const t = planTotals(plan)
  const what = planSentence(t)
  if (!review) return `## Fluxgate plan: ${what}${t.errors ? ' ❌' : t.highRisk ? ' ⚠️' : ''}`
  const v = review.verdict
  if (v.conclusion === 'neutral') return `## ⚠️ Fluxgate: the gate could not evaluate · ${what}`
  if (v.conclusion === 'failure') return `## ❌ Fluxgate: merge blocked · ${what}`
  if (v.approval.required && v.approval.satisfied) return `## ✅ Fluxgate: approved · ${what}`
  return `## ✅ Fluxgate: passes · ${what}`
}

/**
 * Under the headline: the rules that block (each linked to its entry, with its meaning), how
 * to unblock (fix, or who may approve and the exact command with the full head SHA), the
 * approvals that hold, then every finding in a folded table.
 */
export function verdictSection(plan: Plan, review: ReviewView, maxRows = 30): string {
  const v = review.verdict
  const sha = plan.head.sha
  const out: string[] = []
  if (v.conclusion === 'neutral') {
    out.push(`> [!WARNING]\n> ${cell(v.summary)}`, 'A gate that could not evaluate is never a pass: fix the cause (the configuration on the base branch, or the reason above) and push, or comment `/fluxgate plan` to try again.')
  }
  const approved = v.approval.satisfied
  const blocking = v.findings.filter((f) => f.level === 'fail' && !(f.needsApproval && approved))
  if (blocking.length > 0) {
    const rules = rulesOf(blocking)
    out.push(`**Blocked by ${plural(rules.length, 'rule')}:**\n${rules.map((r) => `- ${ruleLine(r, review)}`).join('\n')}`)
    out.push(...unblock(rules, sha, review))
  }
  const approvals = approvalsLine(v, review.approvals, sha)
  if (approvals) out.push(approvals)
  if (v.findings.length > 0) out.push(findingsTable(v.findings, review, maxRows))
  return out.join('\n\n')
}

interface RuleSummary {
  id: string
  count: number
  approvable: boolean
}

function rulesOf(findings: readonly Finding[]): RuleSummary[] {
  const byRule = new Map<string, RuleSummary>()
  for (const f of findings) {
    const r = byRule.get(f.ruleId) ?? { id: f.ruleId, count: 0, approvable: f.needsApproval === true }
    r.count++
    byRule.set(f.ruleId, r)
  }
  return [...byRule.values()]
}

function ruleLine(r: RuleSummary, review: ReviewView): string {
  const meaning = review.rules?.find((x) => x.id === r.id)?.description
  const tags = [plural(r.count, 'finding'), ...(r.approvable ? ['an approval clears it'] : [])]
  return `${ruleLink(r.id, review.rulesUrl)}${meaning ? `: ${cell(meaning)}` : ''} (${tags.join(', ')})`
}

function unblock(rules: RuleSummary[], sha: string, review: ReviewView): string[] {
  const fix = rules.filter((r) => !r.approvable)
  const approve = rules.filter((r) => r.approvable)
  const out: string[] = []
  if (fix.length) {
    const names = fix.map((r) => code(r.id)).join(', ')
    out.push(`**To unblock**, fix what ${names} found and push: an approval does not clear ${fix.length === 1 ? 'it' : 'them'}.`)
  }
  if (approve.length) {
    const label = review.approveLabel ? `, or add the label ${code(review.approveLabel)}` : ''
    const lead = fix.length ? `Then ${approve.map((r) => code(r.id)).join(', ')} needs` : '**To unblock**, this commit needs'
    out.push(
      `${lead} an approval from someone with write access to this repository who is not the pull request's author. Comment exactly:`,
      fenced(`/fluxgate approve ${sha}`, ''),
      `or press **Approve** on the \`fluxgate\` check run${label}. An approval holds for commit ${code(shortSha(sha))} only: a new push needs a new one.`,
    )
  }
  return out
}

function approvalsLine(v: Verdict, approvals: readonly Approval[], sha: string): string {
  if (approvals.length === 0) return v.approval.required ? `No approval yet for ${code(shortSha(sha))}.` : ''
  const who = approvals.map((a) => `${login(a.by)} (${VIA[a.via] ?? cell(a.via)}, for ${code(a.sha)})`).join(', ')
  const cleared = [...new Set(v.findings.filter((f) => f.needsApproval && f.level === 'fail').map((f) => code(f.ruleId)))]
  const clears = v.approval.satisfied && cleared.length ? ` It clears ${cleared.join(', ')} for this commit only: a new push needs a new approval.` : ''
  return `**${approvals.length === 1 ? 'Approval' : 'Approvals'}**: ${who}.${clears}`
}

const VIA: Readonly<Record<string, string>> = Object.freeze({ comment: '`/fluxgate approve`', 'check-action': 'the Approve button', label: 'the approval label' })

function findingsTable(findings: readonly Finding[], review: ReviewView, maxRows: number): string {
  const approved = review.verdict.approval.satisfied
  const isCleared = (f: Finding): boolean => approved && f.level === 'fail' && f.needsApproval === true
  const groups = groupFindings(findings)
  const rows = groups.slice(0, maxRows).map((g) => {
    const f = g.first
    const where = placesText(g.places, (p) => code(p))
    const count = g.count > 1 ? ` (${g.sameMessage ? `${g.count} times` : `and ${g.count - 1} like it`})` : ''
    const level = isCleared(f) ? '✅ approved' : f.level === 'fail' ? '❌ fail' : '⚠️ warn'
    return [level, ruleLink(f.ruleId, review.rulesUrl), `${cell(f.message)}${count}${f.needsApproval && !isCleared(f) ? ' · approvable' : ''}`, where]
  })
  const more = groups.length > maxRows ? `\n\n… and ${groups.length - maxRows} more in the check run.` : ''
  const cleared = findings.filter(isCleared).length
  const fails = findings.filter((f) => f.level === 'fail').length - cleared
  const warns = findings.length - fails - cleared
  const summary = [fails ? plural(fails, 'failing finding') : '', cleared ? `${cleared} cleared by the approval` : '', warns ? plural(warns, 'warning') : ''].filter(Boolean).join(', ')
  return `<details>\n<summary>Gate findings: ${summary}</summary>\n\n${table(['Level', 'Rule', 'Finding', 'Where'], rows)}${more}\n\n</details>`
}

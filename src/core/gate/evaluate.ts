import { getOwn } from '../model/own.js'
import { GATE_RULES } from './registry.js'
import type { Approval, Finding, GateInput, GateRule, Verdict } from './types.js'

function neutral(reason: string, findings: Finding[] = []): Verdict {
  return { conclusion: 'neutral', findings, approval: { required: false, satisfied: false }, summary: `Gate could not evaluate: ${reason}` }
}

function runRule(rule: GateRule, input: GateInput): Finding[] {
  // An own setting only: a level inherited from Object.prototype is no setting at all.
  const level = getOwn(input.config.policies, rule.id) ?? rule.defaultLevel
  if (level === 'off') return []
  const hits = rule.evaluate({ plan: input.plan, config: input.config, changedFiles: input.changedFiles, ...(input.headObjects ? { headObjects: input.headObjects } : {}) })
  return hits.map((h) => ({
    ruleId: rule.id,
    level,
    message: h.message,
    ...(h.location ? { location: h.location } : {}),
    ...(rule.needsApproval ? { needsApproval: true } : {}),
  }))
}

function summarize(findings: Finding[], approval: Verdict['approval'], blocking: number): string {
  const fails = findings.filter((f) => f.level === 'fail').length
  const warns = findings.length - fails
  const parts = [`${fails} failing, ${warns} warning finding(s)`]
  if (approval.required) parts.push(approval.satisfied ? `approved by ${approval.by ?? 'someone'}` : 'approval required')
  return `${blocking > 0 ? 'Blocked' : 'Passed'}: ${parts.join('; ')}`
}

/**
 * The merge gate for one head commit:
 * 1. a gate that cannot evaluate (invalid config, a plan for another commit, a rule that
 *    breaks) is `neutral` with the reason, never `success` (style rule 6);
 * 2. every registered rule runs at its configured level (`off` rules do not run);
 * 3. approvals count only when given for `headSha`; they clear the failing findings of
 *    rules that accept approval (high-risk deletions, protected paths/clusters) and
 *    nothing else;
 * 4. `failure` when a failing finding remains, else `success` (warnings do not block).
 * Pure; the caller publishes the verdict.
 */
export function evaluateGate(input: GateInput): Verdict {
  const configErrors = (input.configDiagnostics ?? []).filter((d) => d.severity === 'error')
  if (configErrors.length > 0) return neutral(`the gate configuration is invalid: ${configErrors.map((d) => d.message).join('; ')}`)
  if (!input.plan) return neutral('no plan was computed')
  if (input.plan.head.sha !== input.headSha) return neutral(`the plan is for ${input.plan.head.sha.slice(0, 12)}, not the head ${input.headSha.slice(0, 12)}`)
  const findings: Finding[] = []
  for (const rule of GATE_RULES) {
    try {
      findings.push(...runRule(rule, input))
    } catch (err) {
      return neutral(`rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}`, findings)
    }
  }
  const current: Approval | undefined = input.approvals.find((a) => a.sha === input.headSha)
  const required = findings.some((f) => f.needsApproval && f.level === 'fail')
  const approval: Verdict['approval'] = { required, satisfied: required && current !== undefined, ...(required && current ? { by: current.by } : {}) }
  const blocking = findings.filter((f) => f.level === 'fail' && !(f.needsApproval && approval.satisfied)).length
  return { conclusion: blocking > 0 ? 'failure' : 'success', findings, approval, summary: summarize(findings, approval, blocking) }
}

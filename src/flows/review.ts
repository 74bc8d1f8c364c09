import type { Approval, Verdict } from '../core/gate/index.js'
import type { GatePublication, PublishOutcome, ReviewHost } from '../ports/review-host.js'
import { checkOutput, renderComment, renderPlanFailed, renderRunning } from '../report/index.js'
import { Approvers, collectApprovals, type LiveApproval } from './approvals.js'
import { planFlow, verdictOf, type PlannedChange, type PlanRequest } from './plan.js'

/** One review: a pull request head (or a merge-queue head) to plan, gate and publish. */
export interface ReviewRequest {
  host: ReviewHost
  /** What to plan; `base`/`head` are commit SHAs (from the event), the labels their branch names. */
  plan: PlanRequest
  /** The pull request; undefined for a merge-queue head (no comment, no pull request approvals). */
  issue?: number
  /** The pull request's author, who cannot approve it. */
  author?: string
  /** Label that approves the head commit. */
  approveLabel: string
  /** The approval this event carries (a checked comment, the Approve button, the label). */
  live?: LiveApproval
  /** The event pushed new commits (the approval label goes stale). */
  pushed: boolean
  /** Approvals given elsewhere that hold for this head (the queued pull request's). */
  inherited?: readonly Approval[]
  /** Post the sticky comment (false: the caller shows the plan elsewhere). */
  comment: boolean
  /** Link for the check run's details (the workflow run). */
  detailsUrl?: string
  /** Where the full report is, for the comment's pointers. */
  fullReport?: string
  /** Current time as an ISO string, for the running note. */
  nowIso?: () => string
  /**
   * Makes the plan; default planFlow in this thread. The App plans in a worker with a memory
   * limit and a deadline: a plan that fails there is published as neutral with the reason.
   */
  planner?: (req: PlanRequest) => Promise<PlannedChange>
}

/** What a review produced and where it went. */
export interface ReviewResult {
  planned?: PlannedChange
  verdict: Verdict
  approvals: Approval[]
  /** `posted`; `fallback` when the token may not comment (a fork): the caller shows it elsewhere; `skipped`. */
  comment: 'posted' | 'fallback' | 'skipped'
  gate: GatePublication
  /** Set when the plan could not be made; the gate was published as neutral with this reason. */
  error?: string
}

/**
 * The review of a head, for the Action and the App alike. Steps:
 * 1. show "plan running" in the sticky comment (a read-only token: remember, fall back later);
 * 2. plan head against the merge base (flows/plan: trust, render, compare, gate settings);
 * 3. gather the approvals that hold for the head SHA, each checked now;
 * 4. the gate's verdict;
 * 5. the sticky comment, then the `fluxgate` check run (or a commit status).
 * A plan that fails publishes a neutral verdict with the reason (never success) and returns
 * the error instead of throwing it.
 */
export async function reviewFlow(req: ReviewRequest): Promise<ReviewResult> {
  const { host } = req
  const headSha = req.plan.head
  const wantsComment = req.comment && req.issue !== undefined
  const running = wantsComment ? await showRunning(req, headSha) : 'skipped'
  const approvers = new Approvers(host, req.author)
  const approvals = await collectApprovals(host, {
    ...(req.issue !== undefined ? { issue: req.issue } : {}),
    headSha,
    label: req.approveLabel,
    approvers,
    pushed: req.pushed,
    ...(req.live ? { live: req.live } : {}),
    ...(req.inherited ? { inherited: req.inherited } : {}),
  })
  let planned: PlannedChange
  try {
    planned = await (req.planner ?? planFlow)(req.plan)
  } catch (err) {
    const error = req.plan.secretValues?.reduce((t, s) => (s ? t.replaceAll(s, '***') : t), errorText(err)) ?? errorText(err)
    const verdict: Verdict = { conclusion: 'neutral', findings: [], approval: { required: false, satisfied: false }, summary: `Fluxgate could not evaluate this change: ${error}` }
    if (running === 'posted') await host.showComment(req.issue!, [renderPlanFailed(headSha, error, req.detailsUrl)])
    const gate = await publishVerdict(req, headSha, verdict, approvals)
    return { verdict, approvals, comment: running, gate, error }
  }
  const verdict = verdictOf(planned, approvals)
  const parts = renderComment(planned.plan, req.fullReport ? { fullReport: req.fullReport } : {})
  const comment = running === 'posted' ? fallbackOf(await host.showComment(req.issue!, parts)) : running
  const gate = await publishVerdict(req, headSha, verdict, approvals)
  return { planned, verdict, approvals, comment, gate }
}

async function showRunning(req: ReviewRequest, headSha: string): Promise<'posted' | 'fallback'> {
  const base = { ref: req.plan.baseLabel ?? req.plan.base, sha: req.plan.base }
  const text = renderRunning({ head: { ref: req.plan.headLabel ?? req.plan.head, sha: headSha }, base, ...(req.nowIso ? { startedAt: req.nowIso() } : {}), ...(req.detailsUrl ? { url: req.detailsUrl } : {}) })
  return fallbackOf(await req.host.showRunning(req.issue!, text))
}

function fallbackOf(outcome: PublishOutcome): 'posted' | 'fallback' {
  return outcome === 'posted' ? 'posted' : 'fallback'
}

function publishVerdict(req: ReviewRequest, headSha: string, verdict: Verdict, approvals: Approval[]): Promise<GatePublication> {
  return req.host.publishCheck(headSha, {
    conclusion: verdict.conclusion,
    output: checkOutput(verdict, approvals, headSha, req.detailsUrl),
    approveButton: verdict.approval.required && !verdict.approval.satisfied,
    statusDescription: verdict.summary.slice(0, 140),
    ...(req.detailsUrl ? { detailsUrl: req.detailsUrl } : {}),
  })
}

function errorText(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).replaceAll('\n', ' ')
}

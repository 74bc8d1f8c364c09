import { GATE_RULES, type Approval, type Verdict } from '../core/gate/index.js'
import type { Plan } from '../core/model/plan.js'
import type { GatePublication, PublishOutcome, ReviewHost } from '../ports/review-host.js'
import { changeCount, checkOutput, planTotals, renderComment, renderNoChange, renderPlanFailed, renderRunning, type ReviewView } from '../report/index.js'
import { Approvers, collectApprovals, type LiveApproval } from './approvals.js'
import { planFlow, verdictOf, type PlanRequest, type ReviewablePlan } from './plan.js'

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
  /**
   * When to post the sticky comment: `always`; `on-change` (the default of the front doors):
   * only when the head changes a rendered object, does not render, or the gate has something
   * to say, while an existing comment is always kept current; `never` (the caller shows the
   * plan elsewhere).
   */
  comment: CommentPolicy
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
  planner?: (req: PlanRequest) => Promise<ReviewablePlan>
}

/** When the review posts its sticky comment (input `comment`, App setting FLUXGATE_COMMENT). */
export type CommentPolicy = 'always' | 'on-change' | 'never'

/** The comment policies, for front doors that parse them. */
export const COMMENT_POLICIES: readonly CommentPolicy[] = Object.freeze(['always', 'on-change', 'never'])

/** What a review produced and where it went. */
export interface ReviewResult {
  planned?: ReviewablePlan
  verdict: Verdict
  approvals: Approval[]
  /**
   * `posted`; `fallback` when the token may not comment (a fork): the caller shows it elsewhere;
   * `skipped` (policy `never`, a merge-queue head, or `on-change` with nothing to say and no
   * comment to update).
   */
  comment: 'posted' | 'fallback' | 'skipped'
  gate: GatePublication
  /** Set when the plan could not be made; the gate was published as neutral with this reason. */
  error?: string
}

/**
 * The review of a head, for the Action and the App alike. Steps:
 * 1. show "plan running" in the sticky comment (`on-change`: only in one already there; a
 *    read-only token: remember, fall back later);
 * 2. plan head against the merge base (flows/plan: trust, render, compare, gate settings);
 * 3. gather the approvals that hold for the head SHA, each checked now;
 * 4. the gate's verdict;
 * 5. the sticky comment, verdict first (policy `comment`: see publishComment), then the
 *    `fluxgate` check run (or a commit status).
 * A plan that fails publishes a neutral verdict with the reason (never success) and returns
 * the error instead of throwing it.
 */
export async function reviewFlow(req: ReviewRequest): Promise<ReviewResult> {
  const { host } = req
  const headSha = req.plan.head
  const policy: CommentPolicy = req.issue === undefined ? 'never' : req.comment
  // on-change: a running note only where a comment already is (a new one might stay empty).
  const running = policy === 'never' ? 'skipped' : await showRunning(req, headSha, policy === 'always')
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
  let planned: ReviewablePlan
  try {
    planned = await (req.planner ?? planFlow)(req.plan)
  } catch (err) {
    const error = req.plan.secretValues?.reduce((t, s) => (s ? t.replaceAll(s, '***') : t), errorText(err)) ?? errorText(err)
    const verdict: Verdict = { conclusion: 'neutral', findings: [], approval: { required: false, satisfied: false }, summary: `Fluxgate could not evaluate this change: ${error}` }
    // A plan that could not be made is always worth saying, where comments are wanted at all.
    const comment = running === 'skipped' || running === 'fallback' ? running : fallbackOf(await host.showComment(req.issue!, [renderPlanFailed(headSha, error, req.detailsUrl)]))
    const gate = await publishVerdict(req, headSha, verdict, approvals)
    return { verdict, approvals, comment, gate, error }
  }
  const verdict = verdictOf(planned, approvals)
  const review = reviewViewOf(verdict, approvals, req.approveLabel)
  const comment = await publishComment(req, running, planned.plan, review)
  const gate = await publishVerdict(req, headSha, verdict, approvals)
  return { planned, verdict, approvals, comment, gate }
}

/** What the verdict-first presenters need: the verdict, the approvals, the rules' meanings. */
export function reviewViewOf(verdict: Verdict, approvals: readonly Approval[], approveLabel?: string): ReviewView {
  return { verdict, approvals, ...(approveLabel ? { approveLabel } : {}), rules: GATE_RULES }
}

type Running = 'posted' | 'fallback' | 'absent' | 'skipped'

/**
 * The sticky comment for a finished plan. `always`, or anything to say: the plan, verdict
 * first. Nothing to say under `on-change`: an existing comment is edited to say so, none is
 * created.
 */
async function publishComment(req: ReviewRequest, running: Running, plan: Plan, review: ReviewView): Promise<ReviewResult['comment']> {
  if (running === 'skipped' || running === 'fallback') return running
  const issue = req.issue!
  if (req.comment === 'always' || worthSaying(plan, review.verdict)) {
    const parts = renderComment(plan, { review, commands: true, ...(req.fullReport ? { fullReport: req.fullReport } : {}) })
    return fallbackOf(await req.host.showComment(issue, parts))
  }
  const outcome = await req.host.showComment(issue, [renderNoChange(plan, review, { commands: true })], { create: false })
  return outcome === 'absent' ? 'skipped' : fallbackOf(outcome)
}

/**
 * A plan worth a comment: it changes a rendered object (or cannot tell), the head does not
 * render, or the gate fails, could not evaluate or found anything.
 */
export function worthSaying(plan: Plan, verdict: Verdict): boolean {
  const t = planTotals(plan)
  return changeCount(t) > 0 || t.errors > 0 || verdict.conclusion !== 'success' || verdict.findings.length > 0
}

async function showRunning(req: ReviewRequest, headSha: string, create: boolean): Promise<'posted' | 'fallback' | 'absent'> {
  const base = { ref: req.plan.baseLabel ?? req.plan.base, sha: req.plan.base }
  const text = renderRunning({ head: { ref: req.plan.headLabel ?? req.plan.head, sha: headSha }, base, ...(req.nowIso ? { startedAt: req.nowIso() } : {}), ...(req.detailsUrl ? { url: req.detailsUrl } : {}) })
  const outcome = await req.host.showRunning(req.issue!, text, { create })
  return outcome === 'absent' ? 'absent' : fallbackOf(outcome)
}

function fallbackOf(outcome: PublishOutcome): 'posted' | 'fallback' {
  return outcome === 'forbidden' ? 'fallback' : 'posted'
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

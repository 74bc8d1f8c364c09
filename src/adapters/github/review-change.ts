import { evaluateGate, parseGateConfig, defaultGateConfig, type Approval, type Verdict } from '../../core/gate/index.js'
import type { Plan } from '../../core/model/plan.js'
import { PLAN_MARKER, renderComment, renderRunning } from '../../report/index.js'
import { collectApprovals } from './approvals.js'
import { approvalsOnCheckRun, publishVerdict, type GatePublication } from './check-run.js'
import { isForbidden, type GitHubClient, type RepoRef } from './client.js'
import { planRevisions, type PlanRequest, type PlannedChange } from './plan-revisions.js'
import { markStickyRunning, upsertStickyComment } from './sticky-comment.js'

/** One review: a pull request head (or a merge-queue head) to plan, gate and publish. */
export interface ReviewInput {
  client: GitHubClient
  repo: RepoRef
  plan: PlanRequest
  /** The pull request number; undefined for a merge-queue head (no comment, no PR approvals). */
  issue?: number
  /** Label that approves the head commit. */
  approveLabel: string
  /** The approval this event carries (comment, button, label), checked for write access. */
  liveApproval?: { by: string; via: string }
  /** The event pushed new commits (approval label goes stale). */
  pushed: boolean
  /** Approvals given elsewhere that hold for this head (the PR head's, for a merge-queue head). */
  inheritedApprovals?: Approval[]
  /** Whether to post the sticky comment (false: job summary only). */
  comment: boolean
  /** Link for the check run's details (the workflow run). */
  detailsUrl?: string
  /** Where the full report is, for the comment's pointers. */
  fullReport?: string
}

/** What a review produced and where it went. */
export interface ReviewResult {
  planned?: PlannedChange
  verdict: Verdict
  approvals: Approval[]
  /** `posted`; `fallback` when the token may not comment (fork): the caller shows it in the job summary; `skipped`. */
  comment: 'posted' | 'fallback' | 'skipped'
  gate: GatePublication
  /** Set when the plan could not be made; the gate was published as neutral with this reason. */
  error?: string
}

/**
 * The one review flow of the Action and the App (issue 7: one gate module for both). Steps:
 * 0. show "plan running" in the sticky comment (a read-only token: remember, and fall back later);
 * 1. plan head against base (git objects only) and read the gate config from the base commit;
 * 2. gather the approvals that hold for the head SHA;
 * 3. evaluate the gate (core/gate);
 * 4. upsert the sticky comment (falls back when the token may not write);
 * 5. publish the verdict as the `fluxgate` check run (or a commit status).
 * A plan that fails publishes a neutral verdict with the reason (never success) and the
 * error is returned, not thrown, so the caller can report it.
 */
export async function reviewChange(input: ReviewInput): Promise<ReviewResult> {
  const { client, repo } = input
  const headSha = input.plan.head.sha
  const wantsComment = input.comment && input.issue !== undefined
  const running = wantsComment ? await postRunning(input) : 'skipped'
  const stored = [...(await approvalsOnCheckRun(client, repo, headSha)), ...(input.inheritedApprovals ?? [])]
  const approvals =
    input.issue === undefined
      ? stored
      : await collectApprovals(client, repo, { issue: input.issue, headSha, label: input.approveLabel, stored, pushed: input.pushed, ...(input.liveApproval ? { live: input.liveApproval } : {}) })
  let planned: PlannedChange
  try {
    planned = await planRevisions(input.plan)
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    const verdict: Verdict = { conclusion: 'neutral', findings: [], approval: { required: false, satisfied: false }, summary: `Fluxgate could not evaluate this change: ${error}` }
    // The running note must not stay behind: it would claim a plan is still coming.
    if (running === 'posted') await upsertStickyComment(client, repo, input.issue!, [failedNote(input, error)])
    const gate = await publishVerdict(client, repo, headSha, verdict, approvals, input.detailsUrl)
    return { verdict, approvals, comment: running === 'posted' ? 'posted' : running, gate, error }
  }
  const verdict = gateOf(planned, approvals, headSha)
  const comment = running === 'posted' ? await postComment(client, repo, input.issue!, planned.plan, input.fullReport) : running
  const gate = await publishVerdict(client, repo, headSha, verdict, approvals, input.detailsUrl)
  return { planned, verdict, approvals, comment, gate }
}

/** The gate's verdict for a planned change, with the base branch's config (defaults when absent). */
export function gateOf(planned: PlannedChange, approvals: Approval[], headSha: string): Verdict {
  const parsed = planned.gateConfigText === undefined ? { config: defaultGateConfig(), diagnostics: [] } : parseGateConfig(planned.gateConfigText)
  return evaluateGate({ plan: planned.plan, config: parsed.config, approvals, headSha, changedFiles: planned.changedFiles, configDiagnostics: parsed.diagnostics, headObjects: planned.headObjects })
}

/** Part 1 of the sticky comment says a plan is running; `fallback` when the token may not comment. */
async function postRunning(input: ReviewInput): Promise<'posted' | 'fallback'> {
  const { head, base } = input.plan
  const text = renderRunning({ head, base, startedAt: new Date().toISOString(), ...(input.detailsUrl ? { url: input.detailsUrl } : {}) })
  try {
    await markStickyRunning(input.client, input.repo, input.issue!, text)
    return 'posted'
  } catch (err) {
    if (isForbidden(err)) return 'fallback'
    throw err
  }
}

/** What the sticky comment says when the plan could not be made (the reason is the check run's too). */
function failedNote(input: ReviewInput, error: string): string {
  const link = input.detailsUrl ? `\n\n[The run](${input.detailsUrl})` : ''
  return `${PLAN_MARKER}\n## Fluxgate plan: could not be made ⚠️\n\nFluxgate could not plan \`${input.plan.head.sha.slice(0, 7)}\`: ${error.replaceAll('\n', ' ')}${link}\n`
}

async function postComment(client: GitHubClient, repo: RepoRef, issue: number, plan: Plan, fullReport?: string): Promise<'posted' | 'fallback'> {
  try {
    await upsertStickyComment(client, repo, issue, renderComment(plan, fullReport ? { fullReport } : {}))
    return 'posted'
  } catch (err) {
    if (isForbidden(err)) return 'fallback'
    throw err
  }
}

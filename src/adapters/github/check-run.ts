import type { Approval } from '../../core/gate/index.js'
import type { Logger } from '../../ports/logger.js'
import type { CheckAnnotation, CheckPublication, GatePublication } from '../../ports/review-host.js'
import { ANNOTATIONS_PER_REQUEST, APPROVE_ACTION, CHECK_NAME, storedApprovals } from '../../report/index.js'
import { isForbidden, listAll, statusOf, type GitHubClient, type RepoRef } from './client.js'

interface CheckRun {
  id: number
  output?: { text?: string | null; annotations_count?: number } | null
}

/** Our check run for a SHA (the newest named `fluxgate`), or undefined. Never throws for a token that may not read checks. */
export async function findCheckRun(client: GitHubClient, repo: RepoRef, sha: string): Promise<CheckRun | undefined> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/commits/{ref}/check-runs', { ...repo, ref: sha, check_name: CHECK_NAME, filter: 'latest' })
    return (data as { check_runs?: CheckRun[] }).check_runs?.[0]
  } catch (err) {
    if (isForbidden(err)) return undefined
    throw err
  }
}

/** Approvals recorded on the check run of `sha` (empty when there is none). */
export async function approvalsOnCheckRun(client: GitHubClient, repo: RepoRef, sha: string): Promise<Approval[]> {
  const run = await findCheckRun(client, repo, sha)
  return storedApprovals(run?.output?.text).filter((a) => a.sha === sha)
}

/**
 * Publishes the gate for `sha`, idempotently (style rule 9): updates our check run for the SHA
 * when there is one, creates it otherwise; annotations beyond 50 follow in further updates,
 * and annotations already on the run are not sent again (GitHub appends them). When the token
 * may not write checks, logs that as an error (a required check will be missing) and falls
 * back to a commit status `fluxgate`; when it may not write statuses either, reports `none`
 * (the caller then fails the job instead).
 */
export async function publishCheck(client: GitHubClient, repo: RepoRef, sha: string, check: CheckPublication, logger?: Logger): Promise<GatePublication> {
  const { output } = check
  const actions = check.approveButton ? [{ label: 'Approve', description: 'Approve this change for this commit', identifier: APPROVE_ACTION }] : []
  try {
    const existing = await findCheckRun(client, repo, sha)
    const known = existing ? await knownAnnotations(client, repo, existing) : new Set<string>()
    const fresh = output.annotations.filter((a) => !known.has(annotationKey(a)))
    const batches = chunk(fresh, ANNOTATIONS_PER_REQUEST)
    const body = {
      ...repo,
      name: CHECK_NAME,
      status: 'completed',
      conclusion: check.conclusion,
      completed_at: new Date().toISOString(),
      actions,
      ...(check.detailsUrl ? { details_url: check.detailsUrl } : {}),
      output: { title: output.title, summary: output.summary, text: output.text, annotations: batches[0] ?? [] },
    }
    let id: number
    if (existing) {
      await client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...body, check_run_id: existing.id })
      id = existing.id
    } else {
      const { data } = await client.request('POST /repos/{owner}/{repo}/check-runs', { ...body, head_sha: sha })
      id = (data as CheckRun).id
    }
    for (const batch of batches.slice(1)) {
      await client.request('PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}', { ...repo, check_run_id: id, output: { title: output.title, summary: output.summary, annotations: batch } })
    }
    return { kind: 'check-run', id, created: !existing }
  } catch (err) {
    if (!isForbidden(err)) throw err
    logger?.error(`fluxgate: the check run for ${sha.slice(0, 7)} could not be written (HTTP ${statusOf(err) ?? '?'}: does the token have checks: write?); publishing a commit status instead`)
  }
  return publishStatus(client, repo, sha, check)
}

/**
 * The commit-status fallback. A neutral verdict (could not evaluate) becomes `error`: a
 * status has no neutral state, and an unknown result must never pass (style rule 6).
 */
async function publishStatus(client: GitHubClient, repo: RepoRef, sha: string, check: CheckPublication): Promise<GatePublication> {
  const state = check.conclusion === 'neutral' ? 'error' : check.conclusion
  try {
    await client.request('POST /repos/{owner}/{repo}/statuses/{sha}', { ...repo, sha, state, context: CHECK_NAME, description: check.statusDescription.slice(0, 140) })
    return { kind: 'status' }
  } catch (err) {
    if (!isForbidden(err)) throw err
    return { kind: 'none', reason: 'the token may write neither check runs nor commit statuses' }
  }
}

async function knownAnnotations(client: GitHubClient, repo: RepoRef, run: CheckRun): Promise<Set<string>> {
  if (!run.output?.annotations_count) return new Set()
  const list = await listAll<CheckAnnotation>(client, 'GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations', { ...repo, check_run_id: run.id })
  return new Set(list.map(annotationKey))
}

function annotationKey(a: CheckAnnotation): string {
  return `${a.path}:${a.start_line}:${a.title}:${a.message}`
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

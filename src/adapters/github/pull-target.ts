import type { Approval } from '../../core/gate/index.js'
import { approvalsOnCheckRun } from './check-run.js'
import type { GitHubClient, RepoRef } from './client.js'

/** A ref name and the commit it points at. */
export interface Rev {
  ref: string
  sha: string
}

/** A head to review, after any lookup. */
export interface ReviewTarget {
  issue?: number
  base: Rev
  head: Rev
  fork: boolean
  pushed: boolean
  live?: { by: string; via: string }
  inherited?: Approval[]
}

interface PullJson {
  number: number
  base: Rev & { repo?: { full_name?: string } }
  head: Rev & { repo?: { full_name?: string } | null }
}

/** The open pull request for an approval event: by number, else the one whose head is `headSha`. */
export async function findPull(client: GitHubClient, repo: RepoRef, issue: number | undefined, headSha: string | undefined): Promise<ReviewTarget | undefined> {
  let pr: PullJson | undefined
  if (issue !== undefined) pr = (await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: issue })).data as PullJson
  else {
    const { data } = await client.request('GET /repos/{owner}/{repo}/pulls', { ...repo, state: 'open', per_page: 100 })
    pr = (data as PullJson[]).find((p) => p.head.sha === headSha)
  }
  if (!pr) return undefined
  // A button pressed on an older commit's check run approves that commit only: it is stale.
  if (headSha && pr.head.sha !== headSha) return undefined
  const fork = !!pr.head.repo && pr.head.repo.full_name !== pr.base.repo?.full_name
  return { issue: pr.number, base: { ref: pr.base.ref, sha: pr.base.sha }, head: { ref: pr.head.ref, sha: pr.head.sha }, fork, pushed: false }
}

/** Approvals of a queued pull request's head, carried to the merge-queue head it became. */
export async function queueApprovals(client: GitHubClient, repo: RepoRef, prNumber: number | undefined, queueSha: string): Promise<Approval[]> {
  if (prNumber === undefined) return []
  const target = await findPull(client, repo, prNumber, undefined)
  if (!target) return []
  const own = await approvalsOnCheckRun(client, repo, target.head.sha)
  return own.map((a) => ({ ...a, sha: queueSha, via: `${a.via} (pull request #${prNumber})` }))
}

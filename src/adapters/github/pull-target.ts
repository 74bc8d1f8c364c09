import type { ChangeOrigin, LiveApproval } from '../../flows/index.js'
import type { Approval } from '../../core/gate/index.js'
import type { GitHubClient, RepoRef } from './client.js'

/** A ref name and the commit it points at. */
export interface Rev {
  ref: string
  sha: string
}

/** A head to review, as the event and the API describe it (facts only; the flow decides trust). */
export interface ReviewTarget {
  issue?: number
  base: Rev
  head: Rev
  origin: ChangeOrigin
  /** The pull request's author. */
  author?: string
  pushed: boolean
  live?: LiveApproval
  inherited?: Approval[]
}

/** A pull request as webhook payloads and the REST API both describe it. */
export interface PullJson {
  number: number
  user?: { login?: string } | null
  base: Rev & { repo?: { full_name?: string } | null }
  head: Rev & { repo?: { full_name?: string } | null }
}

/** The review target of a pull request; `repoFullName` is the repository the event is about. */
export function targetOf(pr: PullJson, repoFullName: string, pushed: boolean): ReviewTarget {
  const author = pr.user?.login
  return {
    issue: pr.number,
    base: { ref: pr.base.ref, sha: pr.base.sha },
    head: { ref: pr.head.ref, sha: pr.head.sha },
    // `head.repo` is null when the fork was deleted; a missing field stays undefined (untrusted).
    origin: { kind: 'pull-request', baseRepo: pr.base.repo?.full_name ?? repoFullName, headRepo: pr.head.repo === null ? null : pr.head.repo?.full_name },
    ...(author ? { author } : {}),
    pushed,
  }
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
  return targetOf(pr, `${repo.owner}/${repo.repo}`, false)
}

/**
 * A merge-queue head: its origin (trusted only as far as the queued pull request is) and the
 * approvals recorded for the queued pull request's head, carried to the queue head.
 */
export async function mergeGroupTarget(client: GitHubClient, repo: RepoRef, group: { base: Rev; head: Rev; prNumber?: number }, recorded: (sha: string) => Promise<Approval[]>): Promise<ReviewTarget> {
  const baseRepo = `${repo.owner}/${repo.repo}`
  const queued = group.prNumber !== undefined ? await findPull(client, repo, group.prNumber, undefined).catch(() => undefined) : undefined
  const origin: ChangeOrigin = queued && queued.origin.kind === 'pull-request' ? { kind: 'merge-group', baseRepo, queued: { headRepo: queued.origin.headRepo } } : { kind: 'merge-group', baseRepo }
  const inherited = queued ? (await recorded(queued.head.sha)).map((a) => ({ ...a, sha: group.head.sha, via: `${a.via} (pull request #${group.prNumber})` })) : []
  return { base: group.base, head: group.head, origin, pushed: false, inherited, ...(queued?.author ? { author: queued.author } : {}) }
}

/** The pull request number GitHub puts in a merge-queue branch name (`gh-readonly-queue/main/pr-12-…`). */
export function queuedPullNumber(headRef: string): number | undefined {
  const m = /\/pr-(\d+)-/.exec(headRef)
  return m ? Number(m[1]) : undefined
}

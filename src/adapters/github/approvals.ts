import type { Approval } from '../../core/gate/index.js'
import { isForbidden, listAll, statusOf, type GitHubClient, type RepoRef } from './client.js'

/** `/fluxgate approve` or `/fluxgate approve <sha prefix>` on the first line of a comment. */
const APPROVE_COMMAND = /^\s*\/fluxgate\s+approve(?:\s+([0-9a-f]{7,40}))?\s*$/i

/** The approval command in a comment body: `{ sha?: prefix }`, or undefined when there is none. */
export function parseApproveCommand(body: string | null | undefined): { sha?: string } | undefined {
  const first = (body ?? '').split('\n', 1)[0] ?? ''
  const m = APPROVE_COMMAND.exec(first)
  if (!m) return undefined
  return m[1] ? { sha: m[1].toLowerCase() } : {}
}

/** True when `user` has write access (write, maintain or admin) to the repository. */
export async function hasWriteAccess(client: GitHubClient, repo: RepoRef, user: string): Promise<boolean> {
  try {
    const { data } = await client.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...repo, username: user })
    const p = (data as { permission?: string }).permission
    return p === 'admin' || p === 'write' || p === 'maintain'
  } catch (err) {
    if (statusOf(err) === 404 || isForbidden(err)) return false
    throw err
  }
}

/** Inputs of collectApprovals. */
export interface ApprovalSources {
  issue: number
  headSha: string
  /** The label that approves (`fluxgate/approved`). */
  label: string
  /** Approvals recorded earlier on the check run of `headSha`. */
  stored: Approval[]
  /** An approval this very event carries (comment, button, label added), not yet permission-checked. */
  live?: { by: string; via: string }
  /** The event pushed new commits: a label given before them is stale and is removed. */
  pushed: boolean
}

/**
 * The approvals that hold for `headSha`, each tied to it (style: an approval is for the commit
 * it was given on). Sources:
 * 1. approvals recorded on this SHA's check run by earlier runs;
 * 2. the approval the current event carries (a `/fluxgate approve` comment, the check run's
 *    Approve button, the label being added), when its author has write access;
 * 3. `/fluxgate approve <sha>` comments that name this head SHA, by users with write access;
 * 4. the approval label, unless this event pushed new commits: then the label is stale and
 *    is removed (best effort; a read-only token leaves it, and it still does not count).
 */
export async function collectApprovals(client: GitHubClient, repo: RepoRef, src: ApprovalSources): Promise<Approval[]> {
  const out: Approval[] = src.stored.filter((a) => a.sha === src.headSha)
  const add = async (by: string, via: string): Promise<void> => {
    if (out.some((a) => a.by === by && a.via === via)) return
    if (await hasWriteAccess(client, repo, by)) out.push({ sha: src.headSha, by, via })
  }
  if (src.live) await add(src.live.by, src.live.via)
  const comments = await listAll<{ body?: string | null; user?: { login?: string } | null }>(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: src.issue })
  for (const c of comments) {
    const cmd = parseApproveCommand(c.body)
    if (cmd?.sha && src.headSha.startsWith(cmd.sha) && c.user?.login) await add(c.user.login, 'comment')
  }
  const labels = await listAll<{ name: string }>(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...repo, issue_number: src.issue })
  if (!labels.some((l) => l.name === src.label)) return out
  if (src.pushed) {
    await client.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...repo, issue_number: src.issue, name: src.label }).catch((err: unknown) => {
      if (!isForbidden(err)) throw err
    })
    return out
  }
  // Adding a label needs triage access already; a labeler checked live and refused stays refused.
  if (!out.some((a) => a.via === 'label') && src.live?.via !== 'label') out.push({ sha: src.headSha, by: 'label', via: 'label' })
  return out
}

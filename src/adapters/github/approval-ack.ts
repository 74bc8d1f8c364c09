import { hasWriteAccess, parseApproveCommand } from './approvals.js'
import { isForbidden, type GitHubClient, type RepoRef } from './client.js'

/** A `/fluxgate approve` comment to acknowledge. */
export interface ApproveComment {
  /** The issue comment's id (for the reaction). */
  commentId: number
  /** The pull request it was written on. */
  issue: number
  body: string
  by: string
}

/** The verdict on an approval command: accepted, or refused with the reason told to its author. */
export type ApproveAck = { accepted: true } | { accepted: false; reason: string }

/**
 * Acknowledges a `/fluxgate approve` comment where its author looks (the comment itself):
 * - accepted (author has write access, and the command names no commit or the pull request's
 *   head): a 👍 reaction;
 * - refused: a 😕 reaction and a reply saying why (no write access; the named commit is not the
 *   head, so approving it would approve nothing — an approval holds for the commit it names).
 * A token that may not react or comment only loses the acknowledgement, never the review.
 */
export async function acknowledgeApproval(client: GitHubClient, repo: RepoRef, c: ApproveComment, headSha: string): Promise<ApproveAck> {
  const cmd = parseApproveCommand(c.body) ?? {}
  let ack: ApproveAck = { accepted: true }
  if (!(await hasWriteAccess(client, repo, c.by))) {
    ack = { accepted: false, reason: `@${c.by} \`/fluxgate approve\` was not applied: approving needs write access to ${repo.owner}/${repo.repo}.` }
  } else if (cmd.sha && !headSha.startsWith(cmd.sha)) {
    ack = {
      accepted: false,
      reason: `@${c.by} \`/fluxgate approve ${cmd.sha}\` was not applied: \`${cmd.sha}\` is not the head of this pull request (\`${headSha.slice(0, 7)}\`). An approval holds for the commit it names; approve the head with \`/fluxgate approve\` or \`/fluxgate approve ${headSha.slice(0, 7)}\`.`,
    }
  }
  await bestEffort(() => client.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...repo, comment_id: c.commentId, content: ack.accepted ? '+1' : 'confused' }))
  if (!ack.accepted) await bestEffort(() => client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: c.issue, body: ack.reason }))
  return ack
}

async function bestEffort(call: () => Promise<unknown>): Promise<void> {
  try {
    await call()
  } catch (err) {
    if (!isForbidden(err)) throw err
  }
}

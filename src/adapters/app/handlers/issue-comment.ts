import type { Context } from 'probot'
import { acknowledgeApproval, Approvers, parseApproveCommand } from '../../../flows/index.js'
import { findPull } from '../../github/pull-target.js'
import { GitHubReviewHost } from '../../github/review-host.js'
import type { Reviews } from '../review-queue.js'
import { scopeOf } from '../review.js'

/**
 * issue_comment.created `/fluxgate approve <sha>` on a pull request: judge it and answer on the
 * comment (👍, or 😕 and a reply saying why), then queue a review of the head with that
 * approval when accepted.
 */
export function onIssueComment(reviews: Reviews) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const p = context.payload
    const by = p.comment.user?.login
    if (!p.issue.pull_request || !by || !parseApproveCommand(p.comment.body)) return
    const scope = scopeOf(context as unknown as Context)
    const target = await findPull(scope.client, scope.repo, p.issue.number, undefined)
    if (!target || target.issue === undefined) return
    const host = new GitHubReviewHost(scope.client, scope.repo)
    const ack = await acknowledgeApproval(host, new Approvers(host, target.author), { id: p.comment.id, issue: target.issue, body: p.comment.body, author: by }, target.head.sha)
    if (!ack.accepted) {
      scope.logger.info(`fluxgate: approval refused: ${ack.reason}`)
      return
    }
    await reviews.schedule(context as unknown as Context, { ...target, live: { by, via: 'comment' } })
  }
}

import type { Context } from 'probot'
import { acknowledgeApproval } from '../../github/approval-ack.js'
import { parseApproveCommand } from '../../github/approvals.js'
import { findPull } from '../../github/pull-target.js'
import { reviewInApp, scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/**
 * issue_comment.created `/fluxgate approve` on a pull request: acknowledge it on the comment
 * (👍, or 😕 and a reply saying why), then review the head with that approval when accepted.
 */
export function onIssueComment(settings: AppSettings) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const p = context.payload
    const by = p.comment.user?.login
    if (!p.issue.pull_request || !by || !parseApproveCommand(p.comment.body)) return
    const scope = scopeOf(context as unknown as Context)
    const target = await findPull(scope.client, scope.repo, p.issue.number, undefined)
    if (!target || target.issue === undefined) return
    const ack = await acknowledgeApproval(scope.client, scope.repo, { commentId: p.comment.id, issue: target.issue, body: p.comment.body, by }, target.head.sha)
    if (!ack.accepted) {
      scope.logger.info(`fluxgate: approval refused: ${ack.reason}`)
      return
    }
    await reviewInApp(scope, settings, { ...target, live: { by, via: 'comment' } })
  }
}

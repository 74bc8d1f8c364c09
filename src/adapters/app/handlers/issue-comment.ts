import type { Context } from 'probot'
import { parseApproveCommand } from '../../github/approvals.js'
import { findPull } from '../../github/pull-target.js'
import { reviewInApp, scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/** issue_comment.created `/fluxgate approve` on a pull request: review its head with that approval. */
export function onIssueComment(settings: AppSettings) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const p = context.payload
    const by = p.comment.user?.login
    if (!p.issue.pull_request || !by || !parseApproveCommand(p.comment.body)) return
    const scope = scopeOf(context as unknown as Context)
    const target = await findPull(scope.client, scope.repo, p.issue.number, undefined)
    if (!target) return
    await reviewInApp(scope, settings, { ...target, live: { by, via: 'comment' } })
  }
}

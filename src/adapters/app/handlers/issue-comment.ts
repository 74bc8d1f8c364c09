import type { Context } from 'probot'
import { answerChatCommand, Approvers, parseChatCommand } from '../../../flows/index.js'
import { findPull } from '../../github/pull-target.js'
import { GitHubReviewHost } from '../../github/review-host.js'
import type { Reviews } from '../review-queue.js'
import { scopeOf } from '../review.js'

/**
 * issue_comment.created `/fluxgate …` on a pull request: answer the command on the comment
 * (flows/commands.ts: approve, plan, help, anything else), then queue a review of the head when the
 * command asks for it (an accepted approval, `/fluxgate plan`).
 */
export function onIssueComment(reviews: Reviews) {
  return async (context: Context<'issue_comment.created'>): Promise<void> => {
    const p = context.payload
    const by = p.comment.user?.login
    const command = parseChatCommand(p.comment.body)
    if (!p.issue.pull_request || !by || !command) return
    const scope = scopeOf(context as unknown as Context)
    const target = await findPull(scope.client, scope.repo, p.issue.number, undefined)
    if (!target || target.issue === undefined) return
    const host = new GitHubReviewHost(scope.client, scope.repo)
    const comment = { id: p.comment.id, issue: target.issue, body: p.comment.body, author: by }
    const outcome = await answerChatCommand(host, new Approvers(host, target.author), comment, command, { sha: target.head.sha, ...(target.author ? { author: target.author } : {}) })
    if (!outcome.replan) {
      scope.logger.info(`fluxgate: ${outcome.reason}`)
      return
    }
    await reviews.schedule(context as unknown as Context, { ...target, ...(outcome.live ? { live: outcome.live } : {}) })
  }
}

import type { Context } from 'probot'
import { APPROVE_ACTION, CHECK_NAME } from '../../../report/index.js'
import { findPull } from '../../github/pull-target.js'
import type { Reviews } from '../review-queue.js'
import { scopeOf } from '../review.js'

/**
 * check_run.requested_action (the Approve button) and check_run.rerequested on our check:
 * queue a review of the pull request head; a button on an older commit's run approves nothing.
 */
export function onCheckRun(reviews: Reviews) {
  return async (context: Context<'check_run'>): Promise<void> => {
    const p = context.payload
    if (p.check_run.name !== CHECK_NAME) return
    const approve = p.action === 'requested_action' && 'requested_action' in p && p.requested_action?.identifier === APPROVE_ACTION
    if (!approve && p.action !== 'rerequested') return
    const scope = scopeOf(context as unknown as Context)
    const issue = p.check_run.pull_requests[0]?.number
    const target = await findPull(scope.client, scope.repo, issue, p.check_run.head_sha)
    if (!target) return
    await reviews.schedule(context as unknown as Context, { ...target, ...(approve ? { live: { by: p.sender.login, via: 'check-action' } } : {}) })
  }
}

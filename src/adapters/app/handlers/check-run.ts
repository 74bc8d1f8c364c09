import type { Context } from 'probot'
import { APPROVE_ACTION, CHECK_NAME } from '../../../report/index.js'
import { findPull } from '../../github/pull-target.js'
import { reviewInApp, scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/**
 * check_run.requested_action (the Approve button) and check_run.rerequested on our check:
 * review the pull request head again; a button on an older commit's run approves nothing.
 */
export function onCheckRun(settings: AppSettings) {
  return async (context: Context<'check_run'>): Promise<void> => {
    const p = context.payload
    if (p.check_run.name !== CHECK_NAME) return
    const approve = p.action === 'requested_action' && 'requested_action' in p && p.requested_action?.identifier === APPROVE_ACTION
    if (!approve && p.action !== 'rerequested') return
    const scope = scopeOf(context as unknown as Context)
    const issue = p.check_run.pull_requests[0]?.number
    const target = await findPull(scope.client, scope.repo, issue, p.check_run.head_sha)
    if (!target) return
    await reviewInApp(scope, settings, { ...target, ...(approve ? { live: { by: p.sender.login, via: 'check-action' } } : {}) })
  }
}

import type { Context } from 'probot'
import { reviewInApp, scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/** pull_request opened / synchronize / reopened / labeled: review the head. */
export function onPullRequest(settings: AppSettings) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const p = context.payload
    const pr = p.pull_request
    const fork = !!pr.head.repo && pr.head.repo.full_name !== pr.base.repo.full_name
    const live = p.action === 'labeled' && 'label' in p && p.label?.name === settings.approveLabel ? { by: p.sender.login, via: 'label' } : undefined
    if (p.action === 'labeled' && !live) return
    await reviewInApp(scopeOf(context as unknown as Context), settings, {
      issue: pr.number,
      base: { ref: pr.base.ref, sha: pr.base.sha },
      head: { ref: pr.head.ref, sha: pr.head.sha },
      fork,
      pushed: p.action === 'synchronize',
      ...(live ? { live } : {}),
    })
  }
}

import type { Context } from 'probot'
import type { LiveApproval } from '../../../flows/index.js'
import { targetOf, type PullJson } from '../../github/pull-target.js'
import type { Reviews } from '../review-queue.js'
import type { AppSettings } from '../settings.js'

/** pull_request opened / synchronize / reopened / labeled: queue a review of the head. */
export function onPullRequest(settings: AppSettings, reviews: Reviews) {
  return async (context: Context<'pull_request'>): Promise<void> => {
    const p = context.payload
    const live: LiveApproval | undefined = p.action === 'labeled' && 'label' in p && p.label?.name === settings.approveLabel ? { by: p.sender.login, via: 'label' } : undefined
    if (p.action === 'labeled' && !live) return
    const target = targetOf(p.pull_request as unknown as PullJson, p.repository.full_name, p.action === 'synchronize')
    await reviews.schedule(context as unknown as Context, { ...target, ...(live ? { live } : {}) })
  }
}

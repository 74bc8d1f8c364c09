import type { Context } from 'probot'
import { queueApprovals } from '../../github/pull-target.js'
import { reviewInApp, scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/**
 * merge_group.checks_requested: plan and gate the queue head, so `fluxgate` can be a required
 * check with a merge queue. Approvals of the queued pull request's head carry over.
 */
export function onMergeGroup(settings: AppSettings) {
  return async (context: Context<'merge_group.checks_requested'>): Promise<void> => {
    const g = context.payload.merge_group
    const scope = scopeOf(context as unknown as Context)
    const pr = /\/pr-(\d+)-/.exec(g.head_ref)
    const inherited = await queueApprovals(scope.client, scope.repo, pr ? Number(pr[1]) : undefined, g.head_sha)
    await reviewInApp(scope, settings, {
      base: { ref: g.base_ref.replace(/^refs\/heads\//, ''), sha: g.base_sha },
      head: { ref: g.head_ref, sha: g.head_sha },
      fork: false,
      pushed: false,
      inherited,
    })
  }
}

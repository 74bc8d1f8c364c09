import type { Context } from 'probot'
import { mergeGroupTarget, queuedPullNumber } from '../../github/pull-target.js'
import { GitHubReviewHost } from '../../github/review-host.js'
import type { Reviews } from '../review-queue.js'
import { scopeOf } from '../review.js'

/**
 * merge_group.checks_requested: plan and gate the queue head, so `fluxgate` can be a required
 * check with a merge queue. Trust and approvals come from the queued pull request.
 */
export function onMergeGroup(reviews: Reviews) {
  return async (context: Context<'merge_group.checks_requested'>): Promise<void> => {
    const g = context.payload.merge_group
    const scope = scopeOf(context as unknown as Context)
    const host = new GitHubReviewHost(scope.client, scope.repo)
    const pr = queuedPullNumber(g.head_ref)
    const target = await mergeGroupTarget(
      scope.client,
      scope.repo,
      { base: { ref: g.base_ref.replace(/^refs\/heads\//, ''), sha: g.base_sha }, head: { ref: g.head_ref, sha: g.head_sha }, ...(pr !== undefined ? { prNumber: pr } : {}) },
      (sha) => host.recordedApprovals(sha),
    )
    await reviews.schedule(context as unknown as Context, target)
  }
}

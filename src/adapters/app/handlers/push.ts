import type { Context } from 'probot'

/**
 * push to the default branch: only logged. The App reconciles after a merge on the pull
 * request's `closed` event (handlers/pull-request-merged.ts), which names the pull request
 * whose comment gets the result; a push that merged no pull request has nobody to tell.
 */
export function onPush() {
  return async (context: Context<'push'>): Promise<void> => {
    const p = context.payload
    if (p.ref !== `refs/heads/${p.repository.default_branch}`) return
    context.log.info(`fluxgate: ${p.repository.full_name} merged ${p.after.slice(0, 7)}; the post-merge reconcile runs on the merged pull request's closed event`)
  }
}

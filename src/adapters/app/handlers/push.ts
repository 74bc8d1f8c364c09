import type { Context } from 'probot'

/**
 * push to the default branch: the post-merge step. The App holds no cluster credentials, so
 * it only logs; reconciling after a merge is the Action's `kubeconfig` input or the CLI.
 */
export function onPush() {
  return async (context: Context<'push'>): Promise<void> => {
    const p = context.payload
    if (p.ref !== `refs/heads/${p.repository.default_branch}`) return
    context.log.info(`fluxgate: ${p.repository.full_name} merged ${p.after.slice(0, 7)}; nothing to do after a merge without cluster access`)
  }
}

import type { Logger } from '../../ports/logger.js'
import type { ActionSettings } from './inputs.js'

/** What the post-merge step did. */
export interface PostMergeResult {
  done: boolean
  message: string
}

/**
 * The post-merge step on a push to the default branch: reconcile what the merge changed when
 * a kubeconfig is given. Seam for the reconcile work (src/core/reconcile + src/infra/
 * k8s-cluster.ts); without a kubeconfig there is nothing to do, and it says so.
 */
export async function runPostMerge(settings: Pick<ActionSettings, 'kubeconfig'>, sha: string, logger: Logger): Promise<PostMergeResult> {
  if (!settings.kubeconfig) {
    const message = 'Nothing to do after the merge without a kubeconfig: give the `kubeconfig` input to reconcile what the merge changed.'
    logger.info(message)
    return { done: false, message }
  }
  const message = `Post-merge reconcile of ${sha.slice(0, 7)} is not wired into the Action yet; use \`fluxgate reconcile\` in a workflow step.`
  logger.warn(message)
  return { done: false, message }
}

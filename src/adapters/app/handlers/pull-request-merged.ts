import type { Context } from 'probot'
import { K8sCluster } from '../../../infra/k8s-cluster.js'
import { postMergeReconcile } from '../../github/post-merge-flow.js'
import { fetchCommits } from '../fetch-repo.js'
import { scopeOf } from '../review.js'
import type { AppSettings } from '../settings.js'

/**
 * pull_request.closed with `merged: true` into the default branch: the post-merge reconcile
 * (issue 9) when the App holds cluster access (FLUXGATE_KUBECONFIG or FLUXGATE_IN_CLUSTER);
 * otherwise it logs and does nothing. Fetches the merge commit (its first parent comes with
 * it), then the same flow as the Action's push path: a Deployment per cluster and the pull
 * request's sticky comment updated.
 */
export function onPullRequestMerged(settings: AppSettings) {
  return async (context: Context<'pull_request.closed'>): Promise<void> => {
    const p = context.payload
    const pr = p.pull_request
    if (!pr.merged || !pr.merge_commit_sha) return
    const scope = scopeOf(context as unknown as Context)
    const where = `${scope.repo.owner}/${scope.repo.repo}#${pr.number}`
    if (pr.base.ref !== p.repository.default_branch) {
      scope.logger.info(`fluxgate: ${where} merged into ${pr.base.ref}, not the default branch; nothing to reconcile`)
      return
    }
    if (!settings.kube) {
      scope.logger.info(`fluxgate: ${where} merged as ${pr.merge_commit_sha.slice(0, 7)}; no cluster access configured (FLUXGATE_KUBECONFIG, FLUXGATE_IN_CLUSTER), nothing to do`)
      return
    }
    const cluster = loadCluster(settings.kube)
    const token = await scope.token()
    const source = await fetchCommits({ cacheDir: settings.cacheDir, cloneUrl: scope.cloneUrl, token, shas: [pr.merge_commit_sha] })
    const outcome = await postMergeReconcile({
      client: scope.client,
      repo: scope.repo,
      source,
      mergeSha: pr.merge_commit_sha,
      branch: pr.base.ref,
      pullNumber: pr.number,
      paths: settings.paths,
      repoUrl: scope.htmlUrl,
      allowRemoteCharts: settings.allowRemoteCharts,
      ...(settings.helmPath ? { helmPath: settings.helmPath } : {}),
      cluster,
      ...(settings.clusterName ? { clusterName: settings.clusterName } : {}),
      timeouts: { sourceMs: settings.reconcileTimeoutMs, objectMs: settings.reconcileTimeoutMs },
      logger: scope.logger,
      secretValues: [token],
    })
    const line = `fluxgate: ${where} post-merge reconcile ${outcome.ok ? 'succeeded' : 'FAILED'}\n${outcome.text}`
    if (outcome.ok) scope.logger.info(line)
    else scope.logger.warn(line)
  }
}

/** The cluster client; a load error never quotes the kubeconfig (it holds credentials). */
function loadCluster(source: NonNullable<AppSettings['kube']>): K8sCluster {
  try {
    return K8sCluster.load(source)
  } catch {
    throw new Error('fluxgate: the cluster access could not be loaded (FLUXGATE_KUBECONFIG is not a kubeconfig with a current context and cluster, or the pod has no service account)')
  }
}

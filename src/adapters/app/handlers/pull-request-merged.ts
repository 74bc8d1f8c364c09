import type { Context } from 'probot'
import { postMergeFlow } from '../../../flows/index.js'
import { HelmCli } from '../../../infra/helm-cli.js'
import { K8sCluster } from '../../../infra/k8s-cluster.js'
import { reconcileText } from '../../../report/reconcile.js'
import { GitHubDeployHost } from '../../github/deploy-host.js'
import { scopeOf, withFetched, type AppStores } from '../review.js'
import type { AppSettings } from '../settings.js'
import { systemClock } from '../../../infra/clock.js'

/**
 * pull_request.closed with `merged: true` into the default branch: the post-merge flow when the
 * App holds cluster access (FLUXGATE_KUBECONFIG or FLUXGATE_IN_CLUSTER); otherwise it logs and
 * does nothing. A Deployment per cluster and the pull request's sticky comment updated, as the
 * Action's push path does.
 */
export function onPullRequestMerged(settings: AppSettings, stores: AppStores) {
  return async (context: Context<'pull_request.closed'>): Promise<void> => {
    const p = context.payload
    const pr = p.pull_request
    if (!pr.merged || !pr.merge_commit_sha) return
    const scope = scopeOf(context as unknown as Context, stores.tokens)
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
    const mergeSha = pr.merge_commit_sha
    await withFetched(scope, stores.repos, [mergeSha], undefined, async ({ repo, token }) => {
      const helm = settings.helmPath ? new HelmCli({ helmPath: settings.helmPath, cacheDir: settings.chartCache }) : undefined
      try {
        const outcome = await postMergeFlow({
          source: repo,
          mergeSha,
          branch: pr.base.ref,
          pullNumber: pr.number,
          paths: settings.paths,
          repoUrl: scope.htmlUrl,
          offline: settings.offline,
          ...(helm?.available() ? { helm } : {}),
          cluster,
          ...(settings.clusterName ? { clusterName: settings.clusterName } : {}),
          timeouts: { sourceMs: settings.reconcileTimeoutMs, objectMs: settings.reconcileTimeoutMs },
          logger: scope.logger,
          host: new GitHubDeployHost(scope.client, scope.repo),
          secretValues: [token],
          clock: systemClock,
        })
        const line = `fluxgate: ${where} post-merge reconcile ${outcome.ok ? 'succeeded' : 'FAILED'}\n${reconcileText(outcome.reports)}`
        if (outcome.ok) scope.logger.info(line)
        else scope.logger.warn(line)
      } finally {
        helm?.dispose()
      }
    })
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

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { postMergeFlow } from '../../flows/index.js'
import { fetchCommits } from '../../infra/git-fetch.js'
import { GitRepo } from '../../infra/git-repo.js'
import { HelmCli } from '../../infra/helm-cli.js'
import { K8sCluster } from '../../infra/k8s-cluster.js'
import type { Logger } from '../../ports/logger.js'
import { reconcileMarkdown, reconcileText } from '../../report/reconcile.js'
import type { GitHubClient } from '../github/client.js'
import { GitHubDeployHost } from '../github/deploy-host.js'
import type { ActionSettings } from './inputs.js'
import { systemClock } from '../../infra/clock.js'

/** What the post-merge step did. */
export interface PostMergeResult {
  /** A reconcile ran. */
  done: boolean
  /** Nothing failed (true when there was nothing to do). */
  ok: boolean
  /** Markdown for the job summary. */
  message: string
}

type PostMergeSettings = Pick<ActionSettings, 'kubeconfig' | 'cluster' | 'reconcileTimeoutMs' | 'owner' | 'repo' | 'repositoryPath' | 'paths' | 'serverUrl' | 'offline' | 'chartCache' | 'helmPath' | 'token' | 'runUrl' | 'tempDir'>

/**
 * The post-merge step on a push to the default branch: the post-merge flow with the cluster
 * the `kubeconfig` input reaches, reporting a Deployment and updating the merged pull
 * request's comment. The kubeconfig content goes to a private temp file (0600) that is removed
 * afterwards; it is masked and never printed. Without a kubeconfig there is nothing to do,
 * and it says so.
 */
export async function runPostMerge(settings: PostMergeSettings, client: GitHubClient, job: { sha: string; branch: string }, logger: Logger): Promise<PostMergeResult> {
  if (!settings.kubeconfig) {
    const message = 'Nothing to do after the merge without a kubeconfig: give the `kubeconfig` input to reconcile what the merge changed.'
    logger.info(message)
    return { done: false, ok: true, message }
  }
  const dir = mkdtempSync(join(settings.tempDir, 'fluxgate-kube-'))
  const helm = settings.helmPath ? new HelmCli({ helmPath: settings.helmPath, cacheDir: settings.chartCache }) : undefined
  try {
    const file = join(dir, 'config')
    writeFileSync(file, settings.kubeconfig, { mode: 0o600 })
    const cluster = loadCluster(file)
    const repo = new GitRepo(settings.repositoryPath)
    await fetchCommits(repo, { remote: 'origin', shas: [job.sha] }).catch((err: unknown) => logger.warn(err instanceof Error ? err.message : String(err)))
    const outcome = await postMergeFlow({
      source: repo,
      mergeSha: job.sha,
      branch: job.branch,
      paths: settings.paths,
      repoUrl: `${settings.serverUrl}/${settings.owner}/${settings.repo}`,
      offline: settings.offline,
      ...(helm?.available() ? { helm } : {}),
      cluster,
      ...(settings.cluster ? { clusterName: settings.cluster } : {}),
      timeouts: { sourceMs: settings.reconcileTimeoutMs, objectMs: settings.reconcileTimeoutMs },
      logger,
      host: new GitHubDeployHost(client, { owner: settings.owner, repo: settings.repo }, settings.runUrl),
      secretValues: [settings.token, settings.kubeconfig],
      clock: systemClock,
    })
    const text = outcome.cluster ? reconcileText(outcome.reports) : `The merge ${job.sha.slice(0, 7)} changes no cluster: nothing to reconcile.`
    logger.info(text + outcome.reports.flatMap((r) => r.diagnostics.map((d) => `${d.severity} [${d.code}] ${d.message}\n`)).join(''))
    const pr = outcome.pullNumber !== undefined ? `Merged pull request #${outcome.pullNumber}.\n\n` : ''
    return { done: outcome.cluster !== undefined, ok: outcome.ok, message: `${pr}${outcome.cluster ? reconcileMarkdown(outcome.reports) : text}` }
  } finally {
    helm?.dispose()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The cluster client; a load error says what is wrong without quoting the file (it holds credentials). */
function loadCluster(file: string): K8sCluster {
  try {
    return K8sCluster.load({ kubeconfig: file })
  } catch {
    throw new Error('the kubeconfig input could not be loaded: it is not a kubeconfig with a current context and cluster')
  }
}

import type { Plan } from '../../core/model/plan.js'
import type { FleetRender } from '../../core/model/render-result.js'
import { planReconcile } from '../../core/reconcile/plan-reconcile.js'
import { runReconcile, type ReconcileOptions } from '../../core/reconcile/run-reconcile.js'
import type { ReconcileReport } from '../../core/reconcile/types.js'
import type { ClusterClient } from '../../ports/cluster.js'
import { PLAN_MARKER } from '../../report/index.js'
import { reconcileMarkdown, withReconcileSection } from '../../report/reconcile.js'
import type { GitHubClient, RepoRef } from './client.js'
import { ourParts } from './sticky-comment.js'

/** The final state of a cluster's Deployment. */
export type DeploymentState = 'success' | 'failure' | 'inactive'

/** One cluster to reconcile after a merge: its name (the Deployment environment) and the run. */
export interface ClusterRun {
  cluster: string
  run: () => Promise<ReconcileReport>
}

/** Where the merge came from. */
export interface MergeInfo {
  /** The merge commit SHA (the Deployment's ref). */
  sha: string
  /** The merged pull request, whose sticky comment gets the results; absent on a plain push. */
  pullNumber?: number
  /** Link shown on each Deployment status (the workflow run, the app's log). */
  logUrl?: string
}

/** What was published, per cluster. */
export interface PublishedRun {
  cluster: string
  deploymentId: number
  state: DeploymentState
  report: ReconcileReport
}

/** GitHub's limit for a Deployment status description. */
const DESCRIPTION_MAX = 140

/**
 * success when everything applied; inactive when nothing was asked (no affected object, or all
 * suspended), so the environment does not claim a deploy that did not happen; else failure.
 */
export function deploymentState(report: ReconcileReport): DeploymentState {
  if (!report.ok) return 'failure'
  return report.results.some((r) => r.outcome === 'succeeded' && r.role !== 'source') ? 'success' : 'inactive'
}

/** One line for the Deployment status: Flux's message of the first failure, or a count. */
export function deploymentDescription(report: ReconcileReport): string {
  const bad = report.results.find((r) => r.outcome !== 'succeeded' && r.outcome !== 'suspended' && r.outcome !== 'skipped')
  const text = bad
    ? `${bad.ref.kind} ${bad.ref.name} ${bad.outcome}: ${bad.reason ? `${bad.reason}: ` : ''}${bad.message ?? ''}`
    : `${report.results.filter((r) => r.outcome === 'succeeded').length} object(s) reconciled`
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text
}

async function createDeployment(client: GitHubClient, repo: RepoRef, merge: MergeInfo, cluster: string): Promise<number> {
  const { data } = await client.request('POST /repos/{owner}/{repo}/deployments', {
    ...repo,
    ref: merge.sha,
    environment: cluster,
    task: 'deploy:flux-reconcile',
    description: `Flux reconcile of ${merge.sha.slice(0, 7)}`,
    auto_merge: false,
    // Flux deploys what is merged; the merge's own checks already ran.
    required_contexts: [],
    payload: { cluster, ...(merge.pullNumber ? { pull_request: merge.pullNumber } : {}) },
  })
  return (data as { id: number }).id
}

async function setStatus(client: GitHubClient, repo: RepoRef, id: number, state: DeploymentState | 'in_progress', description: string, logUrl?: string): Promise<void> {
  await client.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
    ...repo,
    deployment_id: id,
    state,
    description,
    ...(logUrl ? { log_url: logUrl } : {}),
  })
}

/**
 * The post-merge report on GitHub:
 * 1. per cluster, a Deployment (environment = cluster name, ref = merge SHA) set in_progress;
 * 2. the cluster's reconcile runs;
 * 3. its Deployment gets success / failure / inactive, with Flux's message on failure;
 * 4. the merged pull request's sticky comment gains (or updates) a reconcile section.
 * A run that throws counts as a failure of that cluster; the others still run.
 */
export async function reconcileWithDeployments(client: GitHubClient, repo: RepoRef, merge: MergeInfo, runs: readonly ClusterRun[]): Promise<PublishedRun[]> {
  const out: PublishedRun[] = []
  for (const c of runs) {
    const id = await createDeployment(client, repo, merge, c.cluster)
    await setStatus(client, repo, id, 'in_progress', `reconciling ${merge.sha.slice(0, 7)}`, merge.logUrl)
    const report = await c.run().catch((err: unknown) => failedReport(c.cluster, merge.sha, err))
    const state = deploymentState(report)
    await setStatus(client, repo, id, state, deploymentDescription(report), merge.logUrl)
    out.push({ cluster: c.cluster, deploymentId: id, state, report })
  }
  if (merge.pullNumber !== undefined) await publishReconcileComment(client, repo, merge.pullNumber, out.map((p) => p.report))
  return out
}

function failedReport(cluster: string, sha: string, err: unknown): ReconcileReport {
  const message = err instanceof Error ? err.message : String(err)
  return { cluster, context: '-', mergeSha: sha, ok: false, results: [], diagnostics: [{ code: 'cluster/reconcile-failed', severity: 'error', message, cluster }], durationMs: 0 }
}


/**
 * Puts the reconcile results into the pull request's sticky plan comment (the bot's comment
 * marked `<!-- fluxgate:plan -->`), replacing an earlier reconcile section; creates the
 * comment, marked, only when the plan comment is missing. Never adds a second comment.
 */
export async function publishReconcileComment(client: GitHubClient, repo: RepoRef, pullNumber: number, reports: readonly ReconcileReport[]): Promise<number> {
  const section = reconcileMarkdown(reports)
  // The same ownership rule as the plan comment: a bot's, or the token user's (a PAT).
  const sticky = (await ourParts(client, repo, pullNumber)).existing.get(1)
  if (sticky) {
    await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: sticky.id, body: withReconcileSection(sticky.body ?? '', section) })
    return sticky.id
  }
  const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: pullNumber, body: `${PLAN_MARKER}\n${section}\n` })
  return (data as { id: number }).id
}

/**
 * The runs for reconcileWithDeployments from a merge's plan and head render: one per cluster
 * that has a client (the Action and the app hold one kubeconfig, so usually one cluster).
 */
export function clusterRunsFor(plan: Plan, head: FleetRender, clients: ReadonlyMap<string, ClusterClient>, opts: Omit<ReconcileOptions, 'mergeSha'> & { mergeSha: string }): ClusterRun[] {
  return [...clients].map(([name, client]) => ({
    cluster: name,
    run: async () => {
      const clusterPlan = plan.clusters.find((c) => c.name === name)
      if (!clusterPlan) return { cluster: name, context: client.context, mergeSha: opts.mergeSha, ok: true, results: [], diagnostics: [], durationMs: 0 }
      return runReconcile(client, planReconcile(clusterPlan, head.clusters.find((c) => c.name === name)), opts)
    },
  }))
}

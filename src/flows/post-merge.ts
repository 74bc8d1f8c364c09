import { maskShown } from '../core/mask/index.js'
import { planReconcile } from '../core/reconcile/plan-reconcile.js'
import { runReconcile } from '../core/reconcile/run-reconcile.js'
import type { ReconcileReport, ReconcileTimeouts } from '../core/reconcile/types.js'
import type { ClusterClient } from '../ports/cluster.js'
import type { DeployHost, DeploymentState } from '../ports/deploy-host.js'
import type { RepoSource } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { Clock } from '../ports/clock.js'
import type { Logger } from '../ports/logger.js'
import { reconcileMarkdown } from '../report/reconcile.js'
import { RequestError } from './errors.js'
import { pickFleetCluster } from './pick-cluster.js'
import { planFlow, quietLogger } from './plan.js'
import { chartPolicy } from './trust.js'

/** One post-merge run: the CLI (`fluxgate reconcile`), the Action (push) and the App (merged pull request). */
export interface PostMergeRequest {
  /** Git objects holding the merge commit and what it changed from. */
  source: RepoSource
  mergeSha: string
  /** What the merge changed from; default its first parent. */
  base?: string
  /** The branch Flux follows (the default branch the merge landed on). */
  branch?: string
  paths?: readonly string[]
  repoUrl?: string
  /** No chart fetches (`--offline`); default false. */
  offline?: boolean
  /** @deprecated Remote charts are fetched by default; `false` means `offline: true`. */
  allowRemoteCharts?: boolean
  helm?: HelmRunner
  /** The cluster connection, and which fleet cluster it reaches (default: pickFleetCluster). */
  cluster: ClusterClient
  clusterName?: string
  timeouts: Partial<ReconcileTimeouts>
  logger?: Logger
  /** Values never to show (tokens, the kubeconfig). */
  secretValues?: readonly string[]
  /** Where to report: deployment records and the merged pull request's comment (none for the CLI). */
  host?: DeployHost
  /** The merged pull request when the event names it; else the host is asked. */
  pullNumber?: number
  /** Time for the reconcile's waits and the plan's duration. */
  clock: Clock
}

/** What the post-merge run did. */
export interface PostMergeOutcome {
  /** Nothing failed (also true when there was nothing to reconcile). */
  ok: boolean
  /** The fleet cluster reconciled; undefined when the merge touches none. */
  cluster?: string
  reports: ReconcileReport[]
  pullNumber?: number
  /** The deployment record per cluster, when a host was given. */
  deployments: { cluster: string; id: number; state: DeploymentState }[]
}

/** GitHub's limit for a deployment status description. */
const DESCRIPTION_MAX = 140

/**
 * After a merge:
 * 1. plan the merge commit against what it changed from (the default branch: trusted);
 * 2. pick the fleet cluster the connection reaches;
 * 3. with a host, a deployment record in progress for that cluster;
 * 4. reconcile what the merge changed there, in dependsOn order, and wait for Flux's verdict;
 * 5. the record gets its final state, and the merged pull request's sticky comment a
 *    reconcile section.
 * A reconcile that throws counts as a failure of that cluster.
 */
export async function postMergeFlow(req: PostMergeRequest): Promise<PostMergeOutcome> {
  const logger = req.logger ?? quietLogger
  const base = req.base ?? `${req.mergeSha}^1`
  await req.source.resolve(base).catch(() => {
    throw new RequestError(`${base} is not in the repository: fetch the history of the merge (actions/checkout with fetch-depth: 0)`)
  })
  const pullNumber = req.pullNumber ?? (req.host ? await req.host.mergedPull(req.mergeSha, req.branch ?? '') : undefined)
  const planned = await planFlow({
    source: req.source,
    base,
    head: req.mergeSha,
    ...(req.branch ? { branch: req.branch, baseLabel: req.branch, headLabel: req.branch } : {}),
    origin: { kind: 'default-branch' },
    ...(req.paths ? { paths: req.paths } : {}),
    ...(req.repoUrl ? { repoUrl: req.repoUrl } : {}),
    ...chartPolicy(req),
    ...(req.helm ? { helm: req.helm } : {}),
    secretValues: req.secretValues ?? [],
    logger,
    clock: req.clock,
  })
  const withPull = pullNumber !== undefined ? { pullNumber } : {}
  // The cluster is picked and reconciled by its real names (the working plan); what is reported is masked.
  const name = pickFleetCluster(planned.workingPlan, req.clusterName, req.cluster.context)
  if (!name) {
    logger.info(`the merge ${req.mergeSha.slice(0, 7)} changes no cluster: nothing to reconcile`)
    return { ok: true, reports: [], deployments: [], ...withPull }
  }
  const mergeSha = planned.workingPlan.head.sha
  const deployment = req.host ? await req.host.startDeployment(name, mergeSha, `Flux reconcile of ${mergeSha.slice(0, 7)}`, pullNumber) : undefined
  const report = maskShown(await reconcileCluster(req, planned, name, mergeSha, logger).catch((err: unknown) => failedReport(name, req.cluster.context, mergeSha, err)), planned.redactor)
  const state = deploymentState(report)
  const deployments = deployment !== undefined ? [{ cluster: name, id: deployment, state }] : []
  if (req.host && deployment !== undefined) await req.host.finishDeployment(deployment, state, deploymentDescription(report))
  if (req.host && pullNumber !== undefined) await req.host.showReconcile(pullNumber, reconcileMarkdown([report]))
  return { ok: report.ok, cluster: name, reports: [report], deployments, ...withPull }
}

async function reconcileCluster(req: PostMergeRequest, planned: Awaited<ReturnType<typeof planFlow>>, name: string, mergeSha: string, logger: Logger): Promise<ReconcileReport> {
  const clusterPlan = planned.workingPlan.clusters.find((c) => c.name === name)!
  const head = planned.headFleet.clusters.find((c) => c.name === name)
  return runReconcile(req.cluster, planReconcile(clusterPlan, head), { mergeSha, timeouts: req.timeouts, logger, clock: req.clock })
}

function failedReport(cluster: string, context: string, sha: string, err: unknown): ReconcileReport {
  const message = err instanceof Error ? err.message : String(err)
  return { cluster, context, mergeSha: sha, ok: false, results: [], diagnostics: [{ code: 'cluster/reconcile-failed', severity: 'error', message, cluster }], durationMs: 0 }
}

/**
 * success when everything applied; inactive when nothing was asked (no affected object, or all
 * suspended), so the environment does not claim a deploy that did not happen; else failure.
 */
export function deploymentState(report: ReconcileReport): DeploymentState {
  if (!report.ok) return 'failure'
  return report.results.some((r) => r.outcome === 'succeeded' && r.role !== 'source') ? 'success' : 'inactive'
}

/** One line for the deployment status: Flux's message of the first failure, or a count. */
export function deploymentDescription(report: ReconcileReport): string {
  const bad = report.results.find((r) => r.outcome !== 'succeeded' && r.outcome !== 'suspended' && r.outcome !== 'skipped')
  const diag = report.diagnostics.find((d) => d.severity === 'error')
  const text = bad
    ? `${bad.ref.kind} ${bad.ref.name} ${bad.outcome}: ${bad.reason ? `${bad.reason}: ` : ''}${bad.message ?? ''}`
    : diag && !report.ok
      ? diag.message
      : `${report.results.filter((r) => r.outcome === 'succeeded').length} object(s) reconciled`
  return text.length > DESCRIPTION_MAX ? `${text.slice(0, DESCRIPTION_MAX - 1)}…` : text
}

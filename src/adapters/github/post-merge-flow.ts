import type { Plan } from '../../core/model/plan.js'
import type { ReconcileReport, ReconcileTimeouts } from '../../core/reconcile/types.js'
import type { ClusterClient } from '../../ports/cluster.js'
import type { RepoSource } from '../../ports/file-tree.js'
import type { Logger } from '../../ports/logger.js'
import { systemClock } from '../../infra/clock.js'
import { reconcileMarkdown, reconcileText } from '../../report/reconcile.js'
import type { GitHubClient, RepoRef } from './client.js'
import { clusterRunsFor, reconcileWithDeployments, type PublishedRun } from './deployments.js'
import { planRevisions } from './plan-revisions.js'

/** One post-merge run, as the Action (push) and the App (merged pull request) wire it. */
export interface PostMergeRequest {
  client: GitHubClient
  repo: RepoRef
  /** Git objects holding the merge commit and its first parent. */
  source: RepoSource
  mergeSha: string
  /** The branch Flux follows (the default branch the merge landed on). */
  branch: string
  /** The merged pull request when the event names it (App); else looked up by commit. */
  pullNumber?: number
  paths: string[]
  repoUrl: string
  allowRemoteCharts: boolean
  helmPath?: string
  /** The cluster the kubeconfig reaches, and which fleet cluster it is (default: see pickFleetCluster). */
  cluster: ClusterClient
  clusterName?: string
  timeouts: Partial<ReconcileTimeouts>
  logger: Logger
  /** Shown on each Deployment status (the workflow run). */
  logUrl?: string
  /** Values never to show (tokens). */
  secretValues: string[]
}

/** What the post-merge run did. */
export interface PostMergeOutcome {
  /** Nothing failed (also true when there was nothing to reconcile). */
  ok: boolean
  /** Plain text for logs. */
  text: string
  /** Markdown for a job summary. */
  markdown: string
  pullNumber?: number
  published: PublishedRun[]
}

interface PullJson {
  number: number
  merged_at?: string | null
  merge_commit_sha?: string | null
  base?: { ref?: string }
}

/** The pull request a commit on `branch` merged (`GET commits/{sha}/pulls`), or undefined for a plain push. */
export async function findMergedPull(client: GitHubClient, repo: RepoRef, sha: string, branch: string): Promise<number | undefined> {
  const { data } = await client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...repo, commit_sha: sha, per_page: 100 })
  const pulls = (Array.isArray(data) ? data : []) as PullJson[]
  const merged = pulls.filter((p) => p.merged_at && p.base?.ref === branch)
  return (merged.find((p) => p.merge_commit_sha === sha) ?? merged[0])?.number
}

/**
 * The fleet cluster a kubeconfig stands for: the configured name, else the cluster named like
 * the context, else the only cluster, else the only cluster the merge touches. Undefined when
 * the merge touches none; an Error names the choices when it is ambiguous.
 */
export function pickFleetCluster(plan: Plan, configured: string | undefined, context: string): string | undefined {
  const names = plan.clusters.map((c) => c.name)
  if (configured) {
    if (!names.includes(configured)) throw new Error(`cluster '${configured}' is not in the repository (clusters: ${names.join(', ') || 'none'})`)
    return configured
  }
  if (names.includes(context)) return context
  if (names.length === 1) return names[0]
  const touched = plan.clusters.filter((c) => c.changes.length > 0 || c.owners.some((o) => o.state !== 'unchanged'))
  if (touched.length <= 1) return touched[0]?.name
  throw new Error(`the merge touches clusters ${touched.map((c) => c.name).join(', ')} and context '${context}' names none: set which cluster the kubeconfig reaches`)
}

/**
 * After a merge (issue 9, item 2–3):
 * 1. the merged pull request (given, or looked up by the merge commit);
 * 2. render the merge commit and its first parent and plan the change (the merge is on the
 *    default branch: trusted);
 * 3. pick the fleet cluster the kubeconfig reaches and reconcile what the merge changed there,
 *    with a GitHub Deployment (environment = cluster name) and the sticky comment updated.
 */
export async function postMergeReconcile(req: PostMergeRequest): Promise<PostMergeOutcome> {
  const pullNumber = req.pullNumber ?? (await findMergedPull(req.client, req.repo, req.mergeSha, req.branch))
  const parent = await req.source.resolve(`${req.mergeSha}^1`).catch(() => {
    throw new Error(`the first parent of ${req.mergeSha.slice(0, 7)} is not in the checkout: check out with fetch-depth: 0`)
  })
  const planned = await planRevisions({
    source: req.source,
    base: { ref: req.branch, sha: parent },
    head: { ref: req.branch, sha: req.mergeSha },
    paths: req.paths,
    repoUrl: req.repoUrl,
    trusted: true,
    allowRemoteCharts: req.allowRemoteCharts,
    ...(req.helmPath ? { helmPath: req.helmPath } : {}),
    secretValues: req.secretValues,
    logger: req.logger,
  })
  const name = pickFleetCluster(planned.plan, req.clusterName, req.cluster.context)
  const base = { ...(pullNumber !== undefined ? { pullNumber } : {}) }
  if (!name) {
    const text = `The merge ${req.mergeSha.slice(0, 7)} changes no cluster: nothing to reconcile.`
    req.logger.info(text)
    return { ok: true, text, markdown: text, published: [], ...base }
  }
  const runs = clusterRunsFor(planned.plan, planned.headFleet, new Map([[name, req.cluster]]), { mergeSha: req.mergeSha, timeouts: req.timeouts, logger: req.logger, clock: systemClock })
  const published = await reconcileWithDeployments(req.client, req.repo, { sha: req.mergeSha, ...base, ...(req.logUrl ? { logUrl: req.logUrl } : {}) }, runs)
  const reports: ReconcileReport[] = published.map((p) => p.report)
  const diagnostics = reports.flatMap((r) => r.diagnostics.map((d) => `${d.severity} [${d.code}] ${d.message}`))
  return {
    ok: reports.every((r) => r.ok),
    text: reconcileText(reports) + diagnostics.map((d) => `${d}\n`).join(''),
    markdown: reconcileMarkdown(reports),
    published,
    ...base,
  }
}

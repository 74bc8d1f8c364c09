import { liveDiff } from '../../../core/live/live-diff.js'
import type { Plan } from '../../../core/model/plan.js'
import { K8sCluster } from '../../../infra/k8s-cluster.js'
import { liveMarkdown, liveText } from '../../../report/live.js'
import type { CliIo } from '../io.js'
import { pickCluster, renderPair } from './fleet-pair.js'

/** What `fluxgate diff --live` needs besides the diff's own arguments. */
export interface LiveArgs {
  dir: string
  base: string
  head: string
  paths?: string[]
  repoUrl?: string
  kubeconfig?: string
  context?: string
  cluster?: string
}

/**
 * `fluxgate diff --live`: the plan of the change (merge base against head), plus the live view
 * of the cluster the kubeconfig reaches, attached to that cluster's plan as `live`:
 * 1. render both sides and plan, as `fluxgate diff` does;
 * 2. pick the fleet cluster (--cluster, else the context's name, else the only one touched);
 * 3. dry-run every object against the API server; changes and drift apart; inventory checks.
 */
export async function planWithLive(args: LiveArgs, io: CliIo): Promise<Plan> {
  const cluster = K8sCluster.load({ ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}), ...(args.context ? { context: args.context } : {}) })
  const pair = await renderPair({ dir: args.dir, base: args.base, head: args.head, mergeBase: true, ...(args.paths ? { paths: args.paths } : {}), ...(args.repoUrl ? { repoUrl: args.repoUrl } : {}) })
  const name = pickCluster(pair.plan, args.cluster, cluster.context)
  const target = pair.plan.clusters.find((c) => c.name === name)
  if (!target) {
    io.stderr(`fluxgate diff: no cluster of the repository matches context '${cluster.context}'; live view skipped\n`)
    return pair.plan
  }
  io.stderr(`fluxgate diff: live view of cluster ${target.name} through context ${cluster.context}\n`)
  target.live = await liveDiff(cluster, target, pair.base.clusters.find((c) => c.name === name), pair.head.clusters.find((c) => c.name === name))
  return pair.plan
}

/** The live section appended to text and markdown reports. */
export function liveSection(plan: Plan): string {
  return liveText(plan, { diffs: true })
}

/** The JSON report with each cluster's `live` view added (the JSON presenter lists fields explicitly). */
export function withLiveJson(report: string, plan: Plan): string {
  const doc = JSON.parse(report) as { clusters?: { name?: string; live?: unknown }[] }
  for (const c of doc.clusters ?? []) {
    const live = plan.clusters.find((p) => p.name === c.name)?.live
    if (live) c.live = live
  }
  return JSON.stringify(doc, null, 2) + '\n'
}

/** The report of `fluxgate diff --live`: the plan's own report plus the live view. */
export function presentWithLive(report: string, plan: Plan, format: string): string {
  if (format === 'json') return withLiveJson(report, plan)
  return `${report.trimEnd()}\n\n${format === 'text' ? liveSection(plan) : liveMarkdown(plan)}\n`
}

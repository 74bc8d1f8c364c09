import type { Clock } from '../../ports/clock.js'
import type { ClusterClient, ObjectRef } from '../../ports/cluster.js'
import type { Logger } from '../../ports/logger.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject, type KubeObject } from '../model/object.js'
import { DEFAULT_TIMEOUTS, refKey, type ReconcilePlan, type ReconcileReport, type ReconcileTarget, type ReconcileTimeouts, type TargetResult } from './types.js'
import { artifactRevision, conditionOf, judgeHelmRelease, judgeKustomization, judgeSource, type Judge } from './verdicts.js'
import { waitFor } from './wait-for.js'

/** The annotation that asks a Flux controller to reconcile now. */
export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt'

/** Options of runReconcile. */
export interface ReconcileOptions {
  /** The merge commit the sources must reach. */
  mergeSha: string
  timeouts?: Partial<ReconcileTimeouts>
  logger?: Logger
  /** Times the waits and the durations, and stamps the requestedAt token. */
  clock: Clock
}

const FAILED: ReadonlySet<string> = new Set(['failed', 'stalled', 'timed-out', 'not-found', 'skipped'])

function isSuspended(obj: KubeObject): boolean {
  const spec = obj['spec']
  return isJsonObject(spec) && spec['suspend'] === true
}

function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  const s = Math.round(ms / 1000)
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`
}

/** Runs one target: read, skip if suspended, annotate, wait for the judge's verdict. */
async function reconcileOne(cluster: ClusterClient, target: ReconcileTarget, judge: (token: string) => Judge, ctx: RunContext): Promise<TargetResult> {
  const started = ctx.clock.now()
  const base = { ref: target.ref, role: target.role }
  const took = (): number => ctx.clock.now() - started
  const live = await cluster.get(target.ref)
  if (!live) return { ...base, outcome: 'not-found', message: `${refKey(target.ref)} is not on the cluster`, durationMs: took() }
  if (isSuspended(live)) return { ...base, outcome: 'suspended', message: 'suspended: not asked to reconcile', durationMs: took() }
  const token = new Date(ctx.clock.now()).toISOString()
  ctx.logger?.info(`requesting reconcile of ${refKey(target.ref)}`)
  await cluster.annotate(target.ref, { [REQUESTED_AT]: token })
  const limit = target.role === 'source' ? ctx.timeouts.sourceMs : ctx.timeouts.objectMs
  const result = await waitFor(cluster, target.ref, judge(token), {
    timeoutMs: limit,
    pollMs: ctx.timeouts.pollMs,
    clock: ctx.clock,
    onFallback: (why) => ctx.logger?.warn(`watch of ${refKey(target.ref)} ended (${why}); polling every ${formatMs(ctx.timeouts.pollMs)}`),
  })
  if (result.state === 'not-found') return { ...base, outcome: 'not-found', message: `${refKey(target.ref)} was deleted while waiting`, durationMs: took() }
  if (result.state === 'timed-out') {
    const ready = result.last ? conditionOf(result.last, 'Ready') : undefined
    const last = ready ? `; last Ready=${ready.status} ${ready.reason}: ${ready.message}` : ''
    return { ...base, outcome: 'timed-out', message: `no result within ${formatMs(limit)}${last}`, durationMs: took() }
  }
  const v = result.verdict
  return { ...base, outcome: v.outcome, ...(v.revision ? { revision: v.revision } : {}), ...(v.reason ? { reason: v.reason } : {}), ...(v.message !== undefined ? { message: v.message } : {}), durationMs: took() }
}

interface RunContext {
  timeouts: ReconcileTimeouts
  logger: Logger | undefined
  clock: Clock
}

/** The revision a Kustomization must apply: the refreshed source's, else what the source holds now. */
async function expectedRevision(cluster: ClusterClient, source: ObjectRef | undefined, refreshed: Map<string, TargetResult>): Promise<string | undefined> {
  if (!source) return undefined
  const r = refreshed.get(refKey(source))
  if (r?.revision) return r.revision
  const live = await cluster.get(source)
  return live ? artifactRevision(live) : undefined
}

/**
 * Asks Flux to reconcile what a merge changed, and waits (§4.4, the post-merge sequence):
 * 1. each source: annotate `reconcile.fluxcd.io/requestedAt`, wait until its artifact holds the
 *    merge commit;
 * 2. each Kustomization / HelmRelease in dependsOn order: skip it when a prerequisite or its
 *    source did not succeed; report and leave it when suspended; otherwise annotate and wait
 *    for lastAppliedRevision + Ready=True, or lastAttemptedRevision + Ready=False (not
 *    Progressing); Stalled fails at once.
 * Every wait has a limit; watches fall back to polling. Writes only the annotation, under the
 * ClusterClient's field manager.
 */
export async function runReconcile(cluster: ClusterClient, plan: ReconcilePlan, opts: ReconcileOptions): Promise<ReconcileReport> {
  const ctx: RunContext = { timeouts: { ...DEFAULT_TIMEOUTS, ...opts.timeouts }, logger: opts.logger, clock: opts.clock }
  const started = ctx.clock.now()
  const diagnostics: Diagnostic[] = []
  const results = new Map<string, TargetResult>()
  for (const source of plan.sources) {
    results.set(refKey(source.ref), await guarded(cluster, source, (token) => judgeSource(opts.mergeSha, token), ctx, diagnostics))
  }
  for (const target of plan.targets) {
    const blocker = [...target.after, ...(target.source ? [refKey(target.source)] : [])].find((k) => FAILED.has(results.get(k)?.outcome ?? ''))
    if (blocker) {
      results.set(refKey(target.ref), { ref: target.ref, role: target.role, outcome: 'skipped', message: `not asked: ${blocker} did not succeed`, durationMs: 0 })
      continue
    }
    const revision = target.role === 'kustomization' ? await expectedRevision(cluster, target.source, results) : undefined
    const judge = revision ? () => judgeKustomization(revision) : judgeHelmRelease
    results.set(refKey(target.ref), await guarded(cluster, target, judge, ctx, diagnostics))
  }
  const all = [...results.values()]
  return {
    cluster: plan.cluster,
    context: cluster.context,
    mergeSha: opts.mergeSha,
    ok: !all.some((r) => FAILED.has(r.outcome)),
    results: all,
    diagnostics,
    durationMs: ctx.clock.now() - started,
  }
}

/** reconcileOne, with an API failure (403, unreachable) turned into a failed result and a diagnostic. */
async function guarded(cluster: ClusterClient, target: ReconcileTarget, judge: (token: string) => Judge, ctx: RunContext, diagnostics: Diagnostic[]): Promise<TargetResult> {
  try {
    return await reconcileOne(cluster, target, judge, ctx)
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    diagnostics.push({ code: 'cluster/request-failed', severity: 'error', message: `${refKey(target.ref)}: ${message}`, owner: refKey(target.ref) })
    return { ref: target.ref, role: target.role, outcome: 'failed', message, durationMs: 0 }
  }
}

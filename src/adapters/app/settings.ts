import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { COMMENT_POLICIES, type CommentPolicy } from '../../flows/index.js'
import { findHelm, HelmPathError } from '../../infra/helm-binary.js'
import { DEFAULT_PLAN_LIMITS, type PlanLimits } from '../worker/plan-worker.js'
import { DEFAULT_IDLE_MS } from '../worker/plan-workers.js'

/** The App's settings, read once from the environment when the app loads (style rule 1). */
export interface AppSettings {
  /** Where fetched repositories are cached (FLUXGATE_CACHE_DIR; default a temp folder). */
  cacheDir: string
  /** Cluster entry paths (FLUXGATE_PATHS, comma-separated); empty: discover under clusters/. */
  paths: string[]
  /** The approval label (FLUXGATE_APPROVE_LABEL; default `fluxgate/approved`). */
  approveLabel: string
  /**
   * FLUXGATE_OFFLINE=true fetches no chart (also the deprecated FLUXGATE_ALLOW_REMOTE_CHARTS=false);
   * by default charts are fetched from repositories for trusted pull requests (never for forks).
   */
  offline: boolean
  /** FLUXGATE_CHART_CACHE: where fetched chart archives are kept (default `<FLUXGATE_CACHE_DIR>/charts`). */
  chartCache: string
  /**
   * FLUXGATE_HELM: a helm binary, an absolute path or a name looked up on PATH (never in the
   * cache of fetched repositories nor the current folder); unset: HelmReleases compare values only.
   */
  helmPath?: string
  /**
   * Cluster access for the post-merge reconcile: FLUXGATE_KUBECONFIG (a kubeconfig file), or
   * the pod's service account with FLUXGATE_IN_CLUSTER=true. Unset: merges are only logged.
   */
  kube?: { kubeconfig: string } | { inCluster: true }
  /** FLUXGATE_CLUSTER: the fleet cluster that access reaches (default: named like the context, or the only one). */
  clusterName?: string
  /** FLUXGATE_RECONCILE_TIMEOUT: limit of each post-merge wait in seconds (default 300). */
  reconcileTimeoutMs: number
  /** FLUXGATE_REPORT_DIR: write each review's JSON report there (docs/report-format.md); unset: none. */
  reportDir?: string
  /** FLUXGATE_CACHE_MAX_MB: the repository caches are pruned, least recently used first, down to this size (default 2048). */
  cacheMaxBytes: number
  /**
   * REDIS_URL: the review queue lives on Redis (BullMQ), shared by every replica; Probot reads
   * the same variable for its request throttling. Unset: the queue is in memory. Never logged.
   */
  redisUrl?: string
  /** FLUXGATE_QUEUE_CONCURRENCY: reviews this process runs at once (default 2). */
  queueConcurrency: number
  /** FLUXGATE_QUEUE_LOCK_SECONDS: after this long without a sign of life a replica's review runs elsewhere (default 60). */
  queueLockMs: number
  /**
   * Each review's plan runs in a worker thread with these limits: FLUXGATE_PLAN_TIMEOUT
   * (seconds, default 600) and FLUXGATE_PLAN_MEMORY_MB (default 2048).
   */
  planLimits: PlanLimits
  /**
   * FLUXGATE_RENDER_CACHE_MB: each repository's renders are kept beside its git cache (and
   * counted in FLUXGATE_CACHE_MAX_MB), pruned to this size after each plan (default 256; 0: none).
   */
  renderCacheBytes: number
  /**
   * Plan workers kept warm between reviews (plan-workers.ts): FLUXGATE_WARM_PLAN_WORKERS, how
   * many idle workers are kept, one per repository (default: FLUXGATE_QUEUE_CONCURRENCY; 0:
   * a worker of its own for every plan), each ended after FLUXGATE_PLAN_WORKER_IDLE_SECONDS
   * without a plan (default 600).
   */
  warmPlanWorkers: { keep: number; idleMs: number }
  /** FLUXGATE_COMMENT: when to post the sticky comment (always, on-change, never; default on-change). */
  comment: CommentPolicy
}

/** Reads AppSettings from `env` (Probot's own variables — APP_ID, PRIVATE_KEY… — are Probot's). */
export function readAppSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const cacheDir = env['FLUXGATE_CACHE_DIR'] || join(tmpdir(), 'fluxgate-app-cache')
  const helm = appHelm(env['FLUXGATE_HELM'], [cacheDir, process.cwd()], env)
  const kubeconfig = env['FLUXGATE_KUBECONFIG']
  const kube = kubeconfig ? { kubeconfig } : env['FLUXGATE_IN_CLUSTER'] === 'true' ? { inCluster: true as const } : undefined
  const timeout = Number(env['FLUXGATE_RECONCILE_TIMEOUT'] || 300)
  const queueConcurrency = Math.max(1, Math.floor(positive(env['FLUXGATE_QUEUE_CONCURRENCY'], 2)))
  return {
    cacheDir,
    paths: (env['FLUXGATE_PATHS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    approveLabel: env['FLUXGATE_APPROVE_LABEL'] || 'fluxgate/approved',
    offline: env['FLUXGATE_OFFLINE'] === 'true' || env['FLUXGATE_ALLOW_REMOTE_CHARTS'] === 'false',
    chartCache: env['FLUXGATE_CHART_CACHE'] && isAbsolute(env['FLUXGATE_CHART_CACHE']) ? env['FLUXGATE_CHART_CACHE'] : join(cacheDir, 'charts'),
    ...(helm ? { helmPath: helm } : {}),
    ...(kube ? { kube } : {}),
    ...(env['FLUXGATE_CLUSTER'] ? { clusterName: env['FLUXGATE_CLUSTER'] } : {}),
    reconcileTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 300_000,
    ...(env['FLUXGATE_REPORT_DIR'] ? { reportDir: env['FLUXGATE_REPORT_DIR'] } : {}),
    cacheMaxBytes: positive(env['FLUXGATE_CACHE_MAX_MB'], 2048) * 1024 * 1024,
    ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'] } : {}),
    queueConcurrency,
    queueLockMs: positive(env['FLUXGATE_QUEUE_LOCK_SECONDS'], 60) * 1000,
    comment: commentPolicy(env['FLUXGATE_COMMENT']),
    renderCacheBytes: sizeMb(env, 'FLUXGATE_RENDER_CACHE_MB', 256) * 1024 * 1024,
    warmPlanWorkers: { keep: count(env, 'FLUXGATE_WARM_PLAN_WORKERS', queueConcurrency), idleMs: positive(env['FLUXGATE_PLAN_WORKER_IDLE_SECONDS'], DEFAULT_IDLE_MS / 1000) * 1000 },
    planLimits: {
      timeoutMs: positive(env['FLUXGATE_PLAN_TIMEOUT'], DEFAULT_PLAN_LIMITS.timeoutMs / 1000) * 1000,
      memoryMb: positive(env['FLUXGATE_PLAN_MEMORY_MB'], DEFAULT_PLAN_LIMITS.memoryMb),
    },
  }
}

/** A positive number from the environment, or the default when unset, not a number or not positive. */
function positive(raw: string | undefined, fallback: number): number {
  const n = Number(raw || fallback)
  return Number.isFinite(n) && n > 0 ? n : fallback
}

/** A size in MiB from the environment variable `name`, 0 included (turns a cache off); anything else is refused. */
function sizeMb(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name}: expected a size in MiB (0 or more), got '${raw}'`)
  return n
}

/** A whole number from the environment variable `name`, 0 included; anything else is refused. */
function count(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name}: expected a whole number (0 or more), got '${raw}'`)
  return n
}

function commentPolicy(raw: string | undefined): CommentPolicy {
  const value = (raw ?? '').trim().toLowerCase() || 'on-change'
  const policy = COMMENT_POLICIES.find((p) => p === value)
  if (!policy) throw new Error(`FLUXGATE_COMMENT: expected always, on-change or never, got '${raw}'`)
  return policy
}

function appHelm(requested: string | undefined, untrusted: string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    const choice = findHelm({ requested, untrusted, env, fallback: false })
    return choice.found ? choice.path : undefined
  } catch (err) {
    if (err instanceof HelmPathError) throw new Error(`FLUXGATE_HELM: ${err.message}`)
    throw err
  }
}

import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { COMMENT_POLICIES, type CommentPolicy } from '../../flows/index.js'
import { findHelm, HelmPathError } from '../../infra/helm-binary.js'

/** The App's settings, read once from the environment when the app loads (style rule 1). */
export interface AppSettings {
  /** Where fetched repositories are cached (FLUXGATE_CACHE_DIR; default a temp folder). */
  cacheDir: string
  /** Cluster entry paths (FLUXGATE_PATHS, comma-separated); empty: discover under clusters/. */
  paths: string[]
  /** The approval label (FLUXGATE_APPROVE_LABEL; default `fluxgate/approved`). */
  approveLabel: string
  /** FLUXGATE_ALLOW_REMOTE_CHARTS=true fetches charts from repositories (never for forks). */
  allowRemoteCharts: boolean
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
  return {
    cacheDir,
    paths: (env['FLUXGATE_PATHS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    approveLabel: env['FLUXGATE_APPROVE_LABEL'] || 'fluxgate/approved',
    allowRemoteCharts: env['FLUXGATE_ALLOW_REMOTE_CHARTS'] === 'true',
    ...(helm ? { helmPath: helm } : {}),
    ...(kube ? { kube } : {}),
    ...(env['FLUXGATE_CLUSTER'] ? { clusterName: env['FLUXGATE_CLUSTER'] } : {}),
    reconcileTimeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout * 1000 : 300_000,
    ...(env['FLUXGATE_REPORT_DIR'] ? { reportDir: env['FLUXGATE_REPORT_DIR'] } : {}),
    comment: commentPolicy(env['FLUXGATE_COMMENT']),
  }
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

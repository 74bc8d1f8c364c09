import { tmpdir } from 'node:os'
import { join } from 'node:path'

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
  /** FLUXGATE_HELM: a helm binary; unset: HelmReleases compare values only. */
  helmPath?: string
}

/** Reads AppSettings from `env` (Probot's own variables — APP_ID, PRIVATE_KEY… — are Probot's). */
export function readAppSettings(env: NodeJS.ProcessEnv = process.env): AppSettings {
  const helm = env['FLUXGATE_HELM']
  return {
    cacheDir: env['FLUXGATE_CACHE_DIR'] || join(tmpdir(), 'fluxgate-app-cache'),
    paths: (env['FLUXGATE_PATHS'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    approveLabel: env['FLUXGATE_APPROVE_LABEL'] || 'fluxgate/approved',
    allowRemoteCharts: env['FLUXGATE_ALLOW_REMOTE_CHARTS'] === 'true',
    ...(helm ? { helmPath: helm } : {}),
  }
}

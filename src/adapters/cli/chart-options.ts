import { resolve } from 'node:path'
import { defaultChartCache } from '../../infra/chart-cache.js'
import type { CliIo } from './io.js'

/** The chart options of the rendering commands (`render`, `diff`), for parseOptions. */
export const CHART_OPTIONS = {
  offline: { type: 'boolean', default: false },
  'cache-dir': { type: 'string' },
  'allow-remote-charts': { type: 'boolean', default: false },
} as const

/** Their lines in `--help`. */
export const CHART_USAGE = `  --offline              fetch no chart: HelmReleases whose chart lives in a Helm or OCI
                         repository compare values and chart version only
  --cache-dir DIR        where fetched chart archives are kept between runs (default:
                         FLUXGATE_CHART_CACHE, else $XDG_CACHE_HOME/fluxgate/charts, else
                         ~/.cache/fluxgate/charts)
  --allow-remote-charts  deprecated: remote charts are fetched by default`

/** What the chart options decide. */
export interface ChartSettings {
  offline: boolean
  cacheDir: string
}

/** Reads the chart options; the deprecated flag only earns a note on stderr. */
export function chartSettings(v: { offline?: boolean | undefined; 'cache-dir'?: string | undefined; 'allow-remote-charts'?: boolean | undefined }, io: CliIo): ChartSettings {
  if (v['allow-remote-charts']) io.stderr('fluxgate: --allow-remote-charts is deprecated: remote charts are fetched by default (--offline turns them off)\n')
  return { offline: v.offline === true, cacheDir: v['cache-dir'] ? resolve(io.cwd, v['cache-dir']) : defaultChartCache(io.env) }
}

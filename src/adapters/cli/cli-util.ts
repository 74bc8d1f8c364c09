import { readFileSync } from 'node:fs'
import { parseClusterValues, type ClusterValues } from '../../core/load/cluster-values.js'
import { parseSourceFlag } from '../../core/load/render-settings.js'
import type { Logger } from '../../ports/logger.js'
import { UsageError } from './io.js'

/** `--source KIND/NS/NAME=PATH` flags as a source mapping (undefined when none is given). */
export function sourceFlags(flags: readonly string[] | undefined): Map<string, string> | undefined {
  if (!flags || flags.length === 0) return undefined
  const out = new Map<string, string>()
  for (const f of flags) {
    const m = parseSourceFlag(f)
    if ('error' in m) throw new UsageError(m.error)
    out.set(m.key, m.path)
  }
  return out
}

/** A logger to stderr, for progress lines. */
export function stderrLogger(write: (t: string) => void): Logger {
  return {
    debug: () => {},
    info: (m) => write(`${m}\n`),
    warn: (m) => write(`warning: ${m}\n`),
    error: (m) => write(`error: ${m}\n`),
  }
}

/** `5m`, `90s`, `1h`, `500ms`, or a bare number of seconds, in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim())
  if (!m) throw new UsageError(`'${text}' is not a duration (like 5m, 90s, 1h)`)
  const n = Number(m[1])
  const unit = m[2] ?? 's'
  return Math.round(n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000))
}

/**
 * `--values-file FILE`: values of ConfigMaps/Secrets that live only in the cluster, in the
 * layout of `.github/fluxgate.yml` (`clusterValues:`). A file that cannot be read or parsed is
 * a usage error (exit 2); warnings go to stderr.
 */
export function readValuesFile(path: string, stderr: (t: string) => void): ClusterValues {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch {
    throw new UsageError(`--values-file ${path}: cannot read the file`)
  }
  const parsed = parseClusterValues(text, path)
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error')
  if (errors.length > 0) throw new UsageError(`--values-file ${path}: ${errors.map((d) => d.message).join('; ')}`)
  for (const d of parsed.diagnostics) stderr(`warning: --values-file ${path}: ${d.message}\n`)
  return parsed.values
}

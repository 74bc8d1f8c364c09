import { execFileSync } from 'node:child_process'
import { planChange } from '../../../core/diff/plan-change.js'
import type { Plan } from '../../../core/model/plan.js'
import type { FleetRender } from '../../../core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../../../core/render/render-fleet.js'
import type { Logger } from '../../../ports/logger.js'
import { systemClock } from '../../../infra/clock.js'
import { GitRepo } from '../../../infra/git-repo.js'
import { UsageError } from '../io.js'

/** Two renders of a repository and the plan between them: what the cluster-side commands start from. */
export interface FleetPair {
  base: FleetRender
  head: FleetRender
  plan: Plan
}

/** Which commits and clusters to render. */
export interface FleetPairArgs {
  dir: string
  base: string
  head: string
  paths?: string[]
  repoUrl?: string
  /** Render the merge base of base and head instead of base itself (as `fluxgate diff` does). */
  mergeBase?: boolean
}

/**
 * Renders `base` and `head` of a local repository (no helm: HelmReleases are compared by
 * values and version, which is all the cluster-side commands need) and plans the change.
 */
export async function renderPair(args: FleetPairArgs): Promise<FleetPair> {
  const repo = new GitRepo(args.dir)
  const headSha = await repo.resolve(args.head)
  const named = await repo.resolve(args.base)
  const baseSha = args.mergeBase ? ((await repo.mergeBase(named, headSha)) ?? named) : named
  const opts = (revision: string): RenderOptions => ({
    revision,
    ...(args.paths ? { paths: args.paths } : {}),
    ...((args.repoUrl ?? originUrl(args.dir)) ? { repoUrl: args.repoUrl ?? originUrl(args.dir) } : {}),
  })
  const base = await renderFleet(await repo.tree(baseSha), opts(baseSha), { clock: systemClock })
  const head = await renderFleet(await repo.tree(headSha), opts(headSha), { clock: systemClock })
  return { base, head, plan: planChange(base, head, { baseRef: args.base, headRef: args.head }) }
}

/** The URL of the repository's `origin` remote, which GitRepositories of this repository use. */
export function originUrl(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * The fleet cluster a kubeconfig stands for: `--cluster`, else the cluster named like the
 * kubeconfig context, else the only cluster the change touches (or the only cluster).
 */
export function pickCluster(plan: Plan, requested: string | undefined, context: string): string | undefined {
  const names = plan.clusters.map((c) => c.name)
  if (requested) {
    if (!names.includes(requested)) throw new UsageError(`--cluster ${requested}: the repository has clusters ${names.join(', ') || '(none)'}`)
    return requested
  }
  if (names.includes(context)) return context
  if (names.length === 1) return names[0]
  const touched = plan.clusters.filter((c) => c.changes.length > 0 || c.owners.some((o) => o.state !== 'unchanged'))
  if (touched.length === 1) return touched[0]?.name
  if (touched.length === 0) return undefined
  throw new UsageError(`the change touches clusters ${touched.map((c) => c.name).join(', ')}; pick one with --cluster (context '${context}' matches none)`)
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

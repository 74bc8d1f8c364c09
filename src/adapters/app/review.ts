import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Context } from 'probot'
import { reviewFlow, type ReviewResult } from '../../flows/index.js'
import { fetchCommits, serialized } from '../../infra/git-fetch.js'
import type { GitRepo } from '../../infra/git-repo.js'
import type { RepoCache } from '../../infra/repo-cache.js'
import type { Logger } from '../../ports/logger.js'
import type { ReviewHost } from '../../ports/review-host.js'
import type { GitHubClient, RepoRef } from '../github/client.js'
import { renderJson, unitsLine } from '../../report/index.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { GitHubReviewHost } from '../github/review-host.js'
import type { AppSettings } from './settings.js'
import { systemClock } from '../../infra/clock.js'
import type { InstallationTokens, MintedToken } from './tokens.js'
import { planInWorker, type PlanWorkers } from '../worker/plan-workers.js'

/** The folder of a repository's git cache that keeps its renders between reviews (a DiskRenderCache root). */
export const RENDER_CACHE = 'fluxgate-renders'

/** The repository, client, token and logger of an event. */
export interface EventScope {
  client: GitHubClient
  repo: RepoRef
  cloneUrl: string
  htmlUrl: string
  logger: Logger
  /** The installation token (for git fetch); never logged. */
  token(): Promise<string>
}

/** Where the App keeps what outlives one review: the repository caches, the git tokens and the warm plan workers. */
export interface AppStores {
  repos: RepoCache
  tokens: InstallationTokens
  planners: PlanWorkers
}

/** What every handler needs from a Probot context (`tokens`: reuse git tokens across events). */
export function scopeOf(context: Context, tokens?: InstallationTokens): EventScope {
  const payload = context.payload as { repository: { clone_url: string; html_url: string }; installation?: { id: number } }
  const log = context.log
  return scopeFor(context.octokit as unknown as GitHubClient, {
    repo: context.repo(),
    cloneUrl: payload.repository.clone_url,
    htmlUrl: payload.repository.html_url,
    installationId: payload.installation?.id ?? 0,
    logger: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    ...(tokens ? { tokens } : {}),
  })
}

/** The scope of a review, from its client and what the event said. */
export function scopeFor(client: GitHubClient, s: { repo: RepoRef; cloneUrl: string; htmlUrl: string; installationId: number; logger: Logger; tokens?: InstallationTokens }): EventScope {
  // A token of its own for git, narrowed to reading contents. Requested through the client
  // (its hook signs with the App's JWT and keeps the configured base URL).
  const mint = async (): Promise<MintedToken> => {
    const { data } = await client.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: s.installationId, permissions: { contents: 'read' } })
    const d = data as { token: string; expires_at?: string }
    return { token: d.token, expiresAt: d.expires_at ?? '' }
  }
  return {
    client,
    repo: s.repo,
    cloneUrl: s.cloneUrl,
    htmlUrl: s.htmlUrl,
    logger: s.logger,
    token: async () => (s.tokens ? s.tokens.get(s.installationId, mint) : (await mint()).token),
  }
}

/**
 * Runs `fn` with the commits to plan fetched, with a contents:read token, into the App's bare
 * cache of the repository (one fetch at a time per repository; the cache is not pruned while
 * `fn` runs).
 */
export async function withFetched<T>(scope: EventScope, repos: RepoCache, shas: string[], pullNumber: number | undefined, fn: (fetched: { repo: GitRepo; token: string }) => Promise<T>): Promise<T> {
  const token = await scope.token()
  return repos.use(scope.cloneUrl, async (repo) => {
    await serialized(repo.dir, () => fetchCommits(repo, { remote: scope.cloneUrl, token, shas, ...(pullNumber !== undefined ? { pullNumber } : {}) }))
    return fn({ repo, token })
  })
}

/** Publishes a neutral gate for a head that could not be evaluated (never silence, never success). */
export async function publishNotEvaluated(host: ReviewHost, headSha: string, reason: string): Promise<ReviewResult> {
  const summary = `Fluxgate could not evaluate this change: ${reason}`
  const gate = await host.publishCheck(headSha, { conclusion: 'neutral', output: { title: summary.slice(0, 255), summary, text: '', annotations: [] }, approveButton: false, statusDescription: summary.slice(0, 140) })
  return { verdict: { conclusion: 'neutral', findings: [], approval: { required: false, satisfied: false }, summary }, approvals: [], comment: 'skipped', gate, error: reason }
}

/**
 * Reviews one head in the App: fetch the commits, then the review flow (plan, gate, comment,
 * check run), publishing through `host` (the queue's job hands in one that stops writing when
 * a newer head supersedes this one).
 */
export async function reviewInApp(scope: EventScope, settings: AppSettings, stores: Pick<AppStores, 'repos' | 'planners'>, target: ReviewTarget, host: ReviewHost = new GitHubReviewHost(scope.client, scope.repo, scope.logger)): Promise<ReviewResult> {
  let fetched = false
  try {
    return await withFetched(scope, stores.repos, [target.base.sha, target.head.sha], target.issue, (commits) => {
      fetched = true
      return reviewFetched(scope, settings, stores.planners, target, host, commits)
    })
  } catch (err) {
    // Only a failed fetch is answered here (nothing to plan from); the review flow reports
    // its own failures, and anything else is the caller's (the queue's job publishes it).
    if (fetched) throw err
    const reason = err instanceof Error ? err.message : String(err)
    scope.logger.warn(`fluxgate: could not fetch: ${reason}`)
    return publishNotEvaluated(host, target.head.sha, reason)
  }
}

async function reviewFetched(scope: EventScope, settings: AppSettings, planners: PlanWorkers, target: ReviewTarget, host: ReviewHost, fetched: { repo: GitRepo; token: string }): Promise<ReviewResult> {
  const result = await reviewFlow({
    host,
    plan: {
      source: fetched.repo,
      base: target.base.sha,
      head: target.head.sha,
      baseLabel: target.base.ref,
      headLabel: target.head.ref,
      branch: target.base.ref,
      origin: target.origin,
      paths: settings.paths,
      repoUrl: scope.htmlUrl,
      offline: settings.offline,
      secretValues: [fetched.token],
      logger: scope.logger,
      clock: systemClock,
    },
    ...(target.issue !== undefined ? { issue: target.issue } : {}),
    ...(target.author ? { author: target.author } : {}),
    approveLabel: settings.approveLabel,
    ...(target.live ? { live: target.live } : {}),
    pushed: target.pushed,
    ...(target.inherited ? { inherited: target.inherited } : {}),
    comment: settings.comment,
    nowIso: () => new Date().toISOString(),
    // One pull request must never hang or kill the App: its plan runs in a worker thread
    // with a heap limit and a deadline (helm runs there too), kept warm for the repository's
    // next review.
    planner: ({ source: _source, helm: _helm, logger: _logger, clock: _clock, renderCache: _cache, fleets: _fleets, ...plan }) =>
      planInWorker(
        {
          ...plan,
          gitDir: fetched.repo.dir,
          ...(settings.helmPath ? { helmPath: settings.helmPath } : {}),
          ...(settings.chartCache ? { chartCacheDir: settings.chartCache } : {}),
          // Beside the repository's git cache: warm for its next review, never shared with another
          // repository, and removed with it when the cache folder is pruned.
          ...(settings.renderCacheBytes > 0 ? { renderCacheAt: { dir: join(fetched.repo.dir, RENDER_CACHE), maxBytes: settings.renderCacheBytes } } : {}),
        },
        settings.planLimits,
        scope.logger,
        planners,
      ),
  })
  if (result.planned?.units) scope.logger.info(`fluxgate: ${scope.repo.owner}/${scope.repo.repo}@${target.head.sha.slice(0, 7)} ${unitsLine(result.planned.units)}`)
  scope.logger.info(`fluxgate: ${scope.repo.owner}/${scope.repo.repo}@${target.head.sha.slice(0, 7)} gate ${result.verdict.conclusion}`)
  if (settings.reportDir && result.planned) {
    try {
      writeReport(settings.reportDir, scope.repo, target, renderJson(result.planned.plan, { verdict: result.verdict }))
    } catch (err) {
      scope.logger.error(`fluxgate: could not write the report to FLUXGATE_REPORT_DIR: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
    }
  }
  if (result.error) scope.logger.warn(`fluxgate: could not plan: ${result.error}`)
  return result
}

/** `<dir>/<owner>__<repo>__<pr-N|queue>__<sha>.json`; names from the payload are reduced to safe characters. */
function writeReport(dir: string, repo: RepoRef, target: ReviewTarget, json: string): void {
  const safe = (t: string): string => t.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
  const name = `${safe(repo.owner)}__${safe(repo.repo)}__${target.issue !== undefined ? `pr-${target.issue}` : 'queue'}__${safe(target.head.sha)}.json`
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, name), json)
}

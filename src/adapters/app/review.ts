import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Context } from 'probot'
import { reviewFlow, type ReviewResult } from '../../flows/index.js'
import { cachedRepository, fetchCommits, serialized } from '../../infra/git-fetch.js'
import type { GitRepo } from '../../infra/git-repo.js'
import { HelmCli } from '../../infra/helm-cli.js'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient, RepoRef } from '../github/client.js'
import { renderJson } from '../../report/index.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { GitHubReviewHost } from '../github/review-host.js'
import type { AppSettings } from './settings.js'
import { systemClock } from '../../infra/clock.js'

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

/** What every handler needs from a Probot context. */
export function scopeOf(context: Context): EventScope {
  const payload = context.payload as { repository: { clone_url: string; html_url: string }; installation?: { id: number } }
  const log = context.log
  return {
    client: context.octokit as unknown as GitHubClient,
    repo: context.repo(),
    cloneUrl: payload.repository.clone_url,
    htmlUrl: payload.repository.html_url,
    logger: { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) },
    // A token of its own for git, narrowed to reading contents. Requested through the client
    // (its hook signs with the App's JWT and keeps the configured base URL).
    token: async () => {
      const { data } = await context.octokit.request('POST /app/installations/{installation_id}/access_tokens', { installation_id: payload.installation?.id ?? 0, permissions: { contents: 'read' } })
      return data.token
    },
  }
}

/**
 * The commits to plan, fetched with a contents:read token into the App's bare cache of the
 * repository (one fetch at a time per repository).
 */
export async function fetchInto(scope: EventScope, settings: AppSettings, shas: string[], pullNumber?: number): Promise<{ repo: GitRepo; token: string }> {
  const token = await scope.token()
  const repo = await cachedRepository(settings.cacheDir, scope.cloneUrl)
  await serialized(repo.dir, () => fetchCommits(repo, { remote: scope.cloneUrl, token, shas, ...(pullNumber !== undefined ? { pullNumber } : {}) }))
  return { repo, token }
}

/** Reviews one head in the App: fetch the commits, then the review flow (plan, gate, comment, check run). */
export async function reviewInApp(scope: EventScope, settings: AppSettings, target: ReviewTarget): Promise<ReviewResult> {
  const host = new GitHubReviewHost(scope.client, scope.repo)
  let fetched: { repo: GitRepo; token: string }
  try {
    fetched = await fetchInto(scope, settings, [target.base.sha, target.head.sha], target.issue)
  } catch (err) {
    // Nothing to plan from: the gate says so (never silence, never success).
    const reason = err instanceof Error ? err.message : String(err)
    scope.logger.warn(`fluxgate: could not fetch: ${reason}`)
    const summary = `Fluxgate could not evaluate this change: ${reason}`
    const gate = await host.publishCheck(target.head.sha, { conclusion: 'neutral', output: { title: summary.slice(0, 255), summary, text: '', annotations: [] }, approveButton: false, statusDescription: summary.slice(0, 140) })
    return { verdict: { conclusion: 'neutral', findings: [], approval: { required: false, satisfied: false }, summary }, approvals: [], comment: 'skipped', gate, error: reason }
  }
  const helm = settings.helmPath ? new HelmCli({ helmPath: settings.helmPath }) : undefined
  try {
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
        allowRemoteCharts: settings.allowRemoteCharts,
        ...(helm?.available() ? { helm } : {}),
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
    })
    scope.logger.info(`fluxgate: ${scope.repo.owner}/${scope.repo.repo}@${target.head.sha.slice(0, 7)} gate ${result.verdict.conclusion}`)
    if (settings.reportDir && result.planned) writeReport(settings.reportDir, scope.repo, target, renderJson(result.planned.plan, { verdict: result.verdict }))
    if (result.error) scope.logger.warn(`fluxgate: could not plan: ${result.error}`)
    return result
  } finally {
    helm?.dispose()
  }
}

/** `<dir>/<owner>__<repo>__<pr-N|queue>__<sha>.json`; names from the payload are reduced to safe characters. */
function writeReport(dir: string, repo: RepoRef, target: ReviewTarget, json: string): void {
  const safe = (t: string): string => t.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_')
  const name = `${safe(repo.owner)}__${safe(repo.repo)}__${target.issue !== undefined ? `pr-${target.issue}` : 'queue'}__${safe(target.head.sha)}.json`
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, name), json)
}

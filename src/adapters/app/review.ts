import type { Context } from 'probot'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient, RepoRef } from '../github/client.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { reviewChange, type ReviewResult } from '../github/review-change.js'
import type { AppSettings } from './settings.js'
import { fetchCommits } from './fetch-repo.js'

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
 * Reviews one head in the App: fetch the two commits with the installation token into the
 * cache, then the shared review (plan, gate, sticky comment, check run).
 */
export async function reviewInApp(scope: EventScope, settings: AppSettings, target: ReviewTarget): Promise<ReviewResult> {
  const token = await scope.token()
  const source = await fetchCommits({ cacheDir: settings.cacheDir, cloneUrl: scope.cloneUrl, token, shas: [target.base.sha, target.head.sha], ...(target.issue !== undefined ? { pullNumber: target.issue } : {}) })
  const result = await reviewChange({
    client: scope.client,
    repo: scope.repo,
    plan: {
      source,
      base: target.base,
      head: target.head,
      paths: settings.paths,
      repoUrl: scope.htmlUrl,
      trusted: !target.fork,
      allowRemoteCharts: settings.allowRemoteCharts,
      ...(settings.helmPath ? { helmPath: settings.helmPath } : {}),
      secretValues: [token],
      logger: scope.logger,
    },
    ...(target.issue !== undefined ? { issue: target.issue } : {}),
    approveLabel: settings.approveLabel,
    ...(target.live ? { liveApproval: target.live } : {}),
    pushed: target.pushed,
    ...(target.inherited ? { inheritedApprovals: target.inherited } : {}),
    comment: true,
  })
  scope.logger.info(`fluxgate: ${scope.repo.owner}/${scope.repo.repo}@${target.head.sha.slice(0, 7)} gate ${result.verdict.conclusion}`)
  if (result.error) scope.logger.warn(`fluxgate: could not plan: ${result.error}`)
  return result
}

import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient } from './client.js'

/** How often a request that hit a rate limit is sent again before the error stands. */
const RATE_LIMIT_RETRIES = 2

/**
 * The Action's (and the CLI's image pull requests') GitHub client: @actions/github's Octokit
 * with GitHub's recommended request hygiene, the same plugins Probot gives the App:
 * @octokit/plugin-throttling queues requests (writes spaced, notifications more so) and waits
 * out a primary or secondary rate limit, then tries again; @octokit/plugin-retry sends a
 * request again after a server error (5xx) or a dropped connection, with a growing pause.
 * 4xx answers other than rate limits are never retried (the callers handle 403/404).
 */
export function githubClient(token: string, opts: { baseUrl: string; logger?: Logger; fetch?: typeof globalThis.fetch }): GitHubClient {
  const warn = (m: string): void => opts.logger?.warn(m)
  const options = {
    baseUrl: opts.baseUrl,
    ...(opts.fetch ? { request: { fetch: opts.fetch } } : {}),
    throttle: {
      onRateLimit: (after: number, req: { method: string; url: string }, _o: unknown, count: number) => {
        warn(`GitHub rate limit reached at ${req.method} ${req.url}; ${count < RATE_LIMIT_RETRIES ? `trying again in ${after} s` : 'giving up'}`)
        return count < RATE_LIMIT_RETRIES
      },
      onSecondaryRateLimit: (after: number, req: { method: string; url: string }, _o: unknown, count: number) => {
        warn(`GitHub secondary rate limit at ${req.method} ${req.url}; ${count < RATE_LIMIT_RETRIES ? `trying again in ${after} s` : 'giving up'}`)
        return count < RATE_LIMIT_RETRIES
      },
    },
  }
  // getOctokit's option type does not know the plugins' options; the plugins read them.
  return getOctokit(token, options as Parameters<typeof getOctokit>[1], retry, throttling) as unknown as GitHubClient
}

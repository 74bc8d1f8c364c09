import type { ApplicationFunctionOptions, Probot } from 'probot'
import { onCheckRun } from './handlers/check-run.js'
import { onIssueComment } from './handlers/issue-comment.js'
import { onMergeGroup } from './handlers/merge-group.js'
import { onPullRequest } from './handlers/pull-request.js'
import { onPullRequestMerged } from './handlers/pull-request-merged.js'
import { onPush } from './handlers/push.js'
import { cacheWritable, Health } from './health.js'
import { readAppSettings } from './settings.js'

/**
 * The Probot app: registers one handler per event (style rule 9); every review goes through
 * the same plan/gate/publish flow as the Action (src/adapters/github). `npm start` runs it with
 * Probot's usual environment variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET).
 */
export default function app(probot: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  const settings = readAppSettings()
  const health = new Health([cacheWritable(settings.cacheDir)])
  serveHealth(health, options)
  probot.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.labeled'], onPullRequest(settings))
  probot.on('pull_request.closed', onPullRequestMerged(settings))
  probot.on('issue_comment.created', onIssueComment(settings))
  probot.on(['check_run.requested_action', 'check_run.rerequested'], onCheckRun(settings))
  probot.on('merge_group.checks_requested', onMergeGroup(settings))
  probot.on('push', onPush())
  health.markLoaded()
}

// `probot run` (npm start, the container) hands the app its HTTP server's addHandler. A Probot
// loaded without a server (tests, serverless) has no server to serve probes on: its
// addHandler throws, and there is nothing to add.
function serveHealth(health: Health, options: Partial<ApplicationFunctionOptions> | undefined): void {
  try {
    options?.addHandler?.(health.handler)
  } catch {
    // no HTTP server
  }
}

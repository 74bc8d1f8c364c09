import type { ApplicationFunctionOptions, Probot } from 'probot'
import { systemClock } from '../../infra/clock.js'
import { RedisJobQueue } from '../../infra/redis-queue.js'
import { RepoCache } from '../../infra/repo-cache.js'
import type { JobQueue, JobRunner } from '../../ports/job-queue.js'
import { onCheckRun } from './handlers/check-run.js'
import { onIssueComment } from './handlers/issue-comment.js'
import { onMergeGroup } from './handlers/merge-group.js'
import { onPullRequest } from './handlers/pull-request.js'
import { onPullRequestMerged } from './handlers/pull-request-merged.js'
import { onPush } from './handlers/push.js'
import { cacheWritable, Health, queueReady } from './health.js'
import { MemoryJobQueue } from './memory-queue.js'
import { reviewRunner, Reviews, type ReviewJob } from './review-queue.js'
import type { AppStores } from './review.js'
import { readAppSettings, type AppSettings } from './settings.js'
import { InstallationTokens } from './tokens.js'
import { PlanWorkers } from '../worker/plan-workers.js'

/** The review queue of each loaded app, for tests and a shutdown that waits for it. */
const queues = new WeakMap<Probot, JobQueue<ReviewJob>>()

/**
 * The review queue the app loaded into `probot` uses (undefined before the app is loaded).
 * Handlers only queue reviews: a test that sent an event waits with `drained()`.
 */
export function reviewQueueOf(probot: Probot): JobQueue<ReviewJob> | undefined {
  return queues.get(probot)
}

/**
 * The Probot app: registers one handler per event (style rule 9); handlers answer the
 * delivery as soon as its review is queued, and the queue runs every review through the same
 * plan/gate/publish flow as the Action (src/adapters/github). `npm start` runs it with
 * Probot's usual environment variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET); REDIS_URL puts
 * the queue on Redis for several replicas.
 */
export default function app(probot: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  const settings = readAppSettings()
  const stores: AppStores = {
    repos: new RepoCache(settings.cacheDir, settings.cacheMaxBytes),
    tokens: new InstallationTokens(systemClock),
    planners: new PlanWorkers(settings.warmPlanWorkers),
  }
  const queue = openQueue(probot, settings, reviewRunner(probot, settings, stores))
  queues.set(probot, queue)
  const reviews = new Reviews(queue)
  const health = new Health([cacheWritable(settings.cacheDir), queueReady(queue)])
  serveHealth(health, options)
  probot.on(['pull_request.opened', 'pull_request.synchronize', 'pull_request.reopened', 'pull_request.labeled'], onPullRequest(settings, reviews))
  probot.on('pull_request.closed', onPullRequestMerged(settings, stores))
  probot.on('issue_comment.created', onIssueComment(reviews))
  probot.on(['check_run.requested_action', 'check_run.rerequested'], onCheckRun(reviews))
  probot.on('merge_group.checks_requested', onMergeGroup(reviews))
  probot.on('push', onPush())
  health.markLoaded()
}

function openQueue(probot: Probot, settings: AppSettings, run: JobRunner<ReviewJob>): JobQueue<ReviewJob> {
  const log = probot.log.child({ name: 'fluxgate-queue' })
  const logger = { debug: (m: string) => log.debug(m), info: (m: string) => log.info(m), warn: (m: string) => log.warn(m), error: (m: string) => log.error(m) }
  if (settings.redisUrl) {
    logger.info(`fluxgate: reviews queue on Redis (REDIS_URL), ${settings.queueConcurrency} at a time in this process`)
    return new RedisJobQueue({ url: settings.redisUrl, name: 'fluxgate-reviews', run, concurrency: settings.queueConcurrency, lockMs: settings.queueLockMs, logger })
  }
  return new MemoryJobQueue(run, settings.queueConcurrency, (job, err) => logger.error(`fluxgate: review ${job.id} failed: ${err instanceof Error ? err.message : String(err)}`))
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

import type { Context, Probot } from 'probot'
import type { EnqueueOutcome, JobQueue, JobRunner, QueuedJob } from '../../ports/job-queue.js'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient, RepoRef } from '../github/client.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { GitHubReviewHost } from '../github/review-host.js'
import { publishNotEvaluated, reviewInApp, scopeFor, type AppStores } from './review.js'
import type { AppSettings } from './settings.js'
import { headStillCurrent, SupersedableHost } from './superseded.js'

/** One queued review: plain JSON (it may cross to another replica through Redis). */
export interface ReviewJob {
  installationId: number
  repo: RepoRef
  cloneUrl: string
  htmlUrl: string
  target: ReviewTarget
}

/**
 * The webhook side of the review queue: a handler decides what to review and schedules it;
 * the delivery is answered as soon as the job is recorded. Deliveries are de-duplicated by
 * delivery id and pull request, and identical work already queued or running is not queued
 * twice (see jobOf).
 */
export class Reviews {
  constructor(readonly queue: JobQueue<ReviewJob>) {}

  async schedule(context: Context, target: ReviewTarget): Promise<EnqueueOutcome> {
    const p = context.payload as { repository: { clone_url: string; html_url: string }; installation?: { id: number } }
    const job = jobOf(context.id, { installationId: p.installation?.id ?? 0, repo: context.repo(), cloneUrl: p.repository.clone_url, htmlUrl: p.repository.html_url, target })
    const outcome = await this.queue.enqueue(job)
    context.log.info(`fluxgate: ${describe(job.data)}: ${outcome === 'queued' ? 'review queued' : `not queued (${outcome})`}`)
    return outcome
  }
}

/**
 * The queue entry of a review. Group: the pull request (its reviews run one at a time, as
 * they share the sticky comment), or for a merge-queue head the head itself. Id: everything
 * that makes two reviews differ (base, head, the approval the event carries, a push), so a
 * second delivery asking for the same review while it waits or runs adds nothing, while an
 * approval for the same head still gets its own run.
 */
export function jobOf(delivery: string, data: ReviewJob): QueuedJob<ReviewJob> {
  const t = data.target
  const repo = `${data.repo.owner}/${data.repo.repo}`.toLowerCase()
  const group = t.issue !== undefined ? `${repo}#${t.issue}` : `${repo}@${t.head.sha}`
  const live = t.live ? `+${t.live.via}:${t.live.by}` : ''
  return { id: `${group}:${t.base.sha}..${t.head.sha}${live}${t.pushed ? ':pushed' : ''}`, group, delivery, data }
}

/**
 * Runs one queued review on this replica: an installation client from Probot (its token
 * cached by Probot until shortly before expiry), the head checked against the pull request's
 * current head (a superseded job publishes nothing), the review through a host that stops
 * writing once a newer head takes over, and any failure published as a neutral check with
 * the reason. Afterwards the repository caches are pruned to their size limit.
 */
export function reviewRunner(probot: Probot, settings: AppSettings, stores: AppStores): JobRunner<ReviewJob> {
  let lastPrune = 0
  return async (job) => {
    const logger = jobLogger(probot, job)
    const client = (await probot.auth(job.installationId)) as unknown as GitHubClient
    const scope = scopeFor(client, { ...job, logger, tokens: stores.tokens })
    const t = job.target
    const isCurrent = t.issue !== undefined ? headStillCurrent(client, job.repo, t.issue, t.head.sha) : () => Promise.resolve(true)
    const superseded = (): void => logger.info(`fluxgate: ${describe(job)}: superseded by a newer head; its result is not published`)
    if (!(await isCurrent())) {
      superseded()
      return
    }
    const host = new SupersedableHost(new GitHubReviewHost(client, job.repo, logger), isCurrent, superseded)
    try {
      await reviewInApp(scope, settings, stores, t, host)
    } catch (err) {
      const reason = (err instanceof Error ? err.message : String(err)).replaceAll('\n', ' ')
      logger.error(`fluxgate: ${describe(job)}: review failed: ${reason}`)
      if (!host.published) await publishNotEvaluated(host, t.head.sha, reason).catch((e: unknown) => logger.error(`fluxgate: ${describe(job)}: could not publish the failure: ${String(e)}`))
    } finally {
      // At most one prune a minute: it walks the cache folder.
      if (Date.now() - lastPrune > 60_000) {
        lastPrune = Date.now()
        prune(stores, logger)
      }
    }
  }
}

function prune(stores: AppStores, logger: Logger): void {
  try {
    const { removed, bytes } = stores.repos.prune()
    // A warm plan worker of a removed repository would only hold memory.
    for (const dir of removed) stores.planners.forget(dir)
    if (removed.length) logger.info(`fluxgate: pruned ${removed.length} repository cache(s); the cache holds ${Math.round(bytes / 1048576)} MiB`)
  } catch (err) {
    logger.warn(`fluxgate: could not prune the repository cache: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

function describe(job: ReviewJob): string {
  const t = job.target
  return `${job.repo.owner}/${job.repo.repo}${t.issue !== undefined ? `#${t.issue}` : ''}@${t.head.sha.slice(0, 7)}`
}

function jobLogger(probot: Probot, job: ReviewJob): Logger {
  const log = probot.log.child({ name: 'fluxgate', repository: `${job.repo.owner}/${job.repo.repo}`, pull: job.target.issue, head: job.target.head.sha })
  return { debug: (m) => log.debug(m), info: (m) => log.info(m), warn: (m) => log.warn(m), error: (m) => log.error(m) }
}

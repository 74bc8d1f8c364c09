import { createHash } from 'node:crypto'
import { DelayedError, Job, Queue, Worker } from 'bullmq'
import { Redis } from 'ioredis'
import type { EnqueueOutcome, JobQueue, JobRunner, QueuedJob } from '../ports/job-queue.js'
import type { Logger } from '../ports/logger.js'

/** Settings of a queue on Redis. */
export interface RedisQueueOptions<T> {
  /** `redis://[:password@]host:port[/db]` or `rediss://…`; never logged. */
  url: string
  /** Queue name (no `:`); every replica that shares the work uses the same one. */
  name: string
  run: JobRunner<T>
  /** Jobs this process runs at once. */
  concurrency: number
  /**
   * How long a job and its group stay locked without renewal: a replica that died is noticed
   * after about this long and its job runs elsewhere. Locks are renewed while a job runs.
   */
  lockMs: number
  logger: Logger
  /** How long a delivery id is remembered to drop redeliveries (default a day). */
  deliveryTtlMs?: number
}

/** Key prefix of everything this queue keeps in Redis. */
const PREFIX = 'fluxgate'
/** How long a job whose group is busy waits before it asks again. */
const GROUP_BUSY_DELAY_MS = 500

// Release and renew a group lock only while it is still ours: a lock that expired (a stalled
// job) may already belong to the job that took over.
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"
const RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"

/**
 * A JobQueue on Redis with BullMQ, shared by every replica of the App. BullMQ gives the
 * durable queue, the per-process concurrency and the recovery of a job whose worker died
 * (its lock runs out, the stalled-job check puts it back in the queue, another worker takes
 * it). What BullMQ's open-source edition lacks is added here with plain Redis keys:
 * - one job per group at a time, across replicas: a group lock (SET NX PX, renewed while the
 *   job runs); a job that finds its group busy goes back to the delayed set and tries again;
 * - dropping a redelivered delivery: a key per delivery and group (SET NX EX).
 * A job already queued or running with the same id is not added again (BullMQ's job id).
 */
export class RedisJobQueue<T> implements JobQueue<T> {
  private readonly producer: Redis
  private readonly workerConnection: Redis
  private readonly queue: Queue
  private readonly worker: Worker
  private readonly deliveryTtlMs: number

  constructor(private readonly opts: RedisQueueOptions<T>) {
    this.deliveryTtlMs = opts.deliveryTtlMs ?? 24 * 3600_000
    // The producer answers the webhook: when Redis is away it fails after a few reconnects
    // instead of holding the delivery (GitHub then shows it failed, to be redelivered).
    this.producer = new Redis(opts.url, { maxRetriesPerRequest: 2, lazyConnect: false })
    // BullMQ's workers block on Redis and must wait out a reconnect: no retry limit.
    this.workerConnection = new Redis(opts.url, { maxRetriesPerRequest: null })
    for (const c of [this.producer, this.workerConnection]) c.on('error', (err: Error) => opts.logger.debug(`fluxgate: queue: Redis: ${redisReason(err)}`))
    this.queue = new Queue(opts.name, { connection: this.producer, prefix: PREFIX })
    this.queue.on('error', (err) => opts.logger.warn(`fluxgate: queue: ${redisReason(err)}`))
    this.worker = new Worker(opts.name, (job: Job, token?: string) => this.process(job, token), {
      connection: this.workerConnection,
      prefix: PREFIX,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: opts.lockMs,
      // A job whose worker died twice in a row is given up (logged as failed), not retried forever.
      maxStalledCount: 2,
    })
    this.worker.on('failed', (job, err) => opts.logger.error(`fluxgate: queue: job ${job?.id ?? '?'} failed: ${err.message}`))
    this.worker.on('error', (err) => opts.logger.warn(`fluxgate: queue: worker: ${redisReason(err)}`))
  }

  async enqueue(job: QueuedJob<T>): Promise<EnqueueOutcome> {
    const fresh = await this.producer.set(this.key('delivery', `${job.delivery}\u0000${job.group}`), '1', 'PX', this.deliveryTtlMs, 'NX')
    if (fresh !== 'OK') return 'duplicate-delivery'
    const jobId = digest(job.id)
    // BullMQ does not add a job whose id is queued or running already; which delivery's job
    // is stored tells whether this one was added (finished jobs are removed at once, so the
    // same work asked for again later runs again).
    await this.queue.add('job', { group: job.group, delivery: job.delivery, data: job.data }, { jobId, removeOnComplete: true, removeOnFail: true })
    const stored = await Job.fromId(this.queue, jobId)
    return stored && (stored.data as { delivery?: string }).delivery !== job.delivery ? 'duplicate-job' : 'queued'
  }

  async problem(): Promise<string | undefined> {
    try {
      await withTimeout(this.producer.ping(), 2000)
    } catch (err) {
      return `REDIS_URL: Redis does not answer (${redisReason(err)})`
    }
    return this.worker.isRunning() ? undefined : 'the review queue worker is not running'
  }

  async drained(): Promise<void> {
    for (;;) {
      const counts = await this.queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused')
      if (Object.values(counts).every((n) => n === 0)) return
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  async close(): Promise<void> {
    await this.worker.close()
    await this.queue.close()
    await Promise.all([this.producer.quit().catch(() => undefined), this.workerConnection.quit().catch(() => undefined)])
  }

  private async process(job: Job, token: string | undefined): Promise<void> {
    const { group, data } = job.data as { group: string; data: T }
    const lock = this.key('group', group)
    const owner = `${job.id ?? ''}:${token ?? ''}`
    const got = await this.workerConnection.set(lock, owner, 'PX', this.opts.lockMs, 'NX')
    if (got !== 'OK') {
      await job.moveToDelayed(Date.now() + GROUP_BUSY_DELAY_MS, token)
      throw new DelayedError()
    }
    const renew = setInterval(() => {
      this.workerConnection.eval(RENEW, 1, lock, owner, String(this.opts.lockMs)).catch(() => undefined)
    }, Math.max(100, Math.floor(this.opts.lockMs / 3)))
    try {
      await this.opts.run(data)
    } finally {
      clearInterval(renew)
      await this.workerConnection.eval(RELEASE, 1, lock, owner).catch(() => undefined)
    }
  }

  private key(kind: string, id: string): string {
    return `${PREFIX}:${this.opts.name}:${kind}:${digest(id)}`
  }
}

/** Names from events (owner, repository) never become Redis key syntax: keys hold a digest. */
function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 40)
}

/** A Redis error without anything from the URL (it may hold a password): its code, or its first words. */
function redisReason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  const message = err instanceof Error ? err.message : String(err)
  return message.replace(/\S+@\S+/g, '***').slice(0, 120)
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms)
  })
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer))
}

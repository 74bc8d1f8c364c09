import { LRUCache } from 'lru-cache'
import type { EnqueueOutcome, JobQueue, JobRunner, QueuedJob } from '../../ports/job-queue.js'

/** How many (delivery, group) pairs are remembered to drop redeliveries. */
const DELIVERIES_KEPT = 10_000

/**
 * The App's queue without REDIS_URL: in this process, lost on restart. Jobs start in the
 * order they came, at most `concurrency` at once and never two of one group together; a job
 * whose group is busy waits while later jobs of other groups go ahead. Written here rather
 * than taken from a library because the rule "one per group, N in all" is the whole of it
 * (p-limit has no groups; BullMQ needs Redis).
 */
export class MemoryJobQueue<T> implements JobQueue<T> {
  private readonly seen = new LRUCache<string, true>({ max: DELIVERIES_KEPT })
  /** Job id → job, while it waits or runs. */
  private readonly pending = new Map<string, QueuedJob<T>>()
  private readonly waiting: QueuedJob<T>[] = []
  private readonly busy = new Set<string>()
  private running = 0
  private idle: (() => void)[] = []
  private closed = false

  constructor(
    private readonly run: JobRunner<T>,
    private readonly concurrency: number,
    /** A job that threw (the runner publishes its own failures; this only logs). */
    private readonly onError: (job: QueuedJob<T>, err: unknown) => void,
  ) {}

  enqueue(job: QueuedJob<T>): Promise<EnqueueOutcome> {
    if (this.closed) return Promise.reject(new Error('the review queue is closed'))
    const delivery = `${job.delivery}\u0000${job.group}`
    if (this.seen.has(delivery)) return Promise.resolve('duplicate-delivery')
    this.seen.set(delivery, true)
    if (this.pending.has(job.id)) return Promise.resolve('duplicate-job')
    this.pending.set(job.id, job)
    this.waiting.push(job)
    this.pump()
    return Promise.resolve('queued')
  }

  problem(): Promise<string | undefined> {
    return Promise.resolve(this.closed ? 'the review queue is closed' : undefined)
  }

  drained(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve()
    return new Promise((resolve) => this.idle.push(resolve))
  }

  async close(): Promise<void> {
    this.closed = true
    this.waiting.length = 0
    for (const [id, job] of this.pending) if (!this.busy.has(job.group)) this.pending.delete(id)
    await this.drained()
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const next = this.waiting.findIndex((j) => !this.busy.has(j.group))
      if (next < 0) return
      const [job] = this.waiting.splice(next, 1) as [QueuedJob<T>]
      this.running++
      this.busy.add(job.group)
      void this.run(job.data)
        .catch((err: unknown) => this.onError(job, err))
        .finally(() => this.finish(job))
    }
  }

  private finish(job: QueuedJob<T>): void {
    this.running--
    this.busy.delete(job.group)
    this.pending.delete(job.id)
    this.pump()
    if (this.pending.size === 0) for (const done of this.idle.splice(0)) done()
  }
}

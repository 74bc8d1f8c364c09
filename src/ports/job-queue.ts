/**
 * One unit of queued work. `id` names the work itself (two deliveries asking for the same work
 * while it is queued or running make one job), `group` what must never run twice at once (a
 * pull request: its sticky comment is read, then written), `delivery` the event that asked
 * for it (a redelivered event is dropped). `data` is plain JSON: it may cross processes.
 */
export interface QueuedJob<T> {
  id: string
  group: string
  delivery: string
  data: T
}

/** What `enqueue` did with a job. */
export type EnqueueOutcome = 'queued' | 'duplicate-delivery' | 'duplicate-job'

/** Runs the data of one job; a job that throws is logged by the queue, not retried forever. */
export type JobRunner<T> = (data: T) => Promise<void>

/**
 * A work queue off the webhook path: jobs run later, at most `concurrency` at once per
 * process, one per group at a time across every process that shares the queue. The App has
 * one in memory and one on Redis (src/infra/redis-queue.ts) for several replicas.
 */
export interface JobQueue<T> {
  enqueue(job: QueuedJob<T>): Promise<EnqueueOutcome>
  /** Undefined when the queue can take and run jobs, else why not (served on /readyz; no secrets). */
  problem(): Promise<string | undefined>
  /** Resolves once no job is queued or running (tests; a shutdown that waits). */
  drained(): Promise<void>
  close(): Promise<void>
}

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PlanRequest } from '../../flows/plan.js'
import type { Logger } from '../../ports/logger.js'
import { packageRoot } from '../../infra/helm-binary.js'
import type { WirePlanned } from './sent-clusters.js'

/**
 * A plan made in a worker thread, so that one pull request can never hang or kill the process
 * that serves every other one (the App): the worker has its own heap limit and a deadline; a
 * worker that runs out of either is ended, and the plan fails with the reason (the review
 * then publishes a neutral check saying so, never success). This module is the worker's
 * protocol; plan-workers.ts starts workers, keeps the App's warm and plans in them.
 */

/** What the worker needs to plan: the PlanRequest's data, with its ports named instead of given. */
export interface WorkerPlanRequest extends Omit<PlanRequest, 'source' | 'helm' | 'logger' | 'clock' | 'renderCache' | 'fleets'> {
  /** The git directory of the repository (a GitRepo), read in the worker. */
  gitDir: string
  /** The helm binary (absolute), when helm may run. */
  helmPath?: string
  /** Where chart archives are kept between plans (HelmCli `cacheDir`). */
  chartCacheDir?: string
  /**
   * Where renders of Flux Kustomizations and HelmReleases are kept between plans of this
   * repository (a DiskRenderCache root), and the size it is pruned to after the plan.
   */
  renderCacheAt?: { dir: string; maxBytes: number }
}

/** The limits of one worker. */
export interface PlanLimits {
  /** Wall-clock deadline of the plan, in milliseconds. */
  timeoutMs: number
  /** Heap limit (V8 old generation) of the worker, in MiB. */
  memoryMb: number
}

/** Defaults: ten minutes and 2 GiB, far above any fleet's plan, far below a host's memory. */
export const DEFAULT_PLAN_LIMITS: PlanLimits = Object.freeze({ timeoutMs: 10 * 60_000, memoryMb: 2048 })

/** A plan asked of a worker; `id` tells its messages from those of the worker's other plans. */
export interface WorkerPlanMessage {
  type: 'plan'
  id: number
  req: WorkerPlanRequest
  /** The worker may be kept for later plans: it keeps the render cache's records in memory too. */
  warm: boolean
  /**
   * How long a warm worker's Git reader keeps its processes idle (readerIdleMs): less than the
   * pool keeps the worker idle, so they end, and are reaped, while the worker lives (a process
   * a worker thread started and left running is never reaped once the worker has ended).
   */
  readerIdleMs?: number
}

/**
 * Asked of a warm worker whose memory after a plan was over its bound: its memory once a full
 * collection has run (the answer is a `health` message with the same id).
 */
export interface WorkerHealthMessage {
  type: 'health'
  id: number
}

/**
 * Asked of a worker before the pool ends it: it ends its git processes (the answer is a
 * `closed` message with the same id). A process a worker thread started is reaped by that
 * thread's event loop only: one still running when the thread is terminated stays a zombie of
 * the App's process for good.
 */
export interface WorkerCloseMessage {
  type: 'close'
  id: number
}

/** Messages from the worker, each naming the plan (or health or close question) it belongs to. */
export type WorkerMessage = { id: number } & (
  | { type: 'log'; level: keyof Logger; message: string }
  /**
   * The plan without its renders (copying both fleets across was most of the answer, and the
   * App's thread read it back between other reviews), the values the redactor masks, and the
   * worker's memory after the plan (heap and outside it), by which it is kept warm or ended.
   * A cluster plan sent in the answer before crosses as its place there (sent-clusters.ts).
   */
  | { type: 'done'; planned: WirePlanned; secretValues: string[]; memoryBytes: number }
  | { type: 'failed'; message: string; memoryBytes: number }
  | { type: 'health'; memoryBytes: number }
  | { type: 'closed' }
)

/**
 * How long a warm worker's Git reader keeps its processes idle, for a pool that keeps idle
 * workers `workerIdleMs`: a minute less (at least half of it), since a pull request's next push
 * may come minutes later and starting one from a worker that holds a fleet costs 10 ms and
 * more (the fork copies its heap's page tables); less than the worker, so they end first.
 */
export function readerIdleMs(workerIdleMs: number): number {
  return Math.max(workerIdleMs / 2, workerIdleMs - 60_000)
}

/** The worker script: lib/plan-worker.js, beside the bundle that imports this module or in the package. */
export function planWorkerScript(): string | undefined {
  const here = new URL('./plan-worker.js', import.meta.url)
  const candidates = [fileURLToPath(here), ...(packageRoot() ? [join(packageRoot()!, 'lib', 'plan-worker.js')] : [])]
  return candidates.find((p) => p.endsWith('.js') && existsSync(p))
}

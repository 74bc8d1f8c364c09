import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { Redactor } from '../../core/mask/index.js'
import type { PlanRequest, ReviewablePlan } from '../../flows/plan.js'
import type { Logger } from '../../ports/logger.js'
import { packageRoot } from '../../infra/helm-binary.js'

/**
 * A plan made in a worker thread, so that one pull request can never hang or kill the process
 * that serves every other one (the App): the worker has its own heap limit and a deadline; a
 * worker that runs out of either is ended, and the plan fails with the reason (the review
 * then publishes a neutral check saying so, never success).
 */

/** What the worker needs to plan: the PlanRequest's data, with its ports named instead of given. */
export interface WorkerPlanRequest extends Omit<PlanRequest, 'source' | 'helm' | 'logger' | 'clock' | 'renderCache'> {
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

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'log'; level: keyof Logger; message: string }
  /**
   * The plan without its renders (copying both fleets across was most of the answer, and the
   * App's thread read it back between other reviews), and the values the redactor masks.
   */
  | { type: 'done'; planned: Omit<ReviewablePlan, 'redactor'>; secretValues: string[] }
  | { type: 'failed'; message: string }

/** The worker script: lib/plan-worker.js, beside the bundle that imports this module or in the package. */
export function planWorkerScript(): string | undefined {
  const here = new URL('./plan-worker.js', import.meta.url)
  const candidates = [fileURLToPath(here), ...(packageRoot() ? [join(packageRoot()!, 'lib', 'plan-worker.js')] : [])]
  return candidates.find((p) => p.endsWith('.js') && existsSync(p))
}

/**
 * Plans in a worker thread with `limits`. Rejects with a reason a reviewer can act on when
 * the worker runs out of time or memory, crashes, or cannot start.
 */
export function planInWorker(req: WorkerPlanRequest, limits: PlanLimits = DEFAULT_PLAN_LIMITS, logger?: Logger): Promise<ReviewablePlan> {
  const script = planWorkerScript()
  if (!script) return Promise.reject(new Error('the plan worker (lib/plan-worker.js) is missing: build Fluxgate (npm run build)'))
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: req,
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.memoryMb / 16))) },
      stdout: false,
      stderr: false,
    })
    let settled = false
    const finish = (fn: () => void): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      fn()
      void worker.terminate()
    }
    const timer = setTimeout(() => finish(() => reject(new Error(`the plan took longer than ${Math.round(limits.timeoutMs / 1000)} s, the limit of one plan; it was stopped`))), limits.timeoutMs)
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') logger?.[m.level](m.message)
      else if (m.type === 'failed') finish(() => reject(new Error(m.message)))
      // The redactor is a class (it does not cross threads): it is rebuilt from the same values.
      else finish(() => resolve({ ...m.planned, redactor: new Redactor(m.secretValues) }))
    })
    worker.on('error', (err: Error & { code?: string }) => {
      const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY'
      finish(() => reject(new Error(oom ? `the plan needed more than ${limits.memoryMb} MB of memory, the limit of one plan; it was stopped` : `the plan worker failed: ${err.message}`)))
    })
    worker.on('exit', (code) => finish(() => reject(new Error(`the plan worker stopped (exit code ${code}) before the plan was made`))))
  })
}

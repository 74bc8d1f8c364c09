import { Worker } from 'node:worker_threads'
import { Redactor } from '../../core/mask/index.js'
import type { ReviewablePlan } from '../../flows/plan.js'
import type { Logger } from '../../ports/logger.js'
import { DEFAULT_PLAN_LIMITS, planWorkerScript, readerIdleMs, type PlanLimits, type WorkerCloseMessage, type WorkerHealthMessage, type WorkerMessage, type WorkerPlanMessage, type WorkerPlanRequest } from './plan-worker.js'
import { ClusterReceiver } from './sent-clusters.js'

/** How many warm workers are kept and for how long. */
export interface PlanWorkersOptions {
  /** Idle workers kept at most (one per repository; the least recently used goes first). 0: every plan starts a worker and ends it. */
  keep: number
  /** An idle worker is ended after this long without a plan (ms). */
  idleMs?: number
  /** The worker script (default: lib/plan-worker.js, planWorkerScript). */
  script?: string
}

/** A worker's answer, its clusters in place, before the redactor is rebuilt on this thread. */
export interface WorkerAnswer {
  planned: Omit<ReviewablePlan, 'redactor'>
  secretValues: string[]
}

/** Ten minutes: a pull request's next push usually comes sooner; an idle App gives its memory back. */
export const DEFAULT_IDLE_MS = 10 * 60_000

/**
 * Plans a worker makes before it is ended anyway: the module caches of the engine are bounded,
 * but a worker that never ends would carry any slow growth for the life of the process.
 */
const MAX_PLANS = 200

/** How long a worker has to answer how much it holds once collected (a full collection of a 2 GiB heap takes about a second). */
const HEALTH_MS = 30_000
/** How long a worker being ended may take to end its git processes (closeReaders). */
const CLOSE_MS = 2_000

interface Slot {
  worker: Worker
  key: string
  plans: number
  idleTimer?: ReturnType<typeof setTimeout>
  /** Whether the worker is within its bound once collected (asked after a plan that left it over; see check). */
  health?: Promise<boolean>
  /** The clusters of its last answer, which its next answer may refer to (sent-clusters.ts). */
  clusters: ClusterReceiver
  /** Whether the worker has ended. */
  exited?: boolean
}

/**
 * The App's plan workers. A worker that ended its plan within its limits is kept, idle, for
 * the next plan of the same repository (and the same limits): it has the engine loaded and
 * compiled, the repository's trees and blobs read, the render cache's records in memory and
 * the engine's bounded caches filled, all of which a worker started for each plan pays for
 * again (most of a replan on the 1,000-Kustomization benchmark fleet: docs/performance.md).
 * What a warm worker keeps is what the same plans would share in one process: caches keyed by
 * content, and the render cache's records, which an untrusted change never writes. A worker
 * past its deadline or its heap, holding more than half its heap limit after a plan (asked
 * again once collected, before it plans again: check), or past MAX_PLANS is ended, never
 * reused. One plan at a time runs in a worker: a plan that finds its repository's worker busy
 * starts another. At most `keep` workers idle, and a new worker ends the least recently used
 * idle one first while `keep` are alive, so the memory of workers follows the plans running
 * (the queue's concurrency), not the repositories seen.
 */
export class PlanWorkers {
  /** Workers started so far (the benchmark and tests read it). */
  started = 0
  private readonly idle = new Map<string, Slot>()
  private readonly busy = new Set<Slot>()
  private ids = 0
  private closed = false

  constructor(private readonly opts: PlanWorkersOptions) {}

  /** Idle workers kept now. */
  get warm(): number {
    return this.idle.size
  }

  /** Plans in a worker (a warm one of the repository when there is one); the answer's redactor is rebuilt here. */
  async plan(req: WorkerPlanRequest, limits: PlanLimits = DEFAULT_PLAN_LIMITS, logger?: Logger): Promise<ReviewablePlan> {
    const { planned, secretValues } = await this.answer(req, limits, logger)
    // The redactor is a class (it does not cross threads): it is rebuilt from the same values.
    return { ...planned, redactor: new Redactor(secretValues) }
  }

  /** Ends every worker, idle or planning (a plan under way fails). */
  async close(): Promise<void> {
    this.closed = true
    const all = [...this.idle.values(), ...this.busy]
    this.idle.clear()
    await Promise.all(all.map((s) => this.end(s)))
  }

  /** Ends the idle worker of a repository whose git directory was removed (the repository cache's prune). */
  forget(gitDir: string): void {
    for (const [key, slot] of this.idle) {
      if (keyDir(key) === gitDir) {
        this.idle.delete(key)
        void this.end(slot)
      }
    }
  }

  private async answer(req: WorkerPlanRequest, limits: PlanLimits, logger: Logger | undefined): Promise<WorkerAnswer> {
    const key = `${limits.memoryMb}\0${req.gitDir}`
    let slot = this.take(key)
    if (slot?.health) {
      // A worker whose health is being checked is used once the check says it may be.
      const checking = slot
      this.busy.add(checking)
      const ok = await checking.health
      this.busy.delete(checking)
      checking.health = undefined
      if (!ok) {
        void this.end(checking)
        slot = undefined
      }
    }
    return this.planIn(slot ?? this.start(key, limits), req, limits, logger)
  }

  private planIn(slot: Slot, req: WorkerPlanRequest, limits: PlanLimits, logger: Logger | undefined): Promise<WorkerAnswer> {
    const { worker } = slot
    const id = ++this.ids
    this.busy.add(slot)
    return new Promise<WorkerAnswer>((resolve, reject) => {
      let settled = false
      const finish = (keep: boolean | 'check', fn: () => void): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
        this.busy.delete(slot)
        if (keep === 'check') slot.health = this.check(slot, limits)
        if (keep) this.park(slot)
        else void this.end(slot)
        fn()
      }
      // Over its bound as the plan left it (garbage included), a worker that may be kept is asked
      // again once collected: at 10,000 Kustomizations that figure sat on either side of the
      // bound depending on when V8 last collected, and a replaced worker plans the next push
      // from the disk cache (seconds instead of about one).
      const keepIf = (bytes: number): boolean | 'check' => healthy(bytes, limits) || (this.opts.keep > 0 && !this.closed ? 'check' : false)
      const onMessage = (m: WorkerMessage): void => {
        if (m.id !== id) return
        if (m.type === 'log') logger?.[m.level](m.message)
        else if (m.type === 'failed') finish(keepIf(m.memoryBytes), () => reject(new Error(m.message)))
        else if (m.type === 'done') {
          const planned = slot.clusters.decode(m.planned)
          if (typeof planned === 'string') finish(false, () => reject(new Error(planned)))
          else finish(keepIf(m.memoryBytes), () => resolve({ planned, secretValues: m.secretValues }))
        }
      }
      const onError = (err: Error & { code?: string }): void => {
        const oom = err.code === 'ERR_WORKER_OUT_OF_MEMORY'
        finish(false, () => reject(new Error(oom ? `the plan needed more than ${limits.memoryMb} MB of memory, the limit of one plan; it was stopped` : `the plan worker failed: ${err.message}`)))
      }
      const onExit = (code: number): void => finish(false, () => reject(new Error(`the plan worker stopped (exit code ${code}) before the plan was made`)))
      const timer = setTimeout(() => finish(false, () => reject(new Error(`the plan took longer than ${Math.round(limits.timeoutMs / 1000)} s, the limit of one plan; it was stopped`))), limits.timeoutMs)
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
      const warm = this.opts.keep > 0
      const ask: WorkerPlanMessage = { type: 'plan', id, req, warm, ...(warm ? { readerIdleMs: readerIdleMs(this.opts.idleMs ?? DEFAULT_IDLE_MS) } : {}) }
      try {
        worker.postMessage(ask)
      } catch (err) {
        // A request that cannot cross to the worker: nothing was asked of it, but it is ended anyway.
        finish(false, () => reject(new Error(`the plan could not be sent to its worker: ${err instanceof Error ? err.message : String(err)}`)))
      }
    })
  }

  /**
   * Whether a worker is within its bound once a full collection has run (it answers after its
   * plan, before any next plan). One found over it is ended if idle; a plan that takes it
   * meanwhile waits for the answer (answer). A worker that ends first, or does not answer
   * within HEALTH_MS, is not healthy.
   */
  private check(slot: Slot, limits: PlanLimits): Promise<boolean> {
    const { worker } = slot
    const id = ++this.ids
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('exit', onExit)
        resolve(ok)
      }
      const timer = setTimeout(() => done(false), HEALTH_MS)
      timer.unref()
      const onMessage = (m: WorkerMessage): void => {
        if (m.id === id && m.type === 'health') done(healthy(m.memoryBytes, limits))
      }
      const onExit = (): void => done(false)
      worker.on('message', onMessage)
      worker.on('exit', onExit)
      try {
        worker.postMessage({ type: 'health', id } satisfies WorkerHealthMessage)
      } catch {
        done(false)
      }
    }).then((ok) => {
      if (!ok && this.idle.get(slot.key) === slot) {
        this.drop(slot.key)
        void this.end(slot)
      }
      return ok
    })
  }

  private start(key: string, limits: PlanLimits): Slot {
    // Workers alive stay within `keep` where they can: a new one ends the least recently used
    // idle one first, so memory is bounded by the plans running, not by the repositories seen.
    while (this.idle.size > 0 && this.idle.size + this.busy.size >= this.opts.keep) this.endOldest()
    const script = this.opts.script ?? planWorkerScript()
    if (!script) throw new Error('the plan worker (lib/plan-worker.js) is missing: build Fluxgate (npm run build)')
    const worker = new Worker(script, {
      resourceLimits: { maxOldGenerationSizeMb: limits.memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(limits.memoryMb / 16))) },
      stdout: false,
      stderr: false,
    })
    this.started++
    const slot: Slot = { worker, key, plans: 0, clusters: new ClusterReceiver() }
    // An idle worker that fails or stops is simply no longer kept (an 'error' nobody listens to
    // would end the App's process).
    worker.on('error', () => undefined)
    worker.on('exit', () => {
      slot.exited = true
      if (this.idle.get(key) === slot) this.drop(key)
    })
    return slot
  }

  private take(key: string): Slot | undefined {
    const slot = this.idle.get(key)
    if (!slot) return undefined
    this.drop(key)
    slot.worker.ref()
    return slot
  }

  private park(slot: Slot): void {
    slot.plans++
    if (this.closed || this.opts.keep <= 0 || slot.plans >= MAX_PLANS || this.idle.has(slot.key)) {
      void this.end(slot)
      return
    }
    this.idle.set(slot.key, slot)
    // Idle, it does not hold the process open; it ends after idleMs, or when newer ones crowd it out.
    slot.worker.unref()
    slot.idleTimer = setTimeout(() => {
      if (this.idle.get(slot.key) !== slot) return
      this.drop(slot.key)
      void this.end(slot)
    }, this.opts.idleMs ?? DEFAULT_IDLE_MS)
    slot.idleTimer.unref()
    while (this.idle.size > this.opts.keep) this.endOldest()
  }

  private endOldest(): void {
    const [oldest, s] = this.idle.entries().next().value as [string, Slot]
    this.drop(oldest)
    void this.end(s)
  }

  private drop(key: string): void {
    const slot = this.idle.get(key)
    if (slot?.idleTimer) clearTimeout(slot.idleTimer)
    this.idle.delete(key)
  }

  private async end(slot: Slot): Promise<void> {
    if (slot.idleTimer) clearTimeout(slot.idleTimer)
    await this.closeReaders(slot)
    await slot.worker.terminate().catch(() => undefined)
  }

  /**
   * Asks a worker to end its git processes (WorkerCloseMessage) and waits for its answer, its
   * end, or CLOSE_MS (a worker stuck in a plan past its deadline never answers).
   */
  private closeReaders(slot: Slot): Promise<void> {
    if (slot.exited) return Promise.resolve()
    const { worker } = slot
    const id = ++this.ids
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        worker.off('message', onMessage)
        worker.off('exit', done)
        resolve()
      }
      const timer = setTimeout(done, CLOSE_MS)
      timer.unref()
      const onMessage = (m: WorkerMessage): void => {
        if (m.id === id && m.type === 'closed') done()
      }
      worker.on('message', onMessage)
      worker.on('exit', done)
      try {
        worker.postMessage({ type: 'close', id } satisfies WorkerCloseMessage)
      } catch {
        done()
      }
    })
  }
}

/** Half the heap limit is left for the next plan: a worker holding more after a plan (once collected) is ended. */
function healthy(bytes: number, limits: PlanLimits): boolean {
  return bytes < (limits.memoryMb * 1024 * 1024) / 2
}

function keyDir(key: string): string {
  return key.slice(key.indexOf('\0') + 1)
}

/** Workers that plan once each: nothing is kept between plans (the App keeps some warm: its own PlanWorkers). */
const oneShot = new PlanWorkers({ keep: 0 })

/**
 * Plans in a worker thread with `limits` (by default one started for this plan and ended
 * after it). Rejects with a reason a reviewer can act on when the worker runs out of time or
 * memory, crashes, or cannot start.
 */
export function planInWorker(req: WorkerPlanRequest, limits: PlanLimits = DEFAULT_PLAN_LIMITS, logger?: Logger, workers: PlanWorkers = oneShot): Promise<ReviewablePlan> {
  return workers.plan(req, limits, logger)
}

import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { MemoryTree } from '../core/tree/memory-tree.js'
import type { FileTree } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { ThreadPool } from '../ports/threads.js'
import { packageRoot } from './helm-binary.js'

/** Messages to a thread (thread-worker.ts). */
export type ToThread =
  | { t: 'tree'; tree: number; contents: ReturnType<MemoryTree['contents']> }
  | { t: 'task'; id: number; trees: number[]; task: unknown; helm?: ThreadHelm }
  | { t: 'helm'; id: number; ok: true; value: unknown }
  | { t: 'helm'; id: number; ok: false; message: string }

/** Messages from a thread. */
export type FromThread =
  | { t: 'done'; id: number; value: unknown }
  | { t: 'failed'; id: number; message: string }
  | { t: 'helm'; id: number; helm: number; method: HelmMethod; args: unknown[] }

/** What a thread may ask of the helm runner of the thread that started it. */
export const HELM_METHODS = ['fetchIndex', 'listTags', 'template'] as const
export type HelmMethod = (typeof HELM_METHODS)[number]

/**
 * The helm runner a task may use, named: its id in the starting thread (one runner keeps one
 * id, so the thread's memo tells its renders apart as it would here) and its cacheIdentity.
 */
export interface ThreadHelm {
  id: number
  cacheIdentity?: string
}

/** The thread script: thread-worker.js beside the module that holds this code (lib/, dist/), or in the package's lib/. */
export function threadScript(): string | undefined {
  const candidates = [fileURLToPath(new URL('./thread-worker.js', import.meta.url)), ...(packageRoot() ? [join(packageRoot()!, 'lib', 'thread-worker.js')] : [])]
  return candidates.find((p) => p.endsWith('.js') && existsSync(p))
}

/**
 * How many render threads to use by default on a machine of `cores`: none below 4 cores (on 2
 * cores, threads only broke even at 1,000 Kustomizations: this thread, helm and the garbage
 * collector already keep both busy), else one per core but one (this thread runs helm and
 * takes the answers), at most 8. docs/performance.md has the measurements.
 */
export function defaultThreads(cores: number = availableParallelism()): number {
  return cores < 4 ? 1 : Math.min(8, cores - 1)
}

/** A thread count as a flag or input gives it: a whole number from 1 to 64, else undefined. */
export function threadCount(raw: string): number | undefined {
  return /^[0-9]{1,2}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= 64 ? Number(raw) : undefined
}

/**
 * Trees with fewer files are rendered in the calling thread: starting a thread (loading
 * Fluxgate and warming it up again there) costs about a second of CPU, more than a small
 * fleet's whole render.
 */
export const MIN_THREADED_FILES = 1000

/** Options of a WorkerThreadPool. */
export interface ThreadPoolOptions {
  /** The thread script (default: threadScript()); without one the pool has no threads. */
  script?: string | undefined
  /** Tasks whose largest tree has fewer files are declined (default MIN_THREADED_FILES). */
  minFiles?: number
}

interface Slot {
  worker: Worker
  /** Trees this thread holds, by id. */
  trees: Set<number>
  tasks: Map<number, { resolve(v: unknown): void; reject(e: Error): void; helm?: number }>
  failed?: string
}

/**
 * Worker threads for the core's tasks (ports/threads.ts). Threads start when first needed;
 * a tree is copied to a thread once (its files and symlinks: a MemoryTree, as Git trees are;
 * a folder on disk is not handed over, as it can change under the render). helm runs in this
 * thread for all of them (its concurrency limit stays one for the process): a thread asks for
 * a template by message. A thread that fails rejects its tasks (the core then renders them
 * itself) and takes no more. `close()` ends every thread; an idle pool never keeps the
 * process alive.
 */
export class WorkerThreadPool implements ThreadPool {
  readonly size: number
  private readonly slots: (Slot | undefined)[]
  private readonly affinities = new Map<string, number>()
  private readonly treeIds = new WeakMap<FileTree, number>()
  /** Helm runners given with tasks, by id: a thread's helm call reaches only one of these. */
  private readonly helms = new Map<number, HelmRunner>()
  private helmIds = new WeakMap<HelmRunner, number>()
  private trees = 0
  private ids = 0

  private readonly script: string | undefined
  private readonly minFiles: number

  constructor(size: number, opts: ThreadPoolOptions = {}) {
    this.script = 'script' in opts ? opts.script : threadScript()
    this.minFiles = opts.minFiles ?? MIN_THREADED_FILES
    this.size = this.script ? Math.max(0, Math.floor(size)) : 0
    this.slots = new Array<Slot | undefined>(this.size).fill(undefined)
  }

  run(trees: readonly FileTree[], affinity: string, task: unknown, helm?: HelmRunner): Promise<unknown> | undefined {
    if (this.size === 0 || !trees.every((t) => t instanceof MemoryTree)) return undefined
    if (Math.max(...(trees as MemoryTree[]).map((t) => t.fileCount)) < this.minFiles) return undefined
    let index = this.affinities.get(affinity)
    if (index === undefined) this.affinities.set(affinity, (index = this.affinities.size % this.size))
    const slot = this.slot(index)
    if (slot.failed) return Promise.reject(new Error(slot.failed))
    const ids = (trees as MemoryTree[]).map((tree) => {
      let id = this.treeIds.get(tree)
      if (id === undefined) this.treeIds.set(tree, (id = ++this.trees))
      if (!slot.trees.has(id)) {
        slot.trees.add(id)
        this.post(slot, { t: 'tree', tree: id, contents: tree.contents() })
      }
      return id
    })
    const id = ++this.ids
    const named = helm ? this.name(helm) : undefined
    return new Promise((resolve, reject) => {
      slot.tasks.set(id, { resolve, reject, ...(named ? { helm: named.id } : {}) })
      // A thread with work keeps the process alive; an idle one does not.
      slot.worker.ref()
      this.post(slot, { t: 'task', id, trees: ids, task, ...(named ? { helm: named } : {}) })
    })
  }

  private name(helm: HelmRunner): ThreadHelm {
    let id = this.helmIds.get(helm)
    if (id === undefined) {
      this.helmIds.set(helm, (id = this.helms.size + 1))
      this.helms.set(id, helm)
    }
    return { id, ...(helm.cacheIdentity ? { cacheIdentity: helm.cacheIdentity } : {}) }
  }

  /** Ends every thread; tasks still running are rejected. */
  async close(): Promise<void> {
    const running = this.slots.filter((s): s is Slot => s !== undefined)
    this.slots.fill(undefined)
    this.helms.clear()
    this.helmIds = new WeakMap()
    for (const s of running) this.fail(s, 'the thread pool was closed')
    await Promise.all(running.map((s) => s.worker.terminate()))
  }

  private slot(index: number): Slot {
    const known = this.slots[index]
    if (known) return known
    const worker = new Worker(this.script!, { stdout: false, stderr: false })
    const slot: Slot = { worker, trees: new Set(), tasks: new Map() }
    this.slots[index] = slot
    worker.unref()
    worker.on('message', (m: FromThread) => this.receive(slot, m))
    worker.on('error', (err: Error) => this.fail(slot, `a render thread failed: ${err.message}`))
    worker.on('exit', (code) => this.fail(slot, `a render thread stopped (exit code ${code})`))
    return slot
  }

  private receive(slot: Slot, m: FromThread): void {
    if (m.t === 'helm') {
      // Only a runner given with a task of this thread that is still running.
      const allowed = [...slot.tasks.values()].some((t) => t.helm === m.helm)
      void this.callHelm(allowed ? this.helms.get(m.helm) : undefined, m.method, m.args).then(
        (value) => this.post(slot, { t: 'helm', id: m.id, ok: true, value }),
        (err: unknown) => this.post(slot, { t: 'helm', id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) }),
      )
      return
    }
    const task = slot.tasks.get(m.id)
    if (!task) return
    slot.tasks.delete(m.id)
    if (slot.tasks.size === 0) slot.worker.unref()
    if (m.t === 'done') task.resolve(m.value)
    else task.reject(new Error(m.message))
  }

  private async callHelm(helm: HelmRunner | undefined, method: HelmMethod, args: unknown[]): Promise<unknown> {
    if (!helm || !HELM_METHODS.includes(method)) throw new Error(`helm cannot ${String(method)} here`)
    if (method === 'fetchIndex') return helm.fetchIndex(args[0] as string)
    if (method === 'listTags') return helm.listTags(args[0] as string, args[1] as boolean | undefined)
    return helm.template(args[0] as Parameters<HelmRunner['template']>[0])
  }

  private post(slot: Slot, m: ToThread): void {
    try {
      slot.worker.postMessage(m)
    } catch (err) {
      this.fail(slot, `a render thread could not be reached: ${err instanceof Error ? err.message : String(err)}`)
    }
  }

  private fail(slot: Slot, why: string): void {
    slot.failed ??= why
    const tasks = [...slot.tasks.values()]
    slot.tasks.clear()
    for (const t of tasks) t.reject(new Error(why))
  }
}

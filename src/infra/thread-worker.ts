/**
 * A render thread (lib/thread-worker.js, dist/thread-worker.js), started by WorkerThreadPool:
 * keeps the trees it is given and runs the core's cluster walks on them (ThreadWalks), asking
 * the starting thread to run helm. Answers go back as the structured-clone algorithm copies them.
 */
import { performance } from 'node:perf_hooks'
import { parentPort } from 'node:worker_threads'
import { isWalkTask, ThreadWalks } from '../core/render/thread-walk.js'
import { MemoryTree } from '../core/tree/memory-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import { DiskRenderCache } from './render-cache.js'
import type { FromThread, HelmMethod, ThreadHelm, ToThread } from './thread-pool.js'

const port = parentPort!
const trees = new Map<number, MemoryTree>()
const calls = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>()
let callIds = 0

const post = (m: FromThread): void => {
  try {
    port.postMessage(m)
  } catch (err) {
    // An answer that cannot be copied fails its task (the starting thread renders it itself).
    if (m.t === 'done') port.postMessage({ t: 'failed', id: m.id, message: `the answer could not be sent: ${err instanceof Error ? err.message : String(err)}` } satisfies FromThread)
    else throw err
  }
}
const call = <T>(helm: number, method: HelmMethod, args: unknown[]): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const id = ++callIds
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject })
    post({ t: 'helm', id, helm, method, args })
  })

/** One stand-in per runner of the starting thread: the memo keys renders by runner. */
const helms = new Map<number, HelmRunner>()
const helmOf = (h: ThreadHelm): HelmRunner => {
  let runner = helms.get(h.id)
  if (!runner) {
    runner = {
      ...(h.cacheIdentity ? { cacheIdentity: h.cacheIdentity } : {}),
      fetchIndex: (url) => call(h.id, 'fetchIndex', [url]),
      listTags: (ref, insecure) => call(h.id, 'listTags', [ref, insecure]),
      template: (req) => call(h.id, 'template', [req]),
      // A template's answer arrives as a message, which only a turn of the event loop sees.
      yieldToRenders: () => new Promise<void>((resolve) => setImmediate(resolve)),
    }
    helms.set(h.id, runner)
  }
  return runner
}
// One task at a time: two clusters walked side by side in one thread held both clusters'
// working sets at once, for no gain (on the 3,000 fleet: 15.4 s against 16.4 s, 6 % less memory).
let queue: Promise<void> = Promise.resolve()
const walks = new ThreadWalks(
  () => performance.now(),
  (handle) => DiskRenderCache.open(handle),
)

port.on('message', (m: ToThread) => {
  if (m.t === 'tree') {
    trees.set(m.tree, MemoryTree.of(m.contents))
  } else if (m.t === 'helm') {
    const c = calls.get(m.id)
    calls.delete(m.id)
    if (m.ok) c?.resolve(m.value)
    else c?.reject(new Error(m.message))
  } else {
    const given = m.trees.map((id) => trees.get(id))
    const task = m.task
    if (given.some((t) => t === undefined) || !isWalkTask(task)) {
      post({ t: 'failed', id: m.id, message: isWalkTask(task) ? 'the thread was not given the tree' : 'not a task this thread runs' })
      return
    }
    const go = (): Promise<void> => walks.run(given as MemoryTree[], task, m.helm ? helmOf(m.helm) : undefined).then(
      (value) => post({ t: 'done', id: m.id, value }),
      (err: unknown) => post({ t: 'failed', id: m.id, message: err instanceof Error ? err.message : String(err) }),
    )
    queue = queue.then(go)
  }
})

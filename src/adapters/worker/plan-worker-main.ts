/**
 * The plan worker (lib/plan-worker.js): plans each change it is sent with planFlow, one at a
 * time, and posts the result to the thread that started it (plan-workers.ts). Logs are
 * forwarded as messages. A worker kept warm plans again for the same repository: its reader
 * (with the trees and blobs it read), its render cache (with records in memory) and its whole
 * renders stay between plans.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { parentPort, resourceLimits } from 'node:worker_threads'
import { collectSecretValues } from '../../core/mask/index.js'
import { FleetMemo } from '../../core/render/fleet-memo.js'
import { ClusterMemo } from '../../core/render/cluster-memo.js'
import { VolatileRecords } from '../../core/render/flux/volatile-records.js'
import { planFlow } from '../../flows/plan.js'
import type { Logger } from '../../ports/logger.js'
import { systemClock } from '../../infra/clock.js'
import { GitRepo } from '../../infra/git-repo.js'
import { HelmCli } from '../../infra/helm-cli.js'
import { DiskRenderCache } from '../../infra/render-cache.js'
import type { WorkerCloseMessage, WorkerHealthMessage, WorkerMessage, WorkerPlanMessage, WorkerPlanRequest } from './plan-worker.js'
import type { ClusterPlan } from '../../core/model/plan.js'
import { ClusterSender } from './sent-clusters.js'

const post = (m: WorkerMessage): void => parentPort!.postMessage(m)

// A worker serves one repository; the maps only make a second one harmless. What it keeps of
// a repository: its reader (with the trees and blobs it read) and, kept warm, its whole renders,
// its cluster walks and the records of units that hold a Secret (which no render cache keeps).
interface Repo {
  source: GitRepo
  fleets: FleetMemo
  clusters: ClusterMemo
  volatile: VolatileRecords
}
const repos = new Map<string, Repo>()
/** The cluster plans the thread holds from this worker's last answer (sent-clusters.ts). */
const sender = new ClusterSender()
const caches = new Map<string, DiskRenderCache>()

function repoAt(gitDir: string, idleMs: number | undefined): Repo {
  let repo = repos.get(gitDir)
  if (!repo) repos.set(gitDir, (repo = { source: new GitRepo(gitDir, idleMs === undefined ? {} : { idleMs }), fleets: new FleetMemo(), clusters: new ClusterMemo(), volatile: new VolatileRecords() }))
  return repo
}

/**
 * A worker kept warm keeps the records it reads and writes in memory too, up to a sixteenth of
 * its heap limit in serialized bytes (a few times that as values): a warm plan then reads none
 * back from disk.
 */
function cacheAt(dir: string, warm: boolean): DiskRenderCache {
  let cache = caches.get(dir)
  const memoryBytes = warm ? Math.floor(((resourceLimits.maxOldGenerationSizeMb ?? 2048) * 1024 * 1024) / 16) : 0
  if (!cache) caches.set(dir, (cache = new DiskRenderCache(dir, undefined, { memoryBytes })))
  return cache
}

/** What the worker holds: its heap and the memory outside it (blobs and records are byte arrays). */
function memoryBytes(): number {
  const h = getHeapStatistics()
  return h.used_heap_size + h.external_memory
}

/**
 * A full collection, when V8 lets one be asked for: the `gc` function of a context made while
 * the flag is on (the flag is set back at once; Node's own worker options cannot pass it).
 * jest's heap-usage report asks for its collections the same way.
 */
const collect: (() => void) | undefined = (() => {
  try {
    setFlagsFromString('--expose-gc')
    const gc: unknown = runInNewContext('gc')
    setFlagsFromString('--no-expose-gc')
    return typeof gc === 'function' ? (gc as () => void) : undefined
  } catch {
    return undefined
  }
})()

/** What the worker holds once the garbage of its plans is collected (as it is, when no collection can be asked for). */
function collectedBytes(): number {
  collect?.()
  return memoryBytes()
}

async function plan(id: number, req: WorkerPlanRequest, warm: boolean, readerIdleMs: unknown): Promise<{ answer: WorkerMessage; clusters?: ClusterPlan[] }> {
  const logger: Logger = {
    debug: (message) => post({ id, type: 'log', level: 'debug', message }),
    info: (message) => post({ id, type: 'log', level: 'info', message }),
    warn: (message) => post({ id, type: 'log', level: 'warn', message }),
    error: (message) => post({ id, type: 'log', level: 'error', message }),
  }
  const { gitDir, helmPath, chartCacheDir, renderCacheAt: at, ...rest } = req
  const helm = helmPath ? new HelmCli({ helmPath, ...(chartCacheDir ? { cacheDir: chartCacheDir } : {}) }) : undefined
  const renderCache = at ? cacheAt(at.dir, warm) : undefined
  // A warm worker's reader keeps its git processes as long as the pool says (WorkerPlanMessage readerIdleMs).
  const repo = repoAt(gitDir, warm && typeof readerIdleMs === 'number' && Number.isFinite(readerIdleMs) && readerIdleMs > 0 ? readerIdleMs : undefined)
  // Everything is settled before the answer is posted: the thread that started this worker may
  // end it as soon as the answer arrives. A warm worker, which the pool keeps, answers first and
  // its records reach the disk after (writing).
  try {
    const { redactor: _redactor, baseFleet, headFleet, ...planned } = await planFlow({ ...rest, source: repo.source, logger, clock: systemClock, ...(helm?.available() ? { helm } : {}), ...(renderCache ? { renderCache } : {}), ...(warm ? { fleets: repo.fleets, clusters: repo.clusters, volatile: repo.volatile, awaitRecords: false } : {}) })
    // The renders stay here: the App's thread gets the plan, the gate's inputs (the spread reads
    // the masked head objects the rules need) and the values its redactor masks.
    const secretValues = [...collectSecretValues([baseFleet, headFleet], rest.secretValues ?? [])]
    // Many records (a first review on a cold cache) are written before the answer after all:
    // written meanwhile, they slowed a next plan asked at once several times over.
    if (renderCache && (planned.units?.stored ?? 0) > FEW_RECORDS) await renderCache.settled()
    const { wire, clusters } = sender.encode(planned)
    return { answer: { id, type: 'done', planned: wire, secretValues, memoryBytes: memoryBytes() }, clusters }
  } catch (err) {
    return { answer: { id, type: 'failed', message: err instanceof Error ? err.message : String(err), memoryBytes: memoryBytes() } }
  } finally {
    helm?.dispose()
    renderCache?.endRun()
    if (warm) repo.volatile.endRun()
    // A worker ended after its answer prunes first; a warm one after it has answered (afterAnswer).
    if (renderCache && at && !warm) renderCache.prune(at.maxBytes)
    // And ends its git processes: one this thread started and left running is never reaped
    // once the pool has ended the thread.
    if (!warm) {
      repos.delete(gitDir)
      await repo.source.close()
    }
  }
}

/**
 * A warm plan's records reach the disk after its answer (planFlow `awaitRecords`): waiting for
 * them was up to tens of milliseconds of a replan on a slow disk, for one or two records. A plan
 * that wrote more than FEW_RECORDS waits for them before its answer, as any plan did. The next
 * plan does not wait for them (it reads records from memory, or from the writes queued); an
 * answer about the worker's health does, since the pool may end the worker on it, and so does
 * the prune.
 */
let writing: Promise<void> = Promise.resolve()
/** Records a warm plan may leave to be written after its answer (a push writes one or two). */
const FEW_RECORDS = 16

function settle(req: WorkerPlanRequest): void {
  const cache = req.renderCacheAt && caches.get(req.renderCacheAt.dir)
  if (cache) writing = Promise.all([writing, cache.settled().catch(() => undefined)]).then(() => undefined)
}

/** Render caches a warm worker prunes once no plan waits (folder → size), and the timer that will. */
const toPrune = new Map<string, number>()
let pruning: ReturnType<typeof setTimeout> | undefined
/** How long after an answer a warm worker waits for another plan before its housekeeping. */
const QUIET_MS = 100

/**
 * A warm worker's housekeeping once the plan is answered: pruning the render cache, which lists
 * every record of the folder (about 10 ms for a 1,000-Kustomization fleet). It waits for a quiet
 * moment: a plan asked meanwhile (the next push of a busy pull request) goes first, and the
 * folder is pruned after that plan's answer instead.
 */
function afterAnswer(req: WorkerPlanRequest): void {
  const at = req.renderCacheAt
  if (at) toPrune.set(at.dir, Math.min(at.maxBytes, toPrune.get(at.dir) ?? Infinity))
  if (pruning) clearTimeout(pruning)
  pruning = setTimeout(() => {
    pruning = undefined
    turn = turn.then(async () => {
      await writing
      // A folder that cannot be pruned now is pruned after a later plan.
      try {
        for (const [dir, maxBytes] of toPrune) caches.get(dir)?.prune(maxBytes)
        toPrune.clear()
      } catch {
        // kept in toPrune
      }
    })
  }, QUIET_MS)
}

// One plan at a time, in the order asked (the pool sends one; a second waits its turn).
let turn: Promise<void> = Promise.resolve()
parentPort!.on('message', (m: WorkerPlanMessage | WorkerHealthMessage | WorkerCloseMessage) => {
  if (m?.type === 'close') {
    // After the plan under way and its records: the pool ends the worker on the answer.
    turn = turn
      .then(() => writing)
      .then(() => Promise.all([...repos.values()].map((r) => r.source.close())))
      .then(() => post({ id: m.id, type: 'closed' }))
      .catch(() => undefined)
    return
  }
  // Answered in turn: after the plan before it, before the next plan.
  if (m?.type === 'health') {
    turn = turn
      .then(() => writing)
      .then(() => post({ id: m.id, type: 'health', memoryBytes: collectedBytes() }))
      .catch(() => undefined)
    return
  }
  if (m?.type !== 'plan') return
  // The housekeeping waiting for a quiet moment waits for this plan too.
  if (pruning) clearTimeout(pruning)
  pruning = undefined
  // An answer that cannot be posted fails that plan, not every later one.
  turn = turn
    .then(async () => {
      const { answer, clusters } = await plan(m.id, m.req, m.warm === true, m.readerIdleMs)
      post(answer)
      // Posted: the thread holds these clusters now, and the next answer may refer to them.
      if (clusters) sender.posted(clusters)
      if (m.warm === true) {
        settle(m.req)
        afterAnswer(m.req)
      }
    })
    .catch((err: unknown) => post({ id: m.id, type: 'failed', message: `the plan's answer could not be sent: ${err instanceof Error ? err.message : String(err)}`, memoryBytes: memoryBytes() }))
})

/**
 * The plan worker (lib/plan-worker.js): plans each change it is sent with planFlow, one at a
 * time, and posts the result to the thread that started it (plan-workers.ts). Logs are
 * forwarded as messages. A worker kept warm plans again for the same repository: its reader
 * (with the trees and blobs it read), its render cache (with records in memory) and its whole
 * renders stay between plans.
 */
import { getHeapStatistics } from 'node:v8'
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
import type { WorkerMessage, WorkerPlanMessage, WorkerPlanRequest } from './plan-worker.js'

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
const caches = new Map<string, DiskRenderCache>()

function repoAt(gitDir: string): Repo {
  let repo = repos.get(gitDir)
  if (!repo) repos.set(gitDir, (repo = { source: new GitRepo(gitDir), fleets: new FleetMemo(), clusters: new ClusterMemo(), volatile: new VolatileRecords() }))
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

async function plan(id: number, req: WorkerPlanRequest, warm: boolean): Promise<WorkerMessage> {
  const logger: Logger = {
    debug: (message) => post({ id, type: 'log', level: 'debug', message }),
    info: (message) => post({ id, type: 'log', level: 'info', message }),
    warn: (message) => post({ id, type: 'log', level: 'warn', message }),
    error: (message) => post({ id, type: 'log', level: 'error', message }),
  }
  const { gitDir, helmPath, chartCacheDir, renderCacheAt: at, ...rest } = req
  const helm = helmPath ? new HelmCli({ helmPath, ...(chartCacheDir ? { cacheDir: chartCacheDir } : {}) }) : undefined
  const renderCache = at ? cacheAt(at.dir, warm) : undefined
  const repo = repoAt(gitDir)
  // Everything is settled before the answer is posted: the thread that started this worker may
  // end it as soon as the answer arrives.
  try {
    const { redactor: _redactor, baseFleet, headFleet, ...planned } = await planFlow({ ...rest, source: repo.source, logger, clock: systemClock, ...(helm?.available() ? { helm } : {}), ...(renderCache ? { renderCache } : {}), ...(warm ? { fleets: repo.fleets, clusters: repo.clusters, volatile: repo.volatile } : {}) })
    // The renders stay here: the App's thread gets the plan, the gate's inputs (the spread reads
    // the masked head objects the rules need) and the values its redactor masks.
    const secretValues = [...collectSecretValues([baseFleet, headFleet], rest.secretValues ?? [])]
    return { id, type: 'done', planned, secretValues, memoryBytes: memoryBytes() }
  } catch (err) {
    return { id, type: 'failed', message: err instanceof Error ? err.message : String(err), memoryBytes: memoryBytes() }
  } finally {
    helm?.dispose()
    renderCache?.endRun()
    if (warm) repo.volatile.endRun()
    // A worker ended after its answer prunes first; a warm one after it has answered (afterAnswer).
    if (renderCache && at && !warm) renderCache.prune(at.maxBytes)
  }
}

/** A warm worker's housekeeping once the plan is answered, before its next plan: pruning the render cache. */
function afterAnswer(req: WorkerPlanRequest): void {
  const at = req.renderCacheAt
  if (at) caches.get(at.dir)?.prune(at.maxBytes)
}

// One plan at a time, in the order asked (the pool sends one; a second waits its turn).
let turn: Promise<void> = Promise.resolve()
parentPort!.on('message', (m: WorkerPlanMessage) => {
  if (m?.type !== 'plan') return
  // An answer that cannot be posted fails that plan, not every later one.
  turn = turn
    .then(async () => {
      post(await plan(m.id, m.req, m.warm === true))
      if (m.warm === true) afterAnswer(m.req)
    })
    .catch((err: unknown) => post({ id: m.id, type: 'failed', message: `the plan's answer could not be sent: ${err instanceof Error ? err.message : String(err)}`, memoryBytes: memoryBytes() }))
})

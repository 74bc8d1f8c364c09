/**
 * The plan worker (lib/plan-worker.js): plans one change with planFlow and posts the result to
 * the thread that started it (plan-worker.ts). Logs are forwarded as messages.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { collectSecretValues } from '../../core/mask/index.js'
import { planFlow } from '../../flows/plan.js'
import type { Logger } from '../../ports/logger.js'
import { systemClock } from '../../infra/clock.js'
import { GitRepo } from '../../infra/git-repo.js'
import { HelmCli } from '../../infra/helm-cli.js'
import { DiskRenderCache } from '../../infra/render-cache.js'
import type { WorkerMessage, WorkerPlanRequest } from './plan-worker.js'

const req = workerData as WorkerPlanRequest
const post = (m: WorkerMessage): void => parentPort!.postMessage(m)
const logger: Logger = {
  debug: (message) => post({ type: 'log', level: 'debug', message }),
  info: (message) => post({ type: 'log', level: 'info', message }),
  warn: (message) => post({ type: 'log', level: 'warn', message }),
  error: (message) => post({ type: 'log', level: 'error', message }),
}

const { gitDir, helmPath, chartCacheDir, renderCacheAt: cacheAt, ...plan } = req
const helm = helmPath ? new HelmCli({ helmPath, ...(chartCacheDir ? { cacheDir: chartCacheDir } : {}) }) : undefined
const renderCache = cacheAt ? new DiskRenderCache(cacheAt.dir) : undefined
// Everything is settled before the answer is posted: the thread that started this worker ends
// it as soon as the answer arrives.
let answer: WorkerMessage
try {
  const { redactor: _redactor, baseFleet, headFleet, ...planned } = await planFlow({ ...plan, source: new GitRepo(gitDir), logger, clock: systemClock, ...(helm?.available() ? { helm } : {}), ...(renderCache ? { renderCache } : {}) })
  // The renders stay here: the App's thread gets the plan, the gate's inputs (the spread reads
  // the masked head objects the rules need) and the values its redactor masks.
  answer = { type: 'done', planned, secretValues: [...collectSecretValues([baseFleet, headFleet], plan.secretValues ?? [])] }
} catch (err) {
  answer = { type: 'failed', message: err instanceof Error ? err.message : String(err) }
} finally {
  helm?.dispose()
  if (renderCache && cacheAt) renderCache.prune(cacheAt.maxBytes)
}
post(answer)

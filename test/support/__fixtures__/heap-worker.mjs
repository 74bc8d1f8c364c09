// A stand-in for lib/plan-worker.js that speaks its protocol (plan-worker.ts) and reports the
// memory a test asks for, for the pool's health rules: `req.base` names what the plan leaves,
// `garbage` (over the bound as it is, under it once collected) or `live` (over it either way).
import { parentPort, threadId } from 'node:worker_threads'

const MiB = 1024 * 1024
let leaves = 'small'
let asked = 0
parentPort.on('message', (m) => {
  if (m?.type === 'health') {
    asked++
    parentPort.postMessage({ id: m.id, type: 'health', memoryBytes: leaves === 'live' ? 900 * MiB : 10 * MiB })
    return
  }
  if (m?.type === 'close') {
    parentPort.postMessage({ id: m.id, type: 'closed' })
    return
  }
  if (m?.type !== 'plan') return
  leaves = m.req.base
  const memoryBytes = leaves === 'small' ? 10 * MiB : 900 * MiB
  const plan = { clusters: [] }
  parentPort.postMessage({ id: m.id, type: 'done', planned: { thread: threadId, healthAsked: asked, readerIdleMs: m.readerIdleMs, plan, workingPlan: plan }, secretValues: [], memoryBytes })
})

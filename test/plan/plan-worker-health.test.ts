/**
 * How the App's warm plan workers (src/adapters/worker/plan-workers.ts) judge a worker whose
 * memory after a plan is over its bound (half its heap limit): asked again once collected,
 * kept when what is left is within the bound, ended otherwise, and never handed a plan before
 * the answer. The worker is a stand-in speaking the worker protocol (test/support/__fixtures__/
 * heap-worker.mjs) so the figures are the test's, not V8's; plan-workers.test.ts runs the real one.
 */
import { resolve } from 'node:path'
import { PlanWorkers } from '../../src/adapters/worker/plan-workers.js'
import { readerIdleMs, type WorkerPlanRequest } from '../../src/adapters/worker/plan-worker.js'

const LIMITS = { timeoutMs: 60_000, memoryMb: 1024 }
const script = resolve('test/support/__fixtures__/heap-worker.mjs')
const req = (leaves: 'small' | 'garbage' | 'live'): WorkerPlanRequest => ({ gitDir: '/nowhere', base: leaves, head: 'HEAD', origin: { kind: 'local' } })
type Answer = { thread: number; healthAsked: number }

describe('warm plan workers over their memory bound', () => {
  const open: PlanWorkers[] = []
  const workers = (keep: number): PlanWorkers => {
    const w = new PlanWorkers({ keep, script })
    open.push(w)
    return w
  }
  afterAll(() => Promise.all(open.map((w) => w.close())))

  it('keeps a worker whose memory was garbage, asking once collected before its next plan', async () => {
    const w = workers(1)
    const first = (await w.plan(req('garbage'), LIMITS)) as unknown as Answer
    const second = (await w.plan(req('small'), LIMITS)) as unknown as Answer
    expect(second.thread).toBe(first.thread)
    expect(second.healthAsked).toBe(1)
    expect(w.started).toBe(1)
    expect(w.warm).toBe(1)
  })

  it('ends a worker still over its bound once collected, and plans the next push in a new one', async () => {
    const w = workers(1)
    const first = (await w.plan(req('live'), LIMITS)) as unknown as Answer
    const second = (await w.plan(req('small'), LIMITS)) as unknown as Answer
    expect(second.thread).not.toBe(first.thread)
    expect(w.started).toBe(2)
    expect(w.warm).toBe(1)
  })

  it('ends an idle worker found over its bound without waiting for a plan', async () => {
    const w = workers(1)
    await w.plan(req('live'), LIMITS)
    // The answer to the health question comes after the plan's own.
    for (let i = 0; i < 50 && w.warm > 0; i++) await new Promise((r) => setTimeout(r, 20))
    expect(w.warm).toBe(0)
  })

  it('asks nothing of a worker within its bound, nor of one that is not kept', async () => {
    const kept = workers(1)
    await kept.plan(req('small'), LIMITS)
    expect(((await kept.plan(req('small'), LIMITS)) as unknown as Answer).healthAsked).toBe(0)

    const once = workers(0)
    await once.plan(req('garbage'), LIMITS)
    await once.plan(req('small'), LIMITS)
    expect(once.started).toBe(2)
    expect(once.warm).toBe(0)
  })

  it('tells a warm worker to end its Git processes before the pool ends the worker idle, and a worker of its own nothing', async () => {
    // A process a worker thread started and left running is never reaped once the worker ends.
    const kept = new PlanWorkers({ keep: 1, script, idleMs: 10 * 60_000 })
    open.push(kept)
    expect(((await kept.plan(req('small'), LIMITS)) as unknown as { readerIdleMs?: number }).readerIdleMs).toBe(9 * 60_000)
    const brief = new PlanWorkers({ keep: 1, script, idleMs: 30_000 })
    open.push(brief)
    expect(((await brief.plan(req('small'), LIMITS)) as unknown as { readerIdleMs?: number }).readerIdleMs).toBe(15_000)
    const once = workers(0)
    expect(((await once.plan(req('small'), LIMITS)) as unknown as { readerIdleMs?: number }).readerIdleMs).toBeUndefined()
    for (const idle of [1_000, 60_000, 61_000, 600_000, 3_600_000]) expect(readerIdleMs(idle)).toBeLessThan(idle)
  })
})

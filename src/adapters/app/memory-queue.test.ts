import { MemoryJobQueue } from './memory-queue.js'

/** A job runner whose jobs finish when the test says so. */
function gatedRunner() {
  const started: string[] = []
  const gates = new Map<string, () => void>()
  const run = (name: string) => {
    started.push(name)
    return new Promise<void>((resolve) => gates.set(name, resolve))
  }
  const finish = async (name: string) => {
    gates.get(name)!()
    // let the queue start what comes next
    await new Promise((r) => setImmediate(r))
  }
  return { started, run, finish }
}

const job = (id: string, group: string, delivery = id) => ({ id, group, delivery, data: id })

describe('MemoryJobQueue', () => {
  it('runs at most `concurrency` jobs at once and never two of one group together', async () => {
    const r = gatedRunner()
    const q = new MemoryJobQueue<string>(r.run, 2, () => undefined)
    for (const j of [job('a1', 'a'), job('a2', 'a'), job('b1', 'b'), job('c1', 'c')]) expect(await q.enqueue(j)).toBe('queued')
    // a2 waits for a1 (same group); c1 waits for a free slot.
    expect(r.started).toEqual(['a1', 'b1'])
    await r.finish('a1')
    expect(r.started).toEqual(['a1', 'b1', 'a2'])
    await r.finish('b1')
    expect(r.started).toEqual(['a1', 'b1', 'a2', 'c1'])
    let drained = false
    const done = q.drained().then(() => (drained = true))
    await r.finish('a2')
    expect(drained).toBe(false)
    await r.finish('c1')
    await done
    expect(drained).toBe(true)
  })

  it('drops a delivery seen before, and a job already queued or running; the same work later runs again', async () => {
    const r = gatedRunner()
    const q = new MemoryJobQueue<string>(r.run, 1, () => undefined)
    expect(await q.enqueue(job('x', 'g', 'd1'))).toBe('queued')
    expect(await q.enqueue(job('x', 'g', 'd1'))).toBe('duplicate-delivery')
    expect(await q.enqueue(job('x', 'g', 'd2'))).toBe('duplicate-job')
    await r.finish('x')
    await q.drained()
    expect(await q.enqueue(job('x', 'g', 'd3'))).toBe('queued')
    expect(r.started).toEqual(['x', 'x'])
  })

  it('reports a job that threw and goes on with the next', async () => {
    const errors: string[] = []
    const q = new MemoryJobQueue<string>((d) => (d === 'bad' ? Promise.reject(new Error('boom')) : Promise.resolve()), 1, (j, e) => errors.push(`${j.id}: ${(e as Error).message}`))
    await q.enqueue(job('bad', 'g'))
    await q.enqueue(job('good', 'g'))
    await q.drained()
    expect(errors).toEqual(['bad: boom'])
    expect(await q.problem()).toBeUndefined()
    await q.close()
    expect(await q.problem()).toBe('the review queue is closed')
  })
})

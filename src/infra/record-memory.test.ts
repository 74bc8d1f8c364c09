import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { serialize } from 'node:v8'
import { UNUSED_RUNS, RecordMemory } from './record-memory.js'
import { DiskRenderCache } from './render-cache.js'

const KEY = (n: number): string => n.toString(16).padStart(64, '0')
const record = (name: string) => ({ format: 1, entries: [{ set: { reads: [{ q: ['read', 'apps', `${name}.yaml`], a: 'x' }] }, result: { objects: [{ kind: 'ConfigMap', metadata: { name } }], sources: new Map([['k', name]]) } }] })

describe('RecordMemory', () => {
  it('hands out a record kept as the same value, frozen to the leaves', () => {
    const m = new RecordMemory(1024 * 1024)
    const value = record('web')
    m.keep(KEY(1), value, serialize(value).byteLength)
    const again = m.get(KEY(1)) as ReturnType<typeof record>
    expect(again).toBe(value)
    expect(Object.isFrozen(again.entries[0]!.result.objects[0]!.metadata)).toBe(true)
    expect(again.entries[0]!.result.sources.get('k')).toBe('web')
    expect(() => {
      ;(again.entries[0]!.result.objects[0]!.metadata as { name: string }).name = 'changed'
    }).toThrow(TypeError)
  })

  it('admits nothing more when full instead of evicting, so a plan that asks every record in turn is served what fits', () => {
    const one = serialize(record('a')).byteLength
    const m = new RecordMemory(2 * one + 10)
    for (let run = 0; run < 3; run++) {
      const served = [1, 2, 3].map((n) => {
        const hit = m.get(KEY(n))
        if (hit === undefined) m.keep(KEY(n), record(String.fromCharCode(96 + n)), one)
        return hit !== undefined
      })
      expect(served).toEqual(run === 0 ? [false, false, false] : [true, true, false])
      m.endRun()
    }
    expect(m.size).toBeLessThanOrEqual(m.maxBytes)
  })

  it('lets go of records no run used in the last eight, and keeps those a run used', () => {
    const m = new RecordMemory(1024 * 1024)
    m.keep(KEY(1), record('old'), 100)
    m.keep(KEY(2), record('used'), 120)
    // A cluster whose walk was reused whole asks for none of its records for a while.
    for (let run = 1; run < UNUSED_RUNS; run++) {
      m.endRun()
      expect(m.get(KEY(2))).toBeDefined()
    }
    m.endRun()
    expect(m.get(KEY(1))).toBeUndefined()
    expect(m.get(KEY(2))).toBeDefined()
    expect(m.size).toBe(120)
  })
})

describe('DiskRenderCache with records in memory', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fg-record-memory-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('serves records it wrote (as given) or read from memory, and writes them to disk as before', async () => {
    const cache = new DiskRenderCache(root, 'engine-a', { memoryBytes: 1024 * 1024 })
    const given = record('web')
    cache.set(KEY(1), given)
    await cache.settled()
    expect(cache.get(KEY(1))).toBe(given)
    expect(Object.isFrozen(given.entries[0]!.result)).toBe(true)
    expect(new DiskRenderCache(root, 'engine-a').get(KEY(1))).toEqual(record('web'))
    const reader = new DiskRenderCache(root, 'engine-a', { memoryBytes: 1024 * 1024 })
    const read = reader.get(KEY(1))
    // Gone from disk (pruned by another plan): both still serve it from memory.
    reader.prune(0)
    expect(new DiskRenderCache(root, 'engine-a').get(KEY(1))).toBeUndefined()
    expect(reader.get(KEY(1))).toBe(read)
    expect(cache.get(KEY(1))).toEqual(record('web'))
    // A later record of the key replaces the one in memory.
    cache.set(KEY(1), record('api'))
    expect(cache.get(KEY(1))).toEqual(record('api'))
  })

  it('keeps nothing in memory unless asked to', async () => {
    const cache = new DiskRenderCache(root, 'engine-a')
    cache.set(KEY(1), record('web'))
    await cache.settled()
    const first = cache.get(KEY(1))
    expect(cache.get(KEY(1))).not.toBe(first)
    cache.prune(0)
    expect(cache.get(KEY(1))).toBeUndefined()
  })
})

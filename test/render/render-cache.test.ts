import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiskRenderCache, MemoryRenderCache } from '../../src/infra/render-cache.js'
import { textDigest } from '../../src/core/tree/content-id.js'

const key = (n: number): string => textDigest(`key ${n}`)

describe('DiskRenderCache', () => {
  let root = ''
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'fluxgate-disk-cache-'))))
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  const files = (c: DiskRenderCache): string[] => readdirSync(c.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))

  it('returns what was stored, across instances of the same engine', () => {
    new DiskRenderCache(root, 'engine A').set(key(1), '{"a":1}')
    expect(new DiskRenderCache(root, 'engine A').get(key(1))).toBe('{"a":1}')
  })

  it('never reads records of another engine build', () => {
    new DiskRenderCache(root, 'engine A').set(key(1), '{"a":1}')
    expect(new DiskRenderCache(root, 'engine B').get(key(1))).toBeUndefined()
  })

  it('reads a garbled or truncated record as missing and removes it', () => {
    const c = new DiskRenderCache(root, 'engine A')
    c.set(key(1), '{"a":1}')
    c.set(key(2), '{"b":2}')
    const [f1, f2] = files(c).sort()
    writeFileSync(f1!, readFileSync(f1!, 'utf8').replace('1', '7'))
    writeFileSync(f2!, readFileSync(f2!, 'utf8').slice(0, 20))
    expect([c.get(key(1)), c.get(key(2))]).toEqual([undefined, undefined])
    expect(files(c)).toEqual([])
  })

  it('ignores keys that are not content digests (no path can be named)', () => {
    const c = new DiskRenderCache(root, 'engine A')
    c.set('../../escape', 'x')
    expect(c.get('../../escape')).toBeUndefined()
    expect(readdirSync(root)).toEqual([])
  })

  it('prunes to a size, least recently used first, and drops other engines', () => {
    new DiskRenderCache(root, 'old engine').set(key(9), 'old')
    const c = new DiskRenderCache(root, 'engine A')
    for (let i = 0; i < 4; i++) c.set(key(i), 'x'.repeat(1000))
    // Written long ago, in order; reading key 0 makes it the most recently used.
    files(c).forEach((f, i) => utimesSync(f, 1_000_000 + i, 1_000_000 + i))
    c.get(key(0))
    c.prune(2500)
    expect(readdirSync(join(root, 'renders'))).toHaveLength(1)
    expect(files(c)).toHaveLength(2)
    expect(c.get(key(0))).toBe('x'.repeat(1000))
  })
})

describe('MemoryRenderCache', () => {
  it('stays under its size, dropping the least recently used entries', () => {
    const c = new MemoryRenderCache(4000)
    c.set(key(1), 'a'.repeat(900))
    c.set(key(2), 'b'.repeat(900))
    c.get(key(1))
    c.set(key(3), 'c'.repeat(900))
    expect(c.size).toBeLessThanOrEqual(4000)
    expect([c.get(key(1)) !== undefined, c.get(key(2)) !== undefined, c.get(key(3)) !== undefined]).toEqual([true, false, true])
  })
})

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiskRenderCache } from '../../src/infra/render-cache.js'
import { textDigest } from '../../src/core/tree/content-id.js'

const key = (n: number): string => textDigest(`key ${n}`)

describe('DiskRenderCache', () => {
  let root = ''
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'fluxgate-disk-cache-'))))
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  const files = (c: DiskRenderCache): string[] => readdirSync(c.dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))

  it('returns what was stored, Maps and shared objects included, across instances of the same engine', async () => {
    const o = { kind: 'ConfigMap' }
    const writer = new DiskRenderCache(root, 'engine A')
    writer.set(key(1), { list: [o], where: new Map([[o, 'a.yaml']]) })
    await writer.settled()
    const back = new DiskRenderCache(root, 'engine A').get(key(1)) as { list: object[]; where: Map<object, string> }
    expect(back.where.get(back.list[0]!)).toBe('a.yaml')
  })

  it('never reads records of another engine build', async () => {
    const writer = new DiskRenderCache(root, 'engine A')
    writer.set(key(1), { a: 1 })
    await writer.settled()
    expect(new DiskRenderCache(root, 'engine B').get(key(1))).toBeUndefined()
  })

  it('reads a garbled or truncated record as missing and removes it', async () => {
    const c = new DiskRenderCache(root, 'engine A')
    c.set(key(1), { a: 'one' })
    c.set(key(2), { b: 'two' })
    await c.settled()
    const [f1, f2] = files(c).sort()
    const bytes = readFileSync(f1!)
    bytes[bytes.length - 2] ^= 1
    writeFileSync(f1!, bytes)
    writeFileSync(f2!, readFileSync(f2!).subarray(0, 20))
    expect([c.get(key(1)), c.get(key(2))]).toEqual([undefined, undefined])
    expect(files(c)).toEqual([])
  })

  it('ignores keys that are not content digests (no path can be named)', async () => {
    const c = new DiskRenderCache(root, 'engine A')
    c.set('../../escape', 'x')
    await c.settled()
    expect(c.get('../../escape')).toBeUndefined()
    expect(readdirSync(root)).toEqual([])
  })

  it('prunes to a size, least recently used first, and drops other engines', async () => {
    const old = new DiskRenderCache(root, 'old engine')
    old.set(key(9), 'old')
    await old.settled()
    const c = new DiskRenderCache(root, 'engine A')
    for (let i = 0; i < 4; i++) c.set(key(i), 'x'.repeat(1000))
    await c.settled()
    // Written long ago, in order; reading key 0 makes it the most recently used.
    files(c).forEach((f, i) => utimesSync(f, 1_000_000 + i, 1_000_000 + i))
    c.get(key(0))
    c.prune(2500)
    expect(readdirSync(join(root, 'renders'))).toHaveLength(1)
    expect(files(c)).toHaveLength(2)
    expect(c.get(key(0))).toBe('x'.repeat(1000))
  })

  it('prunes again only after writing, or to a smaller size (a warm worker prunes after every plan)', async () => {
    const c = new DiskRenderCache(root, 'engine A')
    for (let i = 0; i < 3; i++) c.set(key(i), 'x'.repeat(1000))
    await c.settled()
    c.prune(10_000)
    // Another process wrote past that size meanwhile: this instance, which wrote nothing since, leaves it (the writer prunes).
    const other = new DiskRenderCache(root, 'engine A')
    other.set(key(7), 'y'.repeat(8000))
    await other.settled()
    c.prune(10_000)
    expect(files(c)).toHaveLength(4)
    const bytes = (): number => files(c).reduce((n, f) => n + statSync(f).size, 0)
    c.prune(2500)
    expect(bytes()).toBeLessThanOrEqual(2500)
    for (const n of [10, 11, 12]) c.set(key(n), 'z'.repeat(1000))
    await c.settled()
    expect(bytes()).toBeGreaterThan(2500)
    c.prune(2500)
    expect(bytes()).toBeLessThanOrEqual(2500)
  })

  it('writes beside the caller: a record is served while on its way, the last one given for a key is the one kept', async () => {
    const c = new DiskRenderCache(root, 'engine A')
    expect(c.get(key(1))).toBeUndefined()
    const record = (i: number): object => ({ version: i, filler: 'y'.repeat(2000 * (i % 3)) })
    for (let i = 0; i < 20; i++) c.set(key(1), record(i))
    c.set(key(2), new Map([['a', 1]]))
    // Served from the queue before it is on disk, as the same bytes a reader of the file gets.
    expect(c.get(key(1))).toEqual(record(19))
    await c.settled()
    expect(files(c).filter((f) => !f.endsWith('.rec'))).toEqual([])
    expect(files(c)).toHaveLength(2)
    const fresh = new DiskRenderCache(root, 'engine A')
    expect(fresh.get(key(1))).toEqual(record(19))
    expect(fresh.get(key(2))).toEqual(new Map([['a', 1]]))
  })

  it('loses nothing but time when the folder cannot be written, and leaves no temporary behind', async () => {
    // A file where the cache's folder should be: every write fails.
    writeFileSync(join(root, 'renders'), 'not a folder')
    const c = new DiskRenderCache(root, 'engine A')
    c.set(key(1), { a: 1 })
    await c.settled()
    expect(new DiskRenderCache(root, 'engine A').get(key(1))).toBeUndefined()
    expect(readdirSync(root)).toEqual(['renders'])
  })

  it('touches a record it reads only when no run has used it within the hour', async () => {
    const c = new DiskRenderCache(root, 'engine A')
    c.set(key(1), 'recent')
    c.set(key(2), 'old')
    await c.settled()
    const [recent, old] = [key(1), key(2)].map((k) => files(c).find((f) => f.includes(k))!)
    const tenMinutesAgo = (Date.now() - 10 * 60_000) / 1000
    utimesSync(recent!, tenMinutesAgo, tenMinutesAgo)
    utimesSync(old!, 1_000_000, 1_000_000)
    expect([c.get(key(1)), c.get(key(2))]).toEqual(['recent', 'old'])
    expect(Math.round(statSync(recent!).mtimeMs / 1000)).toBe(Math.round(tenMinutesAgo))
    expect(statSync(old!).mtimeMs).toBeGreaterThan(Date.now() - 60_000)
  })
})

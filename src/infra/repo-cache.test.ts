import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RepoCache } from './repo-cache.js'

describe('RepoCache', () => {
  let root: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fluxgate-repo-cache-'))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  /** Creates the cache of `url` with `bytes` of pack data, last used at `when`. */
  async function cached(cache: RepoCache, url: string, bytes: number, when: Date): Promise<string> {
    return cache.use(url, async (repo) => {
      writeFileSync(join(repo.dir, 'objects', 'pack', 'data.pack'), Buffer.alloc(bytes))
      utimesSync(join(repo.dir, 'fluxgate-last-used'), when, when)
      return repo.dir
    })
  }

  it('removes the least recently used caches until the folder fits, never one a review is using', async () => {
    const cache = new RepoCache(root, 3_200_000)
    const old = await cached(cache, 'https://example.test/a.git', 1_500_000, new Date('2026-01-01'))
    const mid = await cached(cache, 'https://example.test/b.git', 1_500_000, new Date('2026-01-02'))
    const recent = await cached(cache, 'https://example.test/c.git', 1_500_000, new Date('2026-01-03'))
    expect(execFileSync('git', ['-C', old, 'rev-parse', '--is-bare-repository'], { encoding: 'utf8' }).trim()).toBe('true')

    // Over the limit by one cache: the least recently used goes.
    const first = cache.prune()
    expect(first.removed).toEqual([old])
    expect(first.bytes).toBeLessThanOrEqual(3_200_000)
    expect([existsSync(old), existsSync(mid), existsSync(recent)]).toEqual([false, true, true])
    // Within the limit: nothing to do.
    expect(cache.prune().removed).toEqual([])

    // With no room at all, a cache a review is using stays (using it also made it the most recent).
    const tight = new RepoCache(root, 0)
    const during = await tight.use('https://example.test/b.git', () => Promise.resolve(tight.prune()))
    expect(during.removed).toEqual([recent])
    expect(existsSync(mid)).toBe(true)
    expect(tight.prune().removed).toEqual([mid])
  })
})

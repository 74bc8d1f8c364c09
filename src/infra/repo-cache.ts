import { lstatSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cachedRepository, cachedRepositoryDir } from './git-fetch.js'
import type { GitRepo } from './git-repo.js'

/** A file in each cached repository whose time says when a review last used it. */
const USED = 'fluxgate-last-used'

/** What a prune did. */
export interface PruneResult {
  removed: string[]
  /** Bytes the folder holds after the prune. */
  bytes: number
}

/**
 * The App's folder of bare repository caches (one per reviewed repository), bounded in size:
 * after a review, the least recently used caches are removed until the folder holds at most
 * `maxBytes`; a cache a review of this process is using is never removed (it is fetched again
 * the next time it is needed). The folder belongs to one process: replicas each have their own.
 */
export class RepoCache {
  private readonly users = new Map<string, number>()

  constructor(
    readonly root: string,
    private readonly maxBytes: number,
  ) {}

  /** Runs `fn` with the cache of `cloneUrl` (created on first use), kept from pruning meanwhile. */
  async use<T>(cloneUrl: string, fn: (repo: GitRepo) => Promise<T>): Promise<T> {
    // Counted before the first await, so a prune running between two steps sees it in use.
    const dir = cachedRepositoryDir(this.root, cloneUrl)
    this.users.set(dir, (this.users.get(dir) ?? 0) + 1)
    let repo: GitRepo | undefined
    try {
      repo = await cachedRepository(this.root, cloneUrl)
      markUsed(dir)
      return await fn(repo)
    } finally {
      // Its git processes end with the event (a plan reads the repository in its own worker).
      repo?.close()
      const n = (this.users.get(dir) ?? 1) - 1
      if (n > 0) this.users.set(dir, n)
      else this.users.delete(dir)
    }
  }

  /** Removes least recently used caches not in use until the folder holds at most maxBytes. */
  prune(): PruneResult {
    let entries: { dir: string; bytes: number; used: number }[]
    try {
      entries = readdirSync(this.root)
        .filter((name) => name.endsWith('.git'))
        .map((name) => join(this.root, name))
        .map((dir) => ({ dir, bytes: sizeOf(dir), used: lastUsed(dir) }))
    } catch {
      return { removed: [], bytes: 0 }
    }
    let bytes = entries.reduce((n, e) => n + e.bytes, 0)
    const removed: string[] = []
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (bytes <= this.maxBytes) break
      if (this.users.has(e.dir)) continue
      rmSync(e.dir, { recursive: true, force: true })
      bytes -= e.bytes
      removed.push(e.dir)
    }
    return { removed, bytes }
  }
}

function markUsed(dir: string): void {
  const file = join(dir, USED)
  const now = new Date()
  try {
    utimesSync(file, now, now)
  } catch {
    writeFileSync(file, '')
  }
}

function lastUsed(dir: string): number {
  try {
    return lstatSync(join(dir, USED)).mtimeMs
  } catch {
    return 0
  }
}

/** Bytes of the files under `path` (symbolic links are not followed). */
function sizeOf(path: string): number {
  const st = lstatSync(path, { throwIfNoEntry: false })
  if (!st) return 0
  if (!st.isDirectory()) return st.size
  let total = 0
  for (const name of readdirSync(path)) total += sizeOf(join(path, name))
  return total
}

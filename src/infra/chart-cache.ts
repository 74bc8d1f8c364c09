import { createHash, randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'

/** Options of a chart archive cache. */
export interface ChartCacheOptions {
  /** The folder; an Actions cache step can keep it between runs (README, Charts). */
  dir: string
  /** Bound on the archives kept; the least recently used go first. Default 512 MiB. */
  maxBytes?: number
}

/** A chart archive larger than this is not a chart (Helm refuses far smaller ones); never read. */
export const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024

/** Named entries are small JSON files; anything bigger is not ours. */
const MAX_REF_BYTES = 64 * 1024

/** The layout version: a folder of its own, so files of anything else in `dir` are never read. */
const LAYOUT = 'fluxgate-charts-v1'

const DIGEST = /^sha256:([0-9a-f]{64})$/

/** What a named entry records: the archive's digest and facts learnt with it (an OCI manifest digest). */
export interface CachedRef {
  digest: string
  meta: Record<string, string>
}

/**
 * Chart archives on disk, content-addressed: `blobs/sha256/<hex>` holds the archive whose
 * SHA-256 is `<hex>`, checked on every read, so a corrupted, truncated or planted file is
 * never used (it is removed and fetched again). Archives without a digest of their own (a
 * Helm index entry that gives none) are found through a named entry, `refs/<sha256(key)>.json`,
 * which records its full key: an entry written for another key, or not by Fluxgate, is
 * ignored. Writes go through a temporary file and a rename, so two runs sharing the folder
 * never see half a file. Why own code: the cache holds a few hundred archives with a
 * digest each; a general cache library would add nothing the verification needs.
 */
export class ChartCache {
  private readonly root: string
  private readonly maxBytes: number

  constructor(opts: ChartCacheOptions) {
    this.root = join(opts.dir, LAYOUT)
    this.maxBytes = opts.maxBytes ?? 512 * 1024 * 1024
    mkdirSync(join(this.root, 'blobs', 'sha256'), { recursive: true })
    mkdirSync(join(this.root, 'refs'), { recursive: true })
  }

  /** The archive whose digest is `digest` (`sha256:<hex>`), or undefined when absent or not intact. */
  getBlob(digest: string): Uint8Array | undefined {
    const hex = DIGEST.exec(digest)?.[1]
    if (!hex) return undefined
    const file = this.blobPath(hex)
    let bytes: Buffer
    try {
      if (statSync(file).size > MAX_ARCHIVE_BYTES) throw new Error('too large')
      bytes = readFileSync(file)
    } catch {
      rmSync(file, { force: true })
      return undefined
    }
    if (sha256(bytes) !== hex) {
      rmSync(file, { force: true })
      return undefined
    }
    // The access time of a cache that an Actions cache step restores is unreliable: mtime is the LRU clock.
    const now = new Date()
    try {
      utimesSync(file, now, now)
    } catch {
      // A read-only cache still serves.
    }
    return new Uint8Array(bytes)
  }

  /** Stores an archive; returns its digest. */
  putBlob(bytes: Uint8Array): string {
    const hex = sha256(bytes)
    atomicWrite(this.blobPath(hex), bytes)
    return `sha256:${hex}`
  }

  /** The entry named `key`, when it was written for exactly that key. */
  getRef(key: string): CachedRef | undefined {
    let parsed: unknown
    try {
      const file = this.refPath(key)
      if (statSync(file).size > MAX_REF_BYTES) return undefined
      parsed = JSON.parse(readFileSync(file, 'utf8'))
    } catch {
      return undefined
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined
    const r = parsed as { key?: unknown; digest?: unknown; meta?: unknown }
    if (r.key !== key || typeof r.digest !== 'string' || !DIGEST.test(r.digest)) return undefined
    const meta: Record<string, string> = Object.create(null) as Record<string, string>
    if (typeof r.meta === 'object' && r.meta !== null) for (const [k, v] of Object.entries(r.meta)) if (typeof v === 'string') meta[k] = v
    return { digest: r.digest, meta }
  }

  putRef(key: string, digest: string, meta: Record<string, string> = {}): void {
    atomicWrite(this.refPath(key), JSON.stringify({ key, digest, meta }))
  }

  /** The archive behind the entry named `key`, verified. */
  lookup(key: string): { bytes: Uint8Array; ref: CachedRef } | undefined {
    const ref = this.getRef(key)
    const bytes = ref ? this.getBlob(ref.digest) : undefined
    return ref && bytes ? { bytes, ref } : undefined
  }

  /** Removes the least recently used archives until the rest fit `maxBytes`; returns how many went. */
  trim(): number {
    const dir = join(this.root, 'blobs', 'sha256')
    const blobs: { file: string; size: number; mtime: number }[] = []
    for (const name of safeList(dir)) {
      const file = join(dir, name)
      try {
        const st = statSync(file)
        if (st.isFile()) blobs.push({ file, size: st.size, mtime: st.mtimeMs })
      } catch {
        // Gone meanwhile (another run trimmed it).
      }
    }
    let total = blobs.reduce((n, b) => n + b.size, 0)
    let removed = 0
    for (const b of blobs.sort((x, y) => x.mtime - y.mtime)) {
      if (total <= this.maxBytes) break
      rmSync(b.file, { force: true })
      total -= b.size
      removed++
    }
    return removed
  }

  private blobPath(hex: string): string {
    return join(this.root, 'blobs', 'sha256', hex)
  }

  private refPath(key: string): string {
    return join(this.root, 'refs', `${sha256(Buffer.from(key))}.json`)
  }
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function atomicWrite(file: string, data: Uint8Array | string): void {
  const tmp = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`
  writeFileSync(tmp, data)
  renameSync(tmp, file)
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => /^[0-9a-f]{64}$/.test(n))
  } catch {
    return []
  }
}

/**
 * The chart cache folder when none is configured: FLUXGATE_CHART_CACHE, else
 * `$XDG_CACHE_HOME/fluxgate/charts`, else `~/.cache/fluxgate/charts` (what README's
 * actions/cache example keeps), else a folder in the temp dir. Relative values are ignored:
 * they would land in the checkout under review.
 */
export function defaultChartCache(env: Record<string, string | undefined>): string {
  const explicit = env['FLUXGATE_CHART_CACHE']
  if (explicit && isAbsolute(explicit)) return explicit
  const xdg = env['XDG_CACHE_HOME']
  if (xdg && isAbsolute(xdg)) return join(xdg, 'fluxgate', 'charts')
  const home = env['HOME'] || homedir()
  return home && isAbsolute(home) ? join(home, '.cache', 'fluxgate', 'charts') : join(tmpdir(), 'fluxgate-charts')
}

import { createHash } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deserialize, serialize } from 'node:v8'
import { threadId } from 'node:worker_threads'
import type { RenderCache } from '../ports/render-cache.js'
import { RecordMemory } from './record-memory.js'

/** Keys the core hands out: SHA-256 hex, so a key is always a safe file name. */
const KEY = /^[0-9a-f]{64}$/
const MAGIC = Buffer.from('fluxgate-render-cache 2\n')

/** What a DiskRenderCache's threadHandle holds. */
export interface DiskCacheHandle {
  kind: 'fluxgate/disk-render-cache'
  root: string
  engine: string
}

/** What `--render-cache` keeps at most after a run (least recently used entries go first). */
export const RENDER_CACHE_MAX_BYTES = 512 * 1024 * 1024

/**
 * Bytes of records waiting to be written at most: past it, a record is written before `set`
 * returns, so a disk slower than the render cannot make the queue hold the fleet's records.
 */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024

/** How long a record read stays young without being touched again. */
const TOUCH_AFTER_MS = 60 * 60 * 1000

/** A record on its way to disk: its file's bytes, and the write that ends when it is there. */
interface Queued {
  record: Buffer
  done: Promise<void>
}

/**
 * A RenderCache in a folder (`renders/` of the CLI's `--cache-dir`, beside the charts), one
 * file per key under a folder named for the engine, so records of another Fluxgate build are
 * never read. Values are written with the structured serializer (v8), so Maps and objects
 * shared within a record come back as they were. Each file carries the SHA-256 of its value:
 * a truncated, garbled or hand-edited file reads as missing (and is removed). Writes go
 * through a temporary file and a rename, so a reader never sees half a record, even with
 * several runs sharing the folder. They happen beside the render, not in its way (a cold
 * 1,000-Kustomization plan spent 0.6 s of its thread writing files): `settled` waits for them.
 */
export class DiskRenderCache implements RenderCache {
  readonly dir: string
  /** Render threads open the same folder with it (DiskRenderCache.open): the root and the engine. */
  readonly threadHandle: DiskCacheHandle
  private written = 0
  /** `written` and the size when this instance last pruned: a folder it wrote nothing to since needs no pruning by it to the same size. */
  private pruned = { written: -1, maxBytes: 0 }
  /** Records being written, by key; a later record of a key is written after the earlier one. */
  private readonly queued = new Map<string, Queued>()
  private queuedBytes = 0
  /** Folders made (or being made) by this instance: one mkdir each, not one per record. */
  private readonly folders = new Map<string, Promise<unknown>>()
  /** Records kept in memory between runs (a warm plan worker's), when asked for. */
  private readonly memory: RecordMemory | undefined

  /** `memoryBytes`: keep up to that many bytes of records in memory too, for the runs of a long-lived process (RecordMemory). */
  constructor(root: string, engine: string = engineIdentity(), opts: { memoryBytes?: number } = {}) {
    this.memory = opts.memoryBytes ? new RecordMemory(opts.memoryBytes) : undefined
    this.dir = join(root, 'renders', createHash('sha256').update(engine).digest('hex').slice(0, 16))
    // The engine as this thread names it: a render thread runs a script of the same build,
    // whose own name for itself would differ (the Action bundle names a build by its file).
    this.threadHandle = { kind: 'fluxgate/disk-render-cache', root, engine }
  }

  /** The cache another thread's `threadHandle` names; undefined for anything else. */
  static open(handle: unknown): DiskRenderCache | undefined {
    const h = handle as Partial<DiskCacheHandle> | null
    if (typeof h !== 'object' || h === null || h.kind !== 'fluxgate/disk-render-cache' || typeof h.root !== 'string' || typeof h.engine !== 'string') return undefined
    return new DiskRenderCache(h.root, h.engine)
  }

  get(key: string): unknown {
    if (!KEY.test(key)) return undefined
    const kept = this.memory?.get(key)
    if (kept !== undefined) return kept
    const queued = this.queued.get(key)
    if (queued) return deserialize(queued.record.subarray(MAGIC.length + 32))
    const file = this.file(key)
    // A miss is the common answer of a cold cache: asked without the exception a failed read
    // throws (a tenth of a millisecond each, 0.1 s of a cold 1,000-Kustomization plan).
    let bytes: Buffer
    let used: number
    try {
      const st = statSync(file, { throwIfNoEntry: false })
      if (!st?.isFile()) return undefined
      used = st.mtimeMs
      bytes = readFileSync(file)
    } catch {
      return undefined
    }
    const head = MAGIC.length
    const value = bytes.subarray(head + 32)
    let out: unknown
    try {
      if (!bytes.subarray(0, head).equals(MAGIC) || !bytes.subarray(head, head + 32).equals(sha256(value))) throw new Error('garbled')
      out = deserialize(value)
    } catch {
      rmSync(file, { force: true })
      return undefined
    }
    // Read entries stay young: pruning removes what no run has used for longest. One used
    // within the hour is young enough (a warm plan reads a thousand records).
    const now = Date.now()
    if (now - used > TOUCH_AFTER_MS) {
      try {
        utimesSync(file, now / 1000, now / 1000)
      } catch {
        // a read-only cache still serves
      }
    }
    return this.memory ? this.memory.keep(key, out, value.byteLength) : out
  }

  set(key: string, value: unknown): void {
    if (!KEY.test(key)) return
    let record: Buffer
    try {
      const bytes = serialize(value)
      record = Buffer.concat([MAGIC, sha256(bytes), bytes])
      this.memory?.keep(key, value, bytes.byteLength)
    } catch {
      return
    }
    const file = this.file(key)
    // Render threads of one process write to the same folder: the thread is in the name too.
    const tmp = `${file}.${process.pid}.${threadId}.${++this.written}.tmp`
    const earlier = this.queued.get(key)
    if (!earlier && this.queuedBytes + record.length > MAX_QUEUED_BYTES) {
      writeNow(file, tmp, record)
      return
    }
    // A cache that cannot be written only costs time: a failed write leaves nothing behind.
    const done = (earlier?.done ?? Promise.resolve())
      .then(() => this.folder(dirname(file)))
      .then(() => writeFile(tmp, record))
      .then(() => rename(tmp, file))
      .catch(() => rm(tmp, { force: true }).catch(() => undefined))
      .finally(() => {
        this.queuedBytes -= record.length
        if (this.queued.get(key)?.done === done) this.queued.delete(key)
      })
    this.queuedBytes += record.length
    this.queued.set(key, { record, done })
  }

  /** A run (one plan) of a long-lived process ended: records in memory that recent runs did not use are let go. */
  endRun(): void {
    this.memory?.endRun()
  }

  /** Every record `set` was given is on disk (or failed to get there). */
  async settled(): Promise<void> {
    while (this.queued.size > 0) await Promise.all([...this.queued.values()].map((q) => q.done))
  }

  private folder(dir: string): Promise<unknown> {
    let made = this.folders.get(dir)
    if (!made) this.folders.set(dir, (made = mkdir(dir, { recursive: true })))
    return made
  }

  /**
   * Keeps the folder under `maxBytes`: removes the least recently used entries, and every
   * folder of another engine (older Fluxgate builds). For `actions/cache`, which saves all of it.
   * Records still on their way are not counted: prune after `settled`.
   */
  prune(maxBytes: number): void {
    // A long-lived process (a warm plan worker) prunes after each plan; a plan that wrote
    // nothing (a review asked again) leaves the folder as the last prune left it.
    if (this.pruned.written === this.written && maxBytes >= this.pruned.maxBytes) return
    this.pruned = { written: this.written, maxBytes }
    const root = dirname(this.dir)
    for (const other of list(root)) {
      if (join(root, other) !== this.dir) rmSync(join(root, other), { recursive: true, force: true })
    }
    // Another plan of the same repository may be writing or pruning meanwhile (the App runs
    // several): an entry that vanished between the listing and its stat is simply gone.
    const files: { path: string; size: number; used: number }[] = []
    for (const sub of list(this.dir)) {
      for (const name of list(join(this.dir, sub))) {
        const path = join(this.dir, sub, name)
        const st = statSync(path, { throwIfNoEntry: false })
        if (st?.isFile()) files.push({ path, size: st.size, used: st.mtimeMs })
      }
    }
    let total = files.reduce((n, f) => n + f.size, 0)
    for (const f of files.sort((a, b) => a.used - b.used)) {
      if (total <= maxBytes) break
      rmSync(f.path, { force: true })
      total -= f.size
    }
  }

  private file(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.rec`)
  }
}

function writeNow(file: string, tmp: string, record: Buffer): void {
  try {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(tmp, record)
    renameSync(tmp, file)
  } catch {
    rmSync(tmp, { force: true })
  }
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir)
  } catch {
    return []
  }
}

function sha256(bytes: Uint8Array): Buffer {
  return createHash('sha256').update(bytes).digest()
}

let identity: string | undefined

/**
 * Names the code that renders: every source file of this build (the Action bundle, the
 * compiled lib/ folder, or src/ under the tests) and the versions of the packages it runs
 * with. A record of any other build is never read, even at the same version number.
 */
export function engineIdentity(): string {
  if (identity) return identity
  const here = fileURLToPath(import.meta.url)
  const hash = createHash('sha256')
  // Bundled (dist/index.js): this file is the whole engine.
  const codeRoot = here.endsWith(`${sep}infra${sep}render-cache.js`) || here.endsWith(`${sep}infra${sep}render-cache.ts`) ? dirname(dirname(here)) : undefined
  if (codeRoot) {
    for (const file of codeFiles(codeRoot)) hash.update(relative(codeRoot, file)).update('\0').update(readFileSync(file)).update('\0')
    const pkgRoot = dirname(codeRoot)
    hash.update(packageVersions(pkgRoot))
  } else {
    hash.update(readFileSync(here))
  }
  identity = hash.digest('hex')
  return identity
}

function codeFiles(dir: string): string[] {
  const out: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...codeFiles(p))
    else if (/\.(js|ts|json)$/.test(entry.name) && !/\.(test|d)\.ts$/.test(entry.name)) out.push(p)
  }
  return out
}

/** The installed versions of this package's runtime dependencies (they render too: yaml, re2js …). */
function packageVersions(pkgRoot: string): string {
  try {
    const pkg = JSON.parse(readFileSync(join(pkgRoot, 'package.json'), 'utf8')) as { version?: string; dependencies?: Record<string, string> }
    const versions = [`fluxgate@${pkg.version ?? ''}`]
    for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) {
      try {
        versions.push(`${dep}@${(JSON.parse(readFileSync(join(pkgRoot, 'node_modules', dep, 'package.json'), 'utf8')) as { version?: string }).version ?? ''}`)
      } catch {
        versions.push(`${dep}@?`)
      }
    }
    return versions.join('\n')
  } catch {
    return ''
  }
}

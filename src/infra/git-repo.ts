import { execFile, spawn } from 'node:child_process'
import { promisify } from 'node:util'
import { LRUCache } from 'lru-cache'
import pLimit from 'p-limit'
import { MemoryTree } from '../core/tree/memory-tree.js'
import type { FileTree, RepoSource } from '../ports/file-tree.js'

const execFileAsync = promisify(execFile)

/** Files larger than this are not loaded (a render never needs them whole). */
const MAX_BLOB_BYTES = 8 * 1024 * 1024
/** A full object id (SHA-1 or SHA-256): what it names never changes. */
const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/**
 * What an unloaded oversized file reads as: larger than every size limit of the render (YAML
 * and kustomize: 8 MiB, like MAX_BLOB_BYTES), so whoever reads it reports "file is larger than …" at its path
 * instead of the file silently vanishing. One shared, never-written buffer (its zero pages
 * are not touched, so it costs address space, not memory).
 */
let oversized: Uint8Array | undefined
function oversizedStub(): Uint8Array {
  oversized ??= new Uint8Array(MAX_BLOB_BYTES + 1)
  return oversized
}

/**
 * Refs come from users and events: one that starts with `-` would be read by git as an option
 * (git 2.39's rev-parse has no working `--end-of-options`), so it is refused before git runs.
 */
function revision(ref: string): void {
  const printable = [...ref].every((c) => c.charCodeAt(0) >= 0x20)
  if (ref === '' || ref.startsWith('-') || !printable) throw new GitError(`git: '${[...ref].map((c) => (c.charCodeAt(0) < 0x20 ? '?' : c)).join('')}' is not a revision`)
}

/** Thrown when git itself fails (not a repository, unknown ref): ends the run. */
export class GitError extends Error {
  readonly code = 'git-failed'
}

/**
 * A local Git repository read through the git CLI, without a checkout: `ls-tree` lists a
 * commit's tree and one `cat-file --batch` process streams every blob into memory.
 */
export class GitRepo implements RepoSource {
  /**
   * Blobs already read, by id. A pull request's base and head share almost every blob: the
   * head reads only what changed, and both trees hold the same bytes, which also lets the
   * render's caches that key on a file's bytes (cluster discovery's) see it is unchanged.
   * Bounded, as an App keeps a repository's GitRepo for the life of a plan, not a process.
   */
  private readonly blobs = new LRUCache<string, Uint8Array>({ maxSize: 256 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.byteLength) })
  /** Blob reads one at a time (catBlobs). */
  private readonly blobReads = pLimit(1)
  /**
   * What a commit id answers never changes: the trees of the last few commits read (as the same
   * tree objects, so the render's caches that key on a tree, such as discovery's scan, hold
   * across plans), commits known to exist, and merge bases. A reader kept between plans (the
   * App's warm plan worker) asks git only about the new head of a pull request.
   */
  private readonly trees = new LRUCache<string, Promise<FileTree>>({ max: 4 })
  private readonly commits = new LRUCache<string, true>({ max: 64 })
  private readonly bases = new LRUCache<string, { sha: string | undefined }>({ max: 64 })

  constructor(readonly dir: string) {}

  async resolve(ref: string): Promise<string> {
    revision(ref)
    if (this.commits.has(ref)) return ref
    const out = await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')
    const sha = out.trim()
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new GitError(`git: unknown revision '${ref}' in ${this.dir}`)
    this.commits.set(sha, true)
    return sha
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    revision(a)
    revision(b)
    const ids = OBJECT_ID.test(a) && OBJECT_ID.test(b) ? `${a} ${b}` : undefined
    const known = ids === undefined ? undefined : this.bases.get(ids)
    if (known) return known.sha
    const out = await this.git(['merge-base', a, b]).catch(() => '')
    const sha = /^[0-9a-f]{40}$/.test(out.trim()) ? out.trim() : undefined
    // Only an answer is kept: a failure may be a fetch that has not arrived yet.
    if (ids !== undefined && sha !== undefined) this.bases.set(ids, { sha })
    return sha
  }

  /**
   * Whether `dir` is inside a Git repository at all, so a front door can say "not a Git
   * repository" instead of "no such commit" for a folder that has no history to read.
   */
  async isRepository(): Promise<boolean> {
    return (await this.git(['rev-parse', '--git-dir']).catch(() => '')).trim() !== ''
  }

  /** The URL of the `origin` remote (what GitRepositories of this repository use), if any. */
  async originUrl(): Promise<string | undefined> {
    const out = await this.git(['remote', 'get-url', 'origin']).catch(() => '')
    return out.trim() || undefined
  }

  /**
   * The branch a ref names (`main`, `origin/main` → `main`), or undefined when it names a
   * commit, a tag or `HEAD~1`: the branch a plan stands for (G-10).
   */
  async branchOf(ref: string): Promise<string | undefined> {
    revision(ref)
    const abbrev = (await this.git(['rev-parse', '--abbrev-ref', ref]).catch(() => '')).trim()
    if (!abbrev || abbrev === 'HEAD') return undefined
    if ((await this.git(['rev-parse', '--verify', '--quiet', `refs/heads/${abbrev}`]).catch(() => '')).trim()) return abbrev
    // A remote-tracking branch (`origin/main`) stands for the remote's `main`.
    if ((await this.git(['rev-parse', '--verify', '--quiet', `refs/remotes/${abbrev}`]).catch(() => '')).trim()) return abbrev.slice(abbrev.indexOf('/') + 1) || undefined
    return undefined
  }

  async tree(commit: string): Promise<FileTree> {
    revision(commit)
    if (!OBJECT_ID.test(commit)) return this.readTree(commit)
    let tree = this.trees.get(commit)
    if (!tree) {
      const reading = this.readTree(commit)
      this.trees.set(commit, (tree = reading))
      reading.catch(() => this.trees.get(commit) === reading && this.trees.delete(commit))
    }
    return tree
  }

  private async readTree(commit: string): Promise<FileTree> {
    // The tree id is asked beside the listing and the blobs: three git processes one after
    // another began every plan.
    const treeId = this.git(['rev-parse', '--verify', '--quiet', `${commit}^{tree}`]).catch(() => '')
    const listing = await this.git(['ls-tree', '-r', '-z', '--long', '--full-tree', commit])
    const tree = new MemoryTree()
    const blobs: { sha: string; path: string }[] = []
    const links: { sha: string; path: string }[] = []
    const tooLarge: string[] = []
    for (const entry of listing.split('\0')) {
      if (!entry) continue
      const tab = entry.indexOf('\t')
      const [mode, type, sha, size] = entry.slice(0, tab).split(/\s+/)
      const path = entry.slice(tab + 1)
      if (type !== 'blob' || !sha) continue // submodules (commit entries) are not part of a Flux artifact
      if (mode === '120000') links.push({ sha, path })
      else if (Number(size) <= MAX_BLOB_BYTES) blobs.push({ sha, path })
      else tooLarge.push(path)
    }
    const contents = await this.catBlobs([...blobs, ...links].map((b) => b.sha))
    for (const b of blobs) tree.addFile(b.path, contents.get(b.sha) ?? new Uint8Array())
    for (const p of tooLarge) tree.addFile(p, oversizedStub())
    for (const l of links) tree.addSymlink(l.path, Buffer.from(contents.get(l.sha) ?? []).toString('utf8'))
    // The commit's tree id names every path, byte and link the tree holds (a record of the
    // render cache made from this tree is checked here without reading it again).
    const id = (await treeId).trim()
    if (/^[0-9a-f]{40,64}$/.test(id)) tree.identify(`git tree ${id}, files over ${MAX_BLOB_BYTES} bytes stubbed`)
    return tree
  }

  /**
   * One blob read at a time: trees asked for side by side (a plan's base and head) list
   * themselves at once, and the later one's blobs are then mostly those the first one read.
   */
  private catBlobs(shas: string[]): Promise<Map<string, Uint8Array>> {
    return this.blobReads(() => this.catBlobsNow(shas))
  }

  private async catBlobsNow(shas: string[]): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>()
    const unique: string[] = []
    for (const sha of new Set(shas)) {
      const known = this.blobs.get(sha)
      if (known) out.set(sha, known)
      else unique.push(sha)
    }
    if (unique.length === 0) return out
    const child = spawn('git', ['-C', this.dir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] })
    const chunks: Buffer[] = []
    child.stdout.on('data', (c: Buffer) => chunks.push(c))
    let stderr = ''
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.stdin.end(unique.join('\n') + '\n')
    const code = await new Promise<number | null>((res) => child.on('close', res))
    if (code !== 0) throw new GitError(`git cat-file failed: ${stderr.trim()}`)
    const buf = Buffer.concat(chunks)
    let pos = 0
    while (pos < buf.length) {
      const nl = buf.indexOf(10, pos)
      const [sha, , size] = buf.subarray(pos, nl).toString().split(' ')
      const n = Number(size)
      const blob = buf.subarray(nl + 1, nl + 1 + n)
      out.set(sha!, blob)
      this.blobs.set(sha!, blob)
      pos = nl + 1 + n + 1
    }
    return out
  }

  private async git(args: string[]): Promise<string> {
    try {
      const { stdout } = await execFileAsync('git', ['-C', this.dir, ...args], { maxBuffer: 512 * 1024 * 1024 })
      return stdout
    } catch (err) {
      const e = err as { stderr?: string }
      throw new GitError(`git ${args[0]} failed in ${this.dir}: ${(e.stderr ?? String(err)).trim()}`)
    }
  }
}

import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { LRUCache } from 'lru-cache'
import pLimit from 'p-limit'
import { MemoryTree } from '../core/tree/memory-tree.js'
import { CatFile } from './git-cat-file.js'
import { descendsFrom, OBJECT_ID, shallowCommits } from './git-commits.js'
import { diffTree, listedTrees, parseTree, TreeTooLarge, type Listed, type TreeEntry } from './git-trees.js'
import type { FileTree, RepoSource } from '../ports/file-tree.js'

const execFileAsync = promisify(execFile)

/** Files larger than this are not loaded (a render never needs them whole). */
const MAX_BLOB_BYTES = 8 * 1024 * 1024
/**
 * Tree objects new to a reader at one level of a commit, beyond which the commit is listed
 * whole (`ls-tree`) instead of made from the last one read: a push adds one or two per level.
 */
const LIST_WHOLE = 64

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

/** A link's target from its blob (a target over MAX_BLOB_BYTES was not read: it reads as empty). */
function linkTarget(bytes: Uint8Array | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8')
}

/** A failure of the reader's git process, or a tree past its bound, as a GitError. */
function gitFailed(err: unknown): never {
  if (err instanceof GitError) throw err
  throw new GitError(err instanceof TreeTooLarge ? `git: ${err.message}` : `git failed: ${err instanceof Error ? err.message : String(err)}`)
}

/**
 * A local Git repository read through the git CLI, without a checkout: the first commit's tree
 * is listed by `ls-tree`, later ones are made from the last one read (only the folders that
 * differ are read), and a long-lived `cat-file` (git-cat-file.ts) streams the objects.
 */
export class GitRepo implements RepoSource {
  /**
   * Blobs already read, by id. A pull request's base and head share almost every blob: the
   * head reads only what changed, and both trees hold the same bytes, which also lets the
   * render's caches that key on a file's bytes (cluster discovery's) see it is unchanged.
   * Bounded: the App's warm plan worker keeps its repository's reader between plans.
   */
  private readonly blobs = new LRUCache<string, Uint8Array>({ maxSize: 256 * 1024 * 1024, sizeCalculation: (b) => Math.max(1, b.byteLength) })
  /** Blobs over MAX_BLOB_BYTES seen, by id (their size is not asked again). */
  private readonly oversized = new LRUCache<string, true>({ max: 4096 })
  /**
   * Tree objects read, parsed, by id: a new commit reads only the folders it changed. Bounded
   * by entries (a 10,000-Kustomization fleet's commit is about 40,000).
   */
  private readonly treeObjects = new LRUCache<string, TreeEntry[]>({ maxSize: 400_000, sizeCalculation: (e) => Math.max(1, e.length) })
  /**
   * Trees one at a time: trees asked for side by side (a plan's base and head) are read one
   * after the other, the later one reading only the folders and blobs the first did not.
   */
  private readonly reads = pLimit(1)
  /** The tree read last, and its root tree id: the next commit's tree is made from it (derived). */
  private last: { rootId: string; tree: MemoryTree } | undefined
  /** The reader's git processes, kept between reads (git-cat-file.ts): objects with their bytes, and sizes only. */
  private readonly objects: CatFile
  private readonly checks: CatFile
  /**
   * What a commit id answers never changes: the trees of the last few commits read (as the same
   * tree objects, so the render's caches that key on a tree, such as discovery's scan, hold
   * across plans), commits known to exist, and merge bases. A reader kept between plans (the
   * App's warm plan worker) asks git only about the new head of a pull request.
   */
  private readonly trees = new LRUCache<string, Promise<FileTree>>({ max: 4 })
  private readonly commits = new LRUCache<string, true>({ max: 64 })
  private readonly bases = new LRUCache<string, { sha: string | undefined }>({ max: 64 })
  /** The repository's git folder (for its shallow file), asked once. */
  private gitDir: Promise<string | undefined> | undefined

  /** `idleMs`: how long its git processes wait idle before they end (git-cat-file.ts; a minute by default). */
  constructor(readonly dir: string, opts: { idleMs?: number } = {}) {
    this.objects = new CatFile(dir, '--batch', opts.idleMs)
    this.checks = new CatFile(dir, '--batch-check', opts.idleMs)
  }

  /** Ends the reader's git processes (they end by themselves when idle, and never hold a process open); resolves once they have exited. */
  close(): Promise<void> {
    return Promise.all([this.objects.close(), this.checks.close()]).then(() => undefined)
  }

  async resolve(ref: string): Promise<string> {
    revision(ref)
    if (this.commits.has(ref)) return ref
    // An id is looked up by the reader's own git process; a name (a branch, `HEAD~1`) by rev-parse.
    const sha = OBJECT_ID.test(ref) ? await this.commitOf(ref) : (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => '')).trim()
    if (!/^[0-9a-f]{40}$/.test(sha)) throw new GitError(`git: unknown revision '${ref}' in ${this.dir}`)
    this.commits.set(sha, true)
    return sha
  }

  /** The commit an object id names (a tag's, peeled), or '' when it names none. */
  private async commitOf(id: string): Promise<string> {
    const [a] = await this.checks.ask([`${id}^{commit}`]).catch(gitFailed)
    return a && !('missing' in a) && a.type === 'commit' ? a.id : ''
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    revision(a)
    revision(b)
    const ids = OBJECT_ID.test(a) && OBJECT_ID.test(b) ? `${a} ${b}` : undefined
    const known = ids === undefined ? undefined : this.bases.get(ids)
    if (known) return known.sha
    // A head that descends from the base (a pull request on a base that has not moved) has the
    // base as its merge base: found through the reader's own git process, since starting
    // `git merge-base` costs a fork of this whole process (10–20 ms at a warm worker's heap).
    const found = ids !== undefined && (await this.descends(b, a))
    const out = found ? a : await this.git(['merge-base', a, b]).catch(() => '')
    const sha = OBJECT_ID.test(out.trim()) ? out.trim() : undefined
    // Only an answer is kept: a failure may be a fetch that has not arrived yet.
    if (ids !== undefined && sha !== undefined) this.bases.set(ids, { sha })
    return sha
  }

  /**
   * Whether `ancestor` is `id` or an ancestor found by a short walk (git-commits.ts), with the
   * repository's shallow file read each time (a fetch can change it); false when unsure.
   */
  private async descends(id: string, ancestor: string): Promise<boolean> {
    this.gitDir ??= this.git(['rev-parse', '--absolute-git-dir']).then(
      (out) => out.trim() || undefined,
      () => undefined,
    )
    const at = await this.gitDir
    if (at === undefined) return false
    const shallow = await readFile(join(at, 'shallow'), 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : undefined))
    if (shallow === undefined) return false
    return descendsFrom(this.objects, id, ancestor, shallowCommits(shallow)).catch(() => false)
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
    // A name is resolved again each time (a branch moves); what an id names never changes.
    if (!OBJECT_ID.test(commit)) return this.tree(await this.resolve(commit))
    let tree = this.trees.get(commit)
    if (!tree) {
      const reading = this.readTree(commit)
      this.trees.set(commit, (tree = reading))
      reading.catch(() => this.trees.get(commit) === reading && this.trees.delete(commit))
    }
    return tree
  }

  private readTree(commit: string): Promise<FileTree> {
    return this.reads(() => this.readTreeNow(commit))
  }

  /**
   * The commit's tree, read from the reader's long-lived `cat-file`. After the first, a tree is
   * made from the last one read and the folders that differ (a folder with the same id is the
   * same folder), so a new push costs the objects it adds, not the fleet's files again.
   */
  private async readTreeNow(commit: string): Promise<FileTree> {
    const [root] = await this.objects.ask([`${commit}^{tree}`]).catch(gitFailed)
    if (!root || 'missing' in root || root.type !== 'tree' || !root.body) throw new GitError(`git: unknown revision '${commit}' in ${this.dir}`)
    const last = this.last
    const tree = (last?.rootId === root.id ? last.tree : undefined) ?? (last ? await this.derived(last, root.id, root.body, commit) : undefined) ?? (await this.whole(root.id))
    this.last = { rootId: root.id, tree }
    // The commit's tree id names every path, byte and link the tree holds (a record of the
    // render cache made from this tree is checked here without reading it again).
    return tree.identify(`git tree ${root.id}, files over ${MAX_BLOB_BYTES} bytes stubbed`)
  }

  /** A tree read whole: listed by one `ls-tree` (sizes included, its tree objects kept), and the blobs not read before. */
  private async whole(rootId: string): Promise<MemoryTree> {
    const { files, links, sizes } = await this.listWhole(rootId)
    const contents = await this.blobsOf([...files.map((f) => f.id), ...links.map((l) => l.id)], sizes)
    const tree = new MemoryTree()
    for (const f of files) tree.addFile(f.path, contents.get(f.id) ?? oversizedStub())
    for (const l of links) tree.addSymlink(l.path, linkTarget(contents.get(l.id)))
    return tree
  }

  /** A tree made from the last one read and how the two differ; undefined when they differ too much to be worth it (or cannot be compared). */
  private async derived(last: { rootId: string; tree: MemoryTree }, rootId: string, body: Buffer, commit: string): Promise<MemoryTree | undefined> {
    const changes = await this.walk(diffTree(last.rootId, rootId, body, this.treeObjects), commit)
    if (!changes) return undefined
    const contents = await this.blobsOf([...changes.files.map((f) => f.id), ...changes.links.map((l) => l.id)])
    return last.tree.derive(
      changes.removed,
      changes.files.map((f) => [f.path, contents.get(f.id) ?? oversizedStub()] as const),
      changes.links.map((l) => [l.path, linkTarget(contents.get(l.id))] as const),
    )
  }

  /**
   * Runs a walk of tree objects (git-trees.ts diffTree), reading the ones each step asks for;
   * undefined when a step asks for more than LIST_WHOLE (the commit is then listed whole).
   */
  private async walk<T>(walking: Generator<string[], T, ReadonlyMap<string, TreeEntry[]>>, commit: string): Promise<T | undefined> {
    let step = walking.next(new Map())
    while (!step.done) {
      if (step.value.length > LIST_WHOLE) return undefined
      const read = new Map<string, TreeEntry[]>()
      for (const a of await this.objects.ask(step.value).catch(gitFailed)) {
        if ('missing' in a || a.type !== 'tree' || !a.body) throw new GitError(`git: a tree of commit ${commit} cannot be read in ${this.dir}`)
        const entries = parseTree(a.body, a.id.length / 2)
        read.set(a.id, entries)
        this.treeObjects.set(a.id, entries)
      }
      step = walking.next(read)
    }
    return step.value
  }

  /**
   * The bytes of blobs, by id; a blob over MAX_BLOB_BYTES is left out (its size is asked first,
   * so it is never read). A link's target over that size reads as empty.
   */
  private async blobsOf(ids: string[], knownSizes?: ReadonlyMap<string, number>): Promise<Map<string, Uint8Array>> {
    const out = new Map<string, Uint8Array>()
    const unknown: string[] = []
    for (const id of new Set(ids)) {
      const known = this.blobs.get(id)
      if (known) out.set(id, known)
      else if (!this.oversized.has(id)) unknown.push(id)
    }
    if (unknown.length === 0) return out
    const unsized = unknown.filter((id) => knownSizes?.get(id) === undefined)
    const sizes = new Map<string, number>()
    for (const [i, a] of (await this.checks.ask(unsized).catch(gitFailed)).entries()) {
      if ('missing' in a) throw new GitError(`git: blob ${unsized[i]} cannot be read in ${this.dir}`)
      sizes.set(unsized[i]!, a.size)
    }
    const small: string[] = []
    for (const id of unknown) {
      if ((knownSizes?.get(id) ?? sizes.get(id)!) <= MAX_BLOB_BYTES) small.push(id)
      else this.oversized.set(id, true)
    }
    for (const a of await this.objects.ask(small).catch(gitFailed)) {
      if ('missing' in a || !a.body) throw new GitError(`git: a blob cannot be read in ${this.dir}`)
      out.set(a.id, a.body)
      this.blobs.set(a.id, a.body)
    }
    return out
  }

  /** Every tree object under a tree, and every blob's size, from one `ls-tree` (the tree objects are kept). */
  private async listWhole(treeId: string): Promise<Listed> {
    const output = await this.git(['ls-tree', '-r', '-t', '-z', '--long', '--full-tree', treeId])
    let listed: Listed
    try {
      listed = listedTrees(treeId, output)
    } catch (err) {
      gitFailed(err)
    }
    for (const [id, entries] of listed.trees) this.treeObjects.set(id, entries)
    return listed
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

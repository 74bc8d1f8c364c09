import type { FileStat, FileTree } from '../../ports/file-tree.js'
import { pathDelta, treeDelta, type TreeDelta } from './tree-delta.js'
import { noteDerived, touchedBetween } from './tree-lineage.js'
import { joinInside, normalizePath } from './tree-paths.js'

// Importers of the tree read its path rules from here too.
export { joinInside, normalizePath }

const encoder = new TextEncoder()

/** Whether two files hold the same bytes. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

/** What a MemoryTree holds: the bytes of each file and the target of each symlink, by path. */
export interface MemoryTreeContents {
  files: [string, Uint8Array][]
  links: [string, string][]
  id?: string
}

/**
 * Named trees of this process, by name, as long as something else holds them: a reader keeps
 * a few commits' trees, and a record of one of them is checked against a newer one. Bounded:
 * a name no one holds any more is let go at the next naming.
 */
const NAMED = new Map<string, WeakRef<MemoryTree>>()
const MAX_NAMED = 64

/**
 * A FileTree held in memory: what a Git tree at one commit, a test fixture or a Flux
 * artifact (after ignore rules) becomes. Directories are implied by the files in them.
 */
export class MemoryTree implements FileTree {
  private files = new Map<string, Uint8Array>()
  private links = new Map<string, string>()
  private dirs = new Map<string, Set<string>>([['', new Set()]])
  /** While a derived tree is made (derive): the tree whose folder lists it shares until it changes one. */
  private from: MemoryTree | undefined
  /** A tree another was derived from, or one derived: their folder lists are shared, so neither may change. */
  private sealed = false

  /** Builds a tree from `{ 'path/to/file.yaml': 'text' }`. */
  static fromRecord(record: Record<string, string | Uint8Array>): MemoryTree {
    const t = new MemoryTree()
    for (const [path, content] of Object.entries(record)) t.addFile(path, content)
    return t
  }

  addFile(path: string, content: string | Uint8Array): void {
    this.unsealed()
    const p = normalizePath(path)
    this.files.set(p, typeof content === 'string' ? encoder.encode(content) : content)
    this.addParents(p)
  }

  addSymlink(path: string, target: string): void {
    this.unsealed()
    const p = normalizePath(path)
    this.links.set(p, target)
    this.addParents(p)
  }

  /**
   * This tree with the files and links at `removed` gone (a folder left empty goes with them),
   * then `files` and `links` added or replaced: how a Git reader makes a new commit's tree from
   * one it read, at the cost of the difference (git-trees.ts diffTree). The maps of files are
   * copied; a folder's list is shared until the new tree changes it. Neither tree may change
   * afterwards.
   */
  derive(removed: readonly string[], files: readonly (readonly [string, Uint8Array])[], links: readonly (readonly [string, string])[]): MemoryTree {
    this.sealed = true
    const t = new MemoryTree()
    t.files = new Map(this.files)
    t.links = new Map(this.links)
    t.dirs = new Map(this.dirs)
    t.from = this
    for (const p of removed) t.remove(normalizePath(p))
    for (const [p, bytes] of files) t.addFile(p, bytes)
    for (const [p, target] of links) t.addSymlink(p, target)
    // The new tree does not hold the one it came from: only folder lists they share.
    t.from = undefined
    t.sealed = true
    noteDerived(t, this, [...removed, ...files.map(([p]) => p), ...links.map(([p]) => p)].map(normalizePath))
    return t
  }

  private unsealed(): void {
    if (this.sealed) throw new Error('a tree that another was derived from (or derived itself) cannot change')
  }

  /** A folder's list, this tree's own (copied first when shared with the tree it is derived from). */
  private ownList(dir: string, list: Set<string>): Set<string> {
    if (this.from?.dirs.get(dir) !== list) return list
    const own = new Set(list)
    this.dirs.set(dir, own)
    return own
  }

  /** Removes a file or link, and every folder it leaves empty. */
  private remove(p: string): void {
    if (!this.files.delete(p) && !this.links.delete(p)) return
    let child = p
    for (;;) {
      const i = child.lastIndexOf('/')
      const parent = i < 0 ? '' : child.slice(0, i)
      const list = this.dirs.get(parent)
      if (!list) return
      this.ownList(parent, list).delete(i < 0 ? child : child.slice(i + 1))
      if (parent === '' || this.dirs.get(parent)!.size > 0) return
      this.dirs.delete(parent)
      child = parent
    }
  }

  /**
   * The tree as data (files and symlinks; folders are implied by them), for another thread:
   * `MemoryTree.of` builds the same tree from it, every answer the same.
   */
  contents(): MemoryTreeContents {
    return { files: [...this.files], links: [...this.links], ...(this.id !== undefined ? { id: this.id } : {}) }
  }

  private id: string | undefined

  /**
   * Names the tree by what it holds (tree-delta.ts `identityOf`): only a reader that knows the
   * name stands for every path, byte and link (GitRepo: the commit's tree id), and only before
   * the tree is read.
   */
  identify(id: string): this {
    this.id = id
    NAMED.delete(id)
    NAMED.set(id, new WeakRef(this))
    for (const [k, ref] of NAMED) if (NAMED.size > MAX_NAMED || ref.deref() === undefined) NAMED.delete(k)
    return this
  }

  /**
   * How this tree differs from the tree named `name` (tree-delta.ts `deltaFromName`), when that
   * tree is still held (its reader keeps it): a name stands for every path and byte, so any
   * live tree of that name will do.
   */
  deltaFromName(name: string): TreeDelta | undefined {
    const then = NAMED.get(name)?.deref()
    return then ? treeDelta(then, this) : undefined
  }

  identity(): string | undefined {
    return this.id
  }

  static of(contents: MemoryTreeContents): MemoryTree {
    const t = new MemoryTree()
    // Each file gets bytes of its own: copied from another thread, files arrive as views of one
    // buffer, and a view sent on (a chart's files to helm) would copy that whole buffer with it.
    for (const [path, bytes] of contents.files) t.addFile(path, bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice())
    for (const [path, target] of contents.links) t.addSymlink(path, target)
    if (contents.id !== undefined) t.identify(contents.id)
    return t
  }

  /**
   * How `other` differs from this tree (tree-delta.ts): undefined unless it is a MemoryTree too
   * and neither holds a symlink. Bytes are compared by identity first: the trees of one Git
   * reader share a blob's bytes.
   */
  deltaTo(other: FileTree): TreeDelta | undefined {
    const diff = this.differences(other)
    if (!diff) return undefined
    const d = pathDelta(diff.changed, diff.moved)
    return { unchanged: (q, path) => d.unchanged(q, normalizePath(path)), ...(d.changes ? { changes: d.changes } : {}) }
  }

  /**
   * Paths whose bytes differ from `other`'s (added, removed or modified), sorted, read from both
   * trees' maps of files; undefined unless `other` is a MemoryTree too and neither holds a
   * symlink (changed-paths.ts then walks both).
   */
  changedPathsTo(other: FileTree): string[] | undefined {
    const diff = this.differences(other)
    return diff && [...diff.changed, ...diff.moved].sort()
  }

  /** Files whose bytes differ (`changed`) and files only one tree holds (`moved`); undefined unless both are MemoryTrees without symlinks. */
  private differences(other: FileTree): { changed: string[]; moved: string[] } | undefined {
    if (!(other instanceof MemoryTree) || this.links.size > 0 || other.links.size > 0) return undefined
    const changed: string[] = []
    const moved: string[] = []
    // Trees of one lineage (a reader's commits, each made from the one before) differ at most
    // at the paths their derivations touched.
    const touched = touchedBetween(this, other)
    if (touched) {
      for (const p of touched) {
        const bytes = this.files.get(p)
        const o = other.files.get(p)
        if (bytes === undefined && o === undefined) continue
        if (bytes === undefined || o === undefined) moved.push(p)
        else if (o !== bytes && !equalBytes(o, bytes)) changed.push(p)
      }
      return { changed, moved }
    }
    for (const [p, bytes] of this.files) {
      const o = other.files.get(p)
      if (o === undefined) moved.push(p)
      else if (o !== bytes && !equalBytes(o, bytes)) changed.push(p)
    }
    for (const p of other.files.keys()) if (!this.files.has(p)) moved.push(p)
    return { changed, moved }
  }

  /** Nothing watches beneath a tree in memory: a question passed over is accounted for (tree-delta.ts). */
  passOver(): boolean {
    return true
  }

  /** Nor a block of them (question-blocks.ts). */
  passOverBlock(): boolean {
    return true
  }

  /** How many regular files the tree holds. */
  get fileCount(): number {
    return this.files.size
  }

  /** Every regular file path, sorted. */
  paths(): string[] {
    return [...this.files.keys()].sort()
  }

  stat(path: string): FileStat | undefined {
    const p = normalizePath(path)
    const f = this.files.get(p)
    if (f) return { type: 'file', size: f.byteLength }
    const l = this.links.get(p)
    if (l !== undefined) return { type: 'symlink', target: l }
    if (this.dirs.has(p)) return { type: 'dir' }
    return undefined
  }

  readFile(path: string): Uint8Array | undefined {
    const p = normalizePath(path)
    const f = this.files.get(p)
    if (f) return f
    const target = this.resolveLink(p, 0)
    return target === undefined ? undefined : this.files.get(target)
  }

  list(dir: string): string[] {
    const d = this.dirs.get(normalizePath(dir))
    return d ? [...d].sort() : []
  }

  private resolveLink(p: string, depth: number): string | undefined {
    const target = this.links.get(p)
    if (target === undefined || depth > 16 || target.startsWith('/')) return undefined
    const base = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : ''
    const joined = joinInside(base, target)
    if (joined === undefined) return undefined
    return this.files.has(joined) ? joined : this.resolveLink(joined, depth + 1)
  }

  private addParents(p: string): void {
    let child = p
    for (;;) {
      const i = child.lastIndexOf('/')
      const parent = i < 0 ? '' : child.slice(0, i)
      const name = i < 0 ? child : child.slice(i + 1)
      let set = this.dirs.get(parent)
      if (!set) {
        set = new Set()
        this.dirs.set(parent, set)
      } else if (set.has(name)) {
        // A name in its folder's list has every folder above it listed already.
        return
      }
      this.ownList(parent, set).add(name)
      if (parent === '') return
      child = parent
    }
  }
}

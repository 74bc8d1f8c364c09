import type { FileStat, FileTree } from '../../ports/file-tree.js'
import { LRUCache } from 'lru-cache'
import { textDigest } from '../tree/content-id.js'
import { deltaFromName, identityOf, kindOf, passOver, treeDelta, type TreeDelta, type TreeQuestion } from '../tree/tree-delta.js'
import { isIgnored, type IgnorePattern } from './sourceignore.js'
import { blockBelow, passOverBlock, type QuestionBlock } from '../tree/question-blocks.js'

/**
 * A view of `base` without ignored files and without symlinks (artifacts keep only regular
 * files and directories, G-3). Directories stay visible while they hold a kept file.
 */
export class FilteredTree implements FileTree {
  private readonly keep: Map<string, boolean>
  private readonly kept: Map<string, boolean>
  /** The patterns as JSON: two views with the same patterns filter alike. */
  private readonly key: string

  constructor(
    private readonly base: FileTree,
    private readonly patterns: IgnorePattern[],
  ) {
    // Every cluster of a fleet, and the head of a pull request after its base, views trees
    // through the same patterns: a file's verdict depends on its path and the patterns only,
    // a folder's on the tree too, so both are shared instead of matched again per view.
    const key = JSON.stringify(patterns)
    this.key = key
    let files = FILE_VERDICTS.get(key)
    if (!files) FILE_VERDICTS.set(key, (files = new Map()))
    this.kept = files
    let byPatterns = DIR_VERDICTS.get(base)
    if (!byPatterns) DIR_VERDICTS.set(base, (byPatterns = new Map()))
    let dirs = byPatterns.get(key)
    if (!dirs) byPatterns.set(key, (dirs = new Map()))
    this.keep = dirs
  }

  stat(path: string): FileStat | undefined {
    const st = this.base.stat(path)
    if (!st || st.type === 'symlink') return undefined
    if (path === '' || path === '.') return st
    if (st.type === 'file') return this.fileKept(path) ? st : undefined
    return this.dirHasFiles(path) ? st : undefined
  }

  readFile(path: string): Uint8Array | undefined {
    return this.stat(path)?.type === 'file' ? this.base.readFile(path) : undefined
  }

  /** Why a path of the repository is not in the artifact: a symlink (G-3) or ignored (G-4). */
  droppedBecause(path: string): 'symlink' | 'ignored' | undefined {
    const kind = kindOf(this.base, path)
    if (!kind || this.keeps(path, kind)) return undefined
    return kind === 'symlink' ? 'symlink' : 'ignored'
  }

  list(dir: string): string[] {
    return this.base.list(dir).filter((name) => {
      const p = dir ? `${dir}/${name}` : name
      return this.keeps(p, kindOf(this.base, p))
    })
  }

  /** Whether the view has an entry of this kind at `path` (stat without the size). */
  private keeps(path: string, kind: FileStat['type'] | undefined): boolean {
    if (!kind || kind === 'symlink') return false
    if (path === '' || path === '.') return true
    return kind === 'file' ? this.fileKept(path) : this.dirHasFiles(path)
  }

  /**
   * The same patterns over two trees answer alike wherever the trees do (tree-delta.ts): a
   * file's verdict is its path's, a folder's is whether a file below it is kept, which only an
   * added or removed file changes.
   */
  deltaTo(other: FileTree): TreeDelta | undefined {
    return other instanceof FilteredTree && other.key === this.key ? treeDelta(this.base, other.base) : undefined
  }

  /** Its tree's name and its patterns (tree-delta.ts); asked for every record checked or kept, so made once. */
  identity(): string | undefined {
    if (this.name === null) {
      const base = identityOf(this.base)
      this.name = base === undefined ? undefined : `${this.namePrefix()}${base}`
    }
    return this.name
  }

  /** The same patterns over the tree of a name answer alike wherever the trees do (deltaTo). */
  deltaFromName(name: string): TreeDelta | undefined {
    const prefix = this.namePrefix()
    return name.startsWith(prefix) ? deltaFromName(name.slice(prefix.length), this.base) : undefined
  }

  private namePrefix(): string {
    return `filtered ${textDigest(this.key)} of `
  }

  /**
   * What a question of this view asks of its tree (tree-delta.ts `passOver`): a file's bytes
   * its stat too; a stat or ignore verdict, for a folder, whether a kept file is below it,
   * which only a file added or removed below changes (what a listing's delta says); a listing,
   * the listing below.
   */
  passOver(q: TreeQuestion, path: string): boolean {
    return askedBelow(q, path).every(([q2, p]) => passOver(this.base, q2, p))
  }

  /** A block of questions, as its tree is asked them (`passOver`). */
  passOverBlock(block: QuestionBlock): boolean {
    return passOverBlock(this.base, blockBelow(block, 'filtered', askedBelow))
  }

  private name: string | undefined | null = null

  private fileKept(path: string): boolean {
    let k = this.kept.get(path)
    if (k === undefined) {
      k = !isIgnored(this.patterns, path, false)
      this.kept.set(path, k)
    }
    return k
  }

  // The archive walk tests every file on its own and skips excluded directories' own
  // entries only, so a directory exists in the artifact iff some file below it is kept.
  private dirHasFiles(dir: string): boolean {
    const cached = this.keep.get(dir)
    if (cached !== undefined) return cached
    let result = false
    for (const name of this.base.list(dir)) {
      const p = `${dir}/${name}`
      const kind = kindOf(this.base, p)
      if (kind === 'file' && this.fileKept(p)) result = true
      else if (kind === 'dir' && this.dirHasFiles(p)) result = true
      if (result) break
    }
    this.keep.set(dir, result)
    return result
  }
}

/** Verdicts on files by pattern set (its JSON): the few pattern sets of a run, most recent kept. */
const FILE_VERDICTS = new LRUCache<string, Map<string, boolean>>({ max: 32 })
/** Verdicts on folders by tree, then pattern set. */
const DIR_VERDICTS = new WeakMap<FileTree, Map<string, Map<string, boolean>>>()

/** What a question of a filtered view asks of the tree beneath (FilteredTree `passOver`). */
function askedBelow(q: TreeQuestion, path: string): [TreeQuestion, string][] {
  if (q === 'read') return [['stat', path], ['read', path]]
  if (q === 'list') return [['list', path]]
  return [['stat', path], ['list', path]]
}

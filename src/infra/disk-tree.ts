import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { FileStat, FileTree } from '../ports/file-tree.js'

/** Options of a DiskTree. */
export interface DiskTreeOptions {
  /**
   * The folder does not change while the tree is used (a render of a checkout): every stat,
   * listing and resolved path is asked of the file system once. A fleet's render asks the same
   * questions thousands of times (every Kustomization reads its bases again), and resolving
   * each path to check it stays inside the root costs a system call per path segment.
   */
  snapshot?: boolean
}

/**
 * A FileTree over a folder on disk, read lazily. Nothing outside `root` is ever read: a
 * path with `..` that climbs out, or a symlink whose real target lies outside, is reported
 * as a symlink with no content.
 */
export class DiskTree implements FileTree {
  readonly root: string
  private readonly stats?: Map<string, FileStat | undefined>
  private readonly lists?: Map<string, string[]>
  private readonly reals?: Map<string, string | undefined>

  constructor(root: string, opts: DiskTreeOptions = {}) {
    this.root = realpathSync(resolve(root))
    if (opts.snapshot) {
      this.stats = new Map()
      this.lists = new Map()
      this.reals = new Map()
    }
  }

  stat(path: string): FileStat | undefined {
    const abs = this.abs(path)
    if (abs === undefined) return undefined
    if (this.stats?.has(abs)) return this.stats.get(abs)
    const st = statOf(abs)
    this.stats?.set(abs, st)
    return st
  }

  readFile(path: string): Uint8Array | undefined {
    const real = this.real(path)
    if (real === undefined) return undefined
    try {
      return readFileSync(real)
    } catch {
      return undefined
    }
  }

  list(dir: string): string[] {
    const real = this.real(dir)
    if (real === undefined) return []
    const kept = this.lists?.get(real)
    if (kept) return [...kept]
    let names: string[]
    try {
      names = readdirSync(real).sort()
    } catch {
      names = []
    }
    this.lists?.set(real, names)
    return [...names]
  }

  /** The real path of `path` when it lies inside the root (symlinks resolved), else undefined. */
  private real(path: string): string | undefined {
    const abs = this.abs(path)
    if (abs === undefined) return undefined
    if (this.reals?.has(abs)) return this.reals.get(abs)
    let real: string | undefined
    try {
      real = realpathSync(abs)
      if (!this.contains(real)) real = undefined
    } catch {
      real = undefined
    }
    this.reals?.set(abs, real)
    return real
  }

  private abs(path: string): string | undefined {
    const abs = resolve(this.root, path)
    return this.contains(abs) ? abs : undefined
  }

  private contains(abs: string): boolean {
    const rel = relative(this.root, abs)
    return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel) && !join(rel).startsWith('..'))
  }
}

function statOf(abs: string): FileStat | undefined {
  try {
    const st = lstatSync(abs)
    if (st.isSymbolicLink()) return { type: 'symlink', target: readlinkSync(abs) }
    if (st.isDirectory()) return { type: 'dir' }
    if (st.isFile()) return { type: 'file', size: st.size }
    return undefined
  } catch {
    return undefined
  }
}

import { lstatSync, readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs'
import { isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { FileStat, FileTree } from '../ports/file-tree.js'

/**
 * A FileTree over a folder on disk, read lazily. Nothing outside `root` is ever read: a
 * path with `..` that climbs out, or a symlink whose real target lies outside, is reported
 * as a symlink with no content.
 */
export class DiskTree implements FileTree {
  readonly root: string

  constructor(root: string) {
    this.root = realpathSync(resolve(root))
  }

  stat(path: string): FileStat | undefined {
    const abs = this.abs(path)
    if (abs === undefined) return undefined
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

  readFile(path: string): Uint8Array | undefined {
    const abs = this.abs(path)
    if (abs === undefined) return undefined
    try {
      const real = realpathSync(abs)
      if (!this.contains(real)) return undefined
      return readFileSync(real)
    } catch {
      return undefined
    }
  }

  list(dir: string): string[] {
    const abs = this.abs(dir)
    if (abs === undefined) return []
    try {
      const real = realpathSync(abs)
      if (!this.contains(real)) return []
      return readdirSync(real).sort()
    } catch {
      return []
    }
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

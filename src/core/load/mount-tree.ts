import type { FileStat, FileTree } from '../../ports/file-tree.js'

/**
 * `base` with other trees mounted at folders (GitRepository `include`, G-5): a path under a
 * mount point reads from the mounted tree only.
 */
export class MountTree implements FileTree {
  constructor(
    private readonly base: FileTree,
    private readonly mounts: { at: string; tree: FileTree }[],
  ) {}

  stat(path: string): FileStat | undefined {
    const m = this.mountOf(path)
    if (m) return m.tree.stat(m.rest)
    if (this.isMountParent(path)) return { type: 'dir' }
    return this.base.stat(path)
  }

  readFile(path: string): Uint8Array | undefined {
    const m = this.mountOf(path)
    return m ? m.tree.readFile(m.rest) : this.base.readFile(path)
  }

  list(dir: string): string[] {
    const m = this.mountOf(dir)
    if (m) return m.tree.list(m.rest)
    const names = new Set(this.base.list(dir))
    for (const mount of this.mounts) {
      const prefix = dir ? dir + '/' : ''
      if (!mount.at.startsWith(prefix) || mount.at === dir) continue
      names.add(mount.at.slice(prefix.length).split('/')[0]!)
    }
    return [...names].sort()
  }

  private mountOf(path: string): { tree: FileTree; rest: string } | undefined {
    for (const m of this.mounts) {
      if (path === m.at) return { tree: m.tree, rest: '' }
      if (path.startsWith(m.at + '/')) return { tree: m.tree, rest: path.slice(m.at.length + 1) }
    }
    return undefined
  }

  private isMountParent(path: string): boolean {
    return this.mounts.some((m) => path === '' || m.at.startsWith(path + '/'))
  }
}

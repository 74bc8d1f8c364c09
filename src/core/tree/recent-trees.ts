import type { FileTree } from '../../ports/file-tree.js'

/**
 * The last few trees something was worked out for (a repository scan, the `.sourceignore`
 * patterns), newest first, so that a later tree can be related to one of them by its delta
 * and take over what was worked out. The list keeps no tree alive: what goes with a tree is
 * kept by the tree (a WeakMap), and a warm worker has little room below its memory bound.
 */
export class RecentTrees {
  private readonly refs: WeakRef<FileTree>[] = []

  constructor(private readonly max: number) {}

  note(tree: FileTree): void {
    const i = this.refs.findIndex((r) => r.deref() === tree)
    if (i >= 0) this.refs.splice(i, 1)
    this.refs.unshift(new WeakRef(tree))
    this.refs.length = Math.min(this.refs.length, this.max)
  }

  /** The trees still alive, newest first. */
  *alive(): Generator<FileTree> {
    for (const r of this.refs) {
      const t = r.deref()
      if (t) yield t
    }
  }
}

import type { FileTree } from '../../ports/file-tree.js'

/** A question a unit's render asks of a tree (unit-reads.ts): `drop` is FilteredTree.droppedBecause. */
export type TreeQuestion = 'stat' | 'read' | 'list' | 'drop'

/**
 * Which questions two trees answer alike, known without asking them: the head of a pull
 * request against its base, where a unit recorded in the base is checked again in the head.
 * Asking each recorded question again was most of a warm plan's read-set checks; with the
 * paths the two trees differ in, a question about any other path has the base's answer.
 *
 * `unchanged` may say false for a question whose answer is the same (it is then asked), never
 * true for one whose answer differs.
 */
export interface TreeDelta {
  unchanged(q: TreeQuestion, path: string): boolean
}

/**
 * Trees that can relate themselves to another tree of their kind (MemoryTree, FilteredTree,
 * SubTree): undefined when they cannot say (different kinds, a symlink, other ignore patterns).
 */
export interface DeltaTree extends FileTree {
  deltaTo(other: FileTree): TreeDelta | undefined
}

const SAME: TreeDelta = { unchanged: () => true }

const deltas = new WeakMap<FileTree, WeakMap<FileTree, TreeDelta | null>>()

/** How `b` differs from `a`, when the two can tell; one computation per pair of trees. */
export function treeDelta(a: FileTree, b: FileTree): TreeDelta | undefined {
  if (a === b) return SAME
  if (typeof (a as Partial<DeltaTree>).deltaTo !== 'function') return undefined
  let byB = deltas.get(a)
  if (!byB) deltas.set(a, (byB = new WeakMap()))
  let d = byB.get(b)
  if (d === undefined) byB.set(b, (d = (a as DeltaTree).deltaTo(b) ?? null))
  return d ?? undefined
}

/**
 * The delta of two trees of files (no symlinks: a link's answers depend on its target's path)
 * from the paths whose contents differ (`changed`) and those added or removed in either
 * (`moved`). A file's stat (its size), bytes and ignore verdict depend on its own entry; a
 * folder's listing and whether a filtered view keeps it depend on what was added or removed
 * below it, never on contents. So: stat, read and drop of a path are unchanged unless that path
 * changed, was moved, or has something moved below it; a listing unless something moved below.
 */
export function pathDelta(changed: Iterable<string>, moved: Iterable<string>): TreeDelta {
  const entries = new Set(changed)
  const shapes = new Set<string>()
  for (const p of moved) {
    let cur = p
    for (;;) {
      if (shapes.has(cur)) break
      shapes.add(cur)
      if (cur === '') break
      const i = cur.lastIndexOf('/')
      cur = i < 0 ? '' : cur.slice(0, i)
    }
  }
  if (entries.size === 0 && shapes.size === 0) return SAME
  return {
    unchanged: (q, path) => !shapes.has(path) && (q === 'list' || !entries.has(path)),
  }
}

/**
 * A name for everything a tree answers, where one is known: a tree of a Git commit is named by
 * its tree id (GitRepo), a view of one by the view and that name. Two trees of one name answer
 * every question alike, in this run or another: a record read back from the render cache
 * names the trees it was made from, and its check in a tree of the same name asks nothing of it.
 */
export interface NamedTree extends FileTree {
  identity(): string | undefined
}

export function identityOf(t: FileTree): string | undefined {
  return typeof (t as Partial<NamedTree>).identity === 'function' ? (t as NamedTree).identity() : undefined
}

/**
 * Trees that can relate themselves to a tree known only by its name (NamedTree): a record
 * read back from the render cache names the tree it was made from, and a warm process still
 * holds that tree when it plans the next push (a reader keeps a commit's tree), so a check in
 * the new tree asks only what the two may answer differently, as for a record made in memory.
 */
export interface NameDeltaTree extends FileTree {
  deltaFromName(name: string): TreeDelta | undefined
}

/**
 * How `now` differs from the tree named `name`: undefined when that tree is not held in this
 * process or the two cannot be related (then every question is asked).
 */
export function deltaFromName(name: string, now: FileTree): TreeDelta | undefined {
  if (identityOf(now) === name) return SAME
  return typeof (now as Partial<NameDeltaTree>).deltaFromName === 'function' ? (now as NameDeltaTree).deltaFromName(name) : undefined
}

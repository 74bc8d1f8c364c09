import type { FileStat, FileTree } from '../../ports/file-tree.js'

/**
 * A question a unit's render asks of a tree (unit-reads.ts): `drop` is FilteredTree.droppedBecause.
 * `kind` (whether a path is a file, a folder or a link, and nothing of its size) is asked by
 * views that only need that (kindOf).
 */
export type TreeQuestion = 'stat' | 'read' | 'list' | 'drop' | 'kind'

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
  /**
   * Every path a question may differ at, where the delta knows them (two trees in memory):
   * `entries`, files whose bytes differ (their stat and read); `shapes`, paths added or
   * removed and every folder above them (any question). Paths are normalized (`a/b`). A
   * checker of many questions can then look at these few paths instead of asking `unchanged`
   * of each of its own.
   */
  readonly changes?: { readonly entries: ReadonlySet<string>; readonly shapes: ReadonlySet<string> }
}

/**
 * Trees that can relate themselves to another tree of their kind (MemoryTree, FilteredTree,
 * SubTree): undefined when they cannot say (different kinds, a symlink, other ignore patterns).
 */
export interface DeltaTree extends FileTree {
  deltaTo(other: FileTree): TreeDelta | undefined
}

const SAME: TreeDelta = { unchanged: () => true, changes: { entries: new Set(), shapes: new Set() } }

const deltas = new WeakMap<FileTree, WeakMap<FileTree, TreeDelta | null>>()

/**
 * A tree that answers as another does, only noting what is asked of it (a cluster walk's
 * ClusterReads): it differs from a tree where the tree it watches does.
 */
export interface WatchingTree extends FileTree {
  readonly watched: FileTree
}

/**
 * A WatchingTree that also keeps values worked out from the whole tree it watches (the
 * repository's `.sourceignore` patterns): such a value is worked out on the tree watched, not
 * through the watcher, so the watcher notes it as one answer, with how to work it out again
 * in another tree, instead of every path that went into it.
 */
export interface DerivingTree extends WatchingTree {
  noteDerived(name: string, answer: string, again: (t: FileTree) => string): void
}

/** Notes a value worked out from the whole of `t` where `t` watches its tree (DerivingTree). */
export function noteDerived(t: FileTree, name: string, answer: string, again: (t: FileTree) => string): void {
  if (typeof (t as Partial<DerivingTree>).noteDerived === 'function') (t as DerivingTree).noteDerived(name, answer, again)
}

/** The tree a WatchingTree watches; any other tree itself. */
export function watchedTree(t: FileTree): FileTree {
  return (t as Partial<WatchingTree>).watched ?? t
}

/** How `b` differs from `a`, when the two can tell; one computation per pair of trees. */
export function treeDelta(a: FileTree, b: FileTree): TreeDelta | undefined {
  a = watchedTree(a)
  b = watchedTree(b)
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
 * changed, was moved, or has something moved below it; a listing, and what kind of entry a path
 * is, unless something moved at or below it.
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
    unchanged: (q, path) => !shapes.has(path) && (q === 'list' || q === 'kind' || !entries.has(path)),
    changes: { entries, shapes },
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
  now = watchedTree(now)
  if (identityOf(now) === name) return SAME
  return typeof (now as Partial<NameDeltaTree>).deltaFromName === 'function' ? (now as NameDeltaTree).deltaFromName(name) : undefined
}

/**
 * Trees that can be told a question was answered without asking them: a read-set check skips
 * what the tree delta says cannot differ, and a tree watched beneath (ClusterReads) must still
 * learn that the question belongs to the walk. `passOver` answers true when the question is
 * accounted for (noted where something beneath watches, or nothing does), false when the tree
 * cannot tell (then the question is asked after all).
 */
export interface PassingTree extends FileTree {
  passOver(q: TreeQuestion, path: string): boolean
}

/** Tells `t` that `q path` was answered without asking it; false: ask it instead. */
export function passOver(t: FileTree, q: TreeQuestion, path: string): boolean {
  return typeof (t as Partial<PassingTree>).passOver === 'function' ? (t as PassingTree).passOver(q, path) : false
}

/** Trees that can say what kind of entry a path is without its size (ClusterReads notes only that). */
export interface KindTree extends FileTree {
  kindOf(path: string): FileStat['type'] | undefined
}

/**
 * What kind of entry `path` is in `t`: a view that needs no more (whether a folder holds a kept
 * file) asks this, so a tree that notes its questions does not tie the answer to a file's size.
 */
export function kindOf(t: FileTree, path: string): FileStat['type'] | undefined {
  return typeof (t as Partial<KindTree>).kindOf === 'function' ? (t as KindTree).kindOf(path) : t.stat(path)?.type
}

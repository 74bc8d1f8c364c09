/**
 * Which trees were derived from which (MemoryTree.derive: a Git reader's next commit made from
 * the last one read), with the paths each derivation touched, so that two trees of one lineage
 * are compared at those paths instead of file by file: a warm replan compares its trees several
 * times (deltas, changed paths), and a 10,000-Kustomization tree holds 25,000 files.
 */

/** An ancestor of a tree, held weakly, and every path touched on the way from it. */
interface Ancestor {
  tree: WeakRef<object>
  paths: readonly string[]
}

/** Ancestors kept per tree, nearest first: a pull request's pushes, each made from the one before. */
const MAX_ANCESTORS = 16
/** Paths touched beyond which a lineage is not followed further (comparing file by file is then as cheap). */
const MAX_PATHS = 10_000

const ANCESTORS = new WeakMap<object, readonly Ancestor[]>()

/** Notes that `child` was made from `parent` by touching `paths` (removed, added or replaced). */
export function noteDerived(child: object, parent: object, paths: readonly string[]): void {
  if (paths.length > MAX_PATHS) return
  const line: Ancestor[] = [{ tree: new WeakRef(parent), paths }]
  for (const a of ANCESTORS.get(parent) ?? []) {
    if (line.length >= MAX_ANCESTORS || a.paths.length + paths.length > MAX_PATHS) break
    line.push({ tree: a.tree, paths: [...paths, ...a.paths] })
  }
  ANCESTORS.set(child, line)
}

/**
 * Every path at which `a` and `b` may differ, when one is an ancestor of the other or both
 * come from a common ancestor still held; undefined when their lineages do not meet.
 */
export function touchedBetween(a: object, b: object): ReadonlySet<string> | undefined {
  if (a === b) return new Set()
  const fromA = new Map<object, readonly string[]>([[a, []]])
  for (const x of ANCESTORS.get(a) ?? []) {
    const t = x.tree.deref()
    if (t) fromA.set(t, x.paths)
  }
  const direct = fromA.get(b)
  if (direct) return new Set(direct)
  for (const y of ANCESTORS.get(b) ?? []) {
    const t = y.tree.deref()
    const mine = t && fromA.get(t)
    if (mine) return new Set([...mine, ...y.paths])
  }
  return undefined
}

import type { FileTree } from '../../ports/file-tree.js'
import { equalBytes, MemoryTree } from './memory-tree.js'
import { identityOf } from './tree-delta.js'

/** Paths whose bytes differ (added, removed or modified) between two trees, sorted. */
export function changedPaths(a: FileTree, b: FileTree): string[] {
  // Named trees (a Git tree id names every byte) never change: a pair asked again (a warm
  // planner's review asked again) is known. Others may (a folder on disk, a tree being edited).
  if (identityOf(a) === undefined || identityOf(b) === undefined) return compute(a, b)
  let byB = known.get(a)
  if (!byB) known.set(a, (byB = new WeakMap()))
  let paths = byB.get(b)
  if (!paths) byB.set(b, (paths = compute(a, b)))
  return [...paths]
}

const known = new WeakMap<FileTree, WeakMap<FileTree, readonly string[]>>()

function compute(a: FileTree, b: FileTree): string[] {
  // Two trees in memory answer from their maps of files: no walk of every folder (a tenth of a warm replan).
  const fast = a instanceof MemoryTree ? a.changedPathsTo(b) : undefined
  if (fast) return fast
  const [fa, fb] = [filesOf(a), filesOf(b)]
  const changed = new Set<string>()
  for (const [p, bytes] of fa) if (!fb.has(p) || !sameBytes(bytes, fb.get(p))) changed.add(p)
  for (const p of fb.keys()) if (!fa.has(p)) changed.add(p)
  return [...changed].sort()
}

// A symlink stands for its target text: retargeting one is a change.
function filesOf(t: FileTree): Map<string, Uint8Array | string | undefined> {
  const out = new Map<string, Uint8Array | string | undefined>()
  const walk = (dir: string): void => {
    for (const name of t.list(dir)) {
      const p = dir ? `${dir}/${name}` : name
      const s = t.stat(p)
      if (s?.type === 'dir') walk(p)
      else out.set(p, s?.type === 'symlink' ? `symlink:${s.target ?? ''}` : t.readFile(p))
    }
  }
  walk('')
  return out
}

function sameBytes(x: Uint8Array | string | undefined, y: Uint8Array | string | undefined): boolean {
  if (typeof x === 'string' || typeof y === 'string' || !x || !y) return x === y
  return x === y || equalBytes(x, y)
}

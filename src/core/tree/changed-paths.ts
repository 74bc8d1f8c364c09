import type { FileTree } from '../../ports/file-tree.js'
import { equalBytes } from './memory-tree.js'

/** Paths whose bytes differ (added, removed or modified) between two trees, sorted. */
export function changedPaths(a: FileTree, b: FileTree): string[] {
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

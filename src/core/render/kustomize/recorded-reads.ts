import type { FileStat, FileTree } from '../../../ports/file-tree.js'

/*
 * What a kustomize build read of its tree, to reuse its result where another tree (or the
 * same one, later) gives the same answers: the whole-build cache (build-cache.ts) and the
 * sub-build memo (sub-builds.ts).
 */

/** One tree read a build made, with what it saw. */
export type Read = { path: string; stat: string } | { path: string; bytes: Uint8Array | undefined } | { path: string; names: string }

/** Passes reads through to `tree`, noting the first answer for each path. */
export class RecordingTree implements FileTree {
  readonly reads: Read[] = []
  private readonly seen = new Set<string>()

  constructor(private readonly tree: FileTree) {}

  stat(path: string): FileStat | undefined {
    const st = this.tree.stat(path)
    if (this.once('s' + path)) this.reads.push({ path, stat: statKey(st) })
    return st
  }

  readFile(path: string): Uint8Array | undefined {
    const bytes = this.tree.readFile(path)
    if (this.once('r' + path)) this.reads.push({ path, bytes })
    return bytes
  }

  list(dir: string): string[] {
    const names = this.tree.list(dir)
    if (this.once('l' + dir)) this.reads.push({ path: dir, names: names.join('/') })
    return names
  }

  private once(k: string): boolean {
    if (this.seen.has(k)) return false
    this.seen.add(k)
    return true
  }
}

function statKey(st: FileStat | undefined): string {
  return st === undefined ? '' : `${st.type}\u0000${st.size ?? ''}\u0000${st.target ?? ''}`
}

/** True when `tree` answers every recorded read exactly as the recorded build saw it. */
export function replays(tree: FileTree, reads: Read[]): boolean {
  for (const r of reads) {
    if ('stat' in r) {
      if (statKey(tree.stat(r.path)) !== r.stat) return false
    } else if ('names' in r) {
      if (tree.list(r.path).join('/') !== r.names) return false
    } else if (!sameBytes(tree.readFile(r.path), r.bytes)) return false
  }
  return true
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === b) return true
  if (a === undefined || b === undefined || a.byteLength !== b.byteLength) return false
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false
  return true
}

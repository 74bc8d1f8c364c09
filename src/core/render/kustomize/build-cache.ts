import type { FileStat, FileTree } from '../../../ports/file-tree.js'
import { buildKustomization, type KustomizeEngine, type KustomizeOptions, type KustomizeResult } from './index.js'

/** One tree read a build made, with what it saw. */
type Read = { path: string; stat: string } | { path: string; bytes: Uint8Array | undefined } | { path: string; names: string }

interface Entry {
  reads: Read[]
  result: KustomizeResult
}

/** Bounds of a BuildCache: entries kept per build folder and in all. */
const PER_KEY = 4
const MAX_ENTRIES = 2048

/**
 * A kustomize engine that remembers whole builds. A build is a pure function of the files it
 * reads, so an entry records every stat and read of its build and is reused when the same
 * folder, with the same options, sees the same answers in another tree: the many Flux
 * Kustomizations of a fleet that build one folder, and the head tree of a pull request,
 * which is mostly the base tree. Results are copied in and out, so callers may modify them.
 */
export class BuildCache implements KustomizeEngine {
  private readonly entries = new Map<string, Entry[]>()
  private size = 0

  build(tree: FileTree, dir: string, opts: KustomizeOptions = {}): KustomizeResult {
    const key = [dir, opts.reorder ?? 'legacy', opts.loadRestrictor ?? 'LoadRestrictionsRootOnly', opts.allowRemote === true].join('\u0000')
    const list = this.entries.get(key) ?? []
    const hit = list.find((e) => replays(tree, e.reads))
    if (hit) return structuredClone(hit.result)
    const recorder = new RecordingTree(tree)
    const result = buildKustomization(recorder, dir, opts)
    this.remember(key, list, { reads: recorder.reads, result: structuredClone(result) })
    return result
  }

  private remember(key: string, list: Entry[], entry: Entry): void {
    if (this.size >= MAX_ENTRIES) {
      this.entries.clear()
      this.size = 0
      list = []
    }
    if (list.length >= PER_KEY) list.shift()
    else this.size++
    list.push(entry)
    this.entries.set(key, list)
  }
}

/** Passes reads through to `tree`, noting the first answer for each path. */
class RecordingTree implements FileTree {
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
function replays(tree: FileTree, reads: Read[]): boolean {
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

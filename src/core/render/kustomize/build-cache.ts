import { LRUCache } from 'lru-cache'
import type { FileTree } from '../../../ports/file-tree.js'
import { approximateBytes } from '../../model/size.js'
import { cloneJson } from '../../model/clone.js'
import type { JsonValue } from '../../model/object.js'
import { buildKustomization, type KustomizeEngine, type KustomizeOptions, type KustomizeResult } from './index.js'
import { RecordingTree, replays, type Read } from './recorded-reads.js'

interface Entry {
  reads: Read[]
  result: KustomizeResult
  /** About what the entry holds in memory (its reads and its result). */
  bytes: number
}

/** Builds kept per build folder (with its options). */
const PER_KEY = 4
/** What a BuildCache holds at most, about: the least recently used builds go first. */
export const BUILD_CACHE_BYTES = 64 * 1024 * 1024

/**
 * A kustomize engine that remembers whole builds. A build is a pure function of the files it
 * reads, so an entry records every stat and read of its build and is reused when the same
 * folder, with the same options, sees the same answers in another tree: the many Flux
 * Kustomizations of a fleet that build one folder, and the head tree of a pull request,
 * which is mostly the base tree. Results are copied in and out, so callers may modify them.
 * The cache lives as long as the process (the App renders for days): it is bounded by size,
 * least recently used first, so big fleets cost memory, never all of it.
 */
export class BuildCache implements KustomizeEngine {
  private readonly entries: LRUCache<string, Entry[]>

  constructor(maxBytes = BUILD_CACHE_BYTES) {
    this.entries = new LRUCache({ maxSize: maxBytes, sizeCalculation: (list) => Math.max(1, list.reduce((n, e) => n + e.bytes, 0)) })
  }

  /** How many builds it holds and about how many bytes (for tests and benchmarks). */
  get stats(): { builds: number; bytes: number } {
    let builds = 0
    for (const list of this.entries.values()) builds += list.length
    return { builds, bytes: this.entries.calculatedSize }
  }

  build(tree: FileTree, dir: string, opts: KustomizeOptions = {}): KustomizeResult {
    const key = [dir, opts.reorder ?? 'legacy', opts.loadRestrictor ?? 'LoadRestrictionsRootOnly', opts.allowRemote === true].join('\u0000')
    const list = this.entries.get(key) ?? []
    const hit = list.find((e) => replays(tree, e.reads))
    if (hit) return copyOf(hit.result)
    const recorder = new RecordingTree(tree)
    const result = buildKustomization(recorder, dir, opts)
    const kept = copyOf(result)
    const entry = { reads: recorder.reads, result: kept, bytes: approximateBytes(recorder.reads) + approximateBytes(kept) }
    // A new list, so the cache counts its size again; an entry larger than the whole cache is not kept.
    this.entries.set(key, [...list.slice(-(PER_KEY - 1)), entry])
    return result
  }
}

/** A result's copy: plain data (objects, diagnostics, origins), so cloneJson, a tenth of structuredClone's time. */
function copyOf(r: KustomizeResult): KustomizeResult {
  return cloneJson(r as unknown as JsonValue) as unknown as KustomizeResult
}

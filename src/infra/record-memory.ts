import { frozen } from '../core/model/frozen.js'

/** A record kept: its value, frozen. */
interface Kept {
  value: unknown
  /** Its serialized bytes. */
  size: number
  /** The last run that used it. */
  run: number
}

/**
 * Records of a DiskRenderCache kept in memory between the runs of one long-lived process (a
 * warm plan worker of the App): a warm plan read every record back from disk and deserialized
 * it (a quarter of a 1,000-Kustomization replan, with the garbage it made). A record is kept
 * as its value, read or written, frozen to the leaves, since every later run shares it (a
 * change would throw, not leak into the next plan). A record written is kept as given, so it
 * shares its objects with the render that made it: the next plan's comparison of that render
 * with one that reuses the record finds the same objects, not equal copies.
 *
 * Bounded by the records' serialized bytes, and by use: a record no run used in the last eight
 * (`endRun`) goes. A full memory admits nothing more rather than evicting: a plan asks for
 * every unit's record in the same order, so a least-recently-used cache smaller than the
 * fleet would evict each record just before it is asked again and never serve one (which is
 * why this is not lru-cache).
 */
/** Runs a record may go unused before it is let go. */
export const UNUSED_RUNS = 8

export class RecordMemory {
  private readonly kept = new Map<string, Kept>()
  private bytes = 0
  private run = 0

  constructor(readonly maxBytes: number) {}

  /** The record of `key`, or undefined when none is kept. */
  get(key: string): unknown {
    const k = this.kept.get(key)
    if (!k) return undefined
    k.run = this.run
    return k.value
  }

  /**
   * Keeps a record read from disk or given to be written (`size`: its serialized bytes). The
   * value is frozen here: neither the caller nor anyone else may change it afterwards.
   */
  keep(key: string, value: unknown, size: number): unknown {
    this.drop(key)
    if (this.bytes + size > this.maxBytes) return value
    this.kept.set(key, { value: frozen(value), size, run: this.run })
    this.bytes += size
    return value
  }

  /**
   * A run ended: records no run used in the last eight are let go. Not fewer: a plan that
   * reuses a whole cluster's walk asks for none of its units, and the next push that reaches
   * that cluster needs them again.
   */
  endRun(): void {
    this.run++
    for (const [key, k] of this.kept) if (k.run < this.run - (UNUSED_RUNS - 1)) this.drop(key)
  }

  /** Serialized bytes of the records kept. */
  get size(): number {
    return this.bytes
  }

  private drop(key: string): void {
    const k = this.kept.get(key)
    if (!k) return
    this.kept.delete(key)
    this.bytes -= k.size
  }
}

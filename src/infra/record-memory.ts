import { deserialize } from 'node:v8'
import { frozen } from '../core/model/frozen.js'

/** A record kept: its value once read (frozen), or until then its serialized bytes. */
interface Kept {
  value?: unknown
  bytes?: Uint8Array
  size: number
  /** The last run that used it. */
  run: number
}

/**
 * Records of a DiskRenderCache kept in memory between the runs of one long-lived process (a
 * warm plan worker of the App): a warm plan read every record back from disk and deserialized
 * it (a quarter of a 1,000-Kustomization replan, with the garbage it made). A record read is
 * kept as its value, frozen to the leaves, since every later run shares it (a change would
 * throw, not leak into the next plan); a record written is kept as its bytes and read once,
 * when first asked or between runs (`readAhead`), so it comes back exactly as from disk.
 *
 * Bounded by the records' serialized bytes, and by use: a record no run used in the last two
 * (`endRun`) goes. A full memory admits nothing more rather than evicting: a plan asks for
 * every unit's record in the same order, so a least-recently-used cache smaller than the
 * fleet would evict each record just before it is asked again and never serve one (which is
 * why this is not lru-cache).
 */
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
    if (k.bytes) {
      try {
        k.value = frozen(deserialize(k.bytes))
      } catch {
        this.drop(key)
        return undefined
      }
      delete k.bytes
    }
    return k.value
  }

  /** Keeps a value read from disk (`size`: its serialized bytes); the value is frozen here and must not change afterwards. */
  keepValue(key: string, value: unknown, size: number): unknown {
    this.admit(key, { value: frozen(value), size, run: this.run })
    return value
  }

  /** Keeps a record just written, as its serialized bytes. */
  keepBytes(key: string, bytes: Uint8Array): void {
    this.admit(key, { bytes, size: bytes.byteLength, run: this.run })
  }

  /**
   * Reads every record kept as bytes, between runs (a warm worker's idle time), so the next run
   * finds values; a record that cannot be read is let go.
   */
  readAhead(): void {
    for (const key of [...this.kept.keys()]) {
      const k = this.kept.get(key)
      if (k?.bytes) {
        const run = k.run
        this.get(key)
        k.run = run
      }
    }
  }

  /** A run ended: records no run used in the last two are let go. */
  endRun(): void {
    this.run++
    for (const [key, k] of this.kept) if (k.run < this.run - 1) this.drop(key)
  }

  /** Serialized bytes of the records kept. */
  get size(): number {
    return this.bytes
  }

  private admit(key: string, k: Kept): void {
    this.drop(key)
    if (this.bytes + k.size > this.maxBytes) return
    this.kept.set(key, k)
    this.bytes += k.size
  }

  private drop(key: string): void {
    const k = this.kept.get(key)
    if (!k) return
    this.kept.delete(key)
    this.bytes -= k.size
  }
}

/**
 * Records of units that read or hold a Secret value (a UnitMemo's volatile records), kept in
 * the memory of a process that plans the same repository again: the App's warm plan worker.
 * They are never written to a render cache, so without this every plan rendered those units
 * again (28 of the 1,000 fleet's, a fifth of a warm replan), although the worker keeps whole
 * renders that hold the same Secret values anyway.
 *
 * Only a trusted plan puts records here (a UnitMemo that may write), as for the render cache.
 * A record holds no tree: the questions it asked of a tree are checked against a later tree
 * through the tree's name (tree-delta.ts), so an old commit's tree is not kept alive by it.
 *
 * Bounded by the units kept, and by use: a unit no run used in the last eight (`endRun`) goes
 * (a plan that reuses a cluster's whole walk asks for none of its units).
 * When full, nothing more is admitted and nothing evicted: a plan asks for units in the same
 * order every time, and evicting the least recently used would drop each just before its turn.
 */
export class VolatileRecords<T = unknown> {
  private readonly kept = new Map<string, { entries: readonly T[]; run: number }>()
  private run = 0

  constructor(readonly maxUnits = 4096) {}

  /** The records kept for a unit key (none: an empty list). */
  get(key: string): readonly T[] {
    const k = this.kept.get(key)
    if (!k) return []
    k.run = this.run
    return k.entries
  }

  /** Keeps a unit's records, in place of those kept before; an empty list forgets the unit. */
  set(key: string, entries: readonly T[]): void {
    const had = this.kept.delete(key)
    if (entries.length === 0 || (!had && this.kept.size >= this.maxUnits)) return
    this.kept.set(key, { entries, run: this.run })
  }

  /** A run ended: units no run used in the last eight are let go. */
  endRun(): void {
    this.run++
    for (const [key, k] of this.kept) if (k.run < this.run - 7) this.kept.delete(key)
  }

  /** Units kept now. */
  get size(): number {
    return this.kept.size
  }
}

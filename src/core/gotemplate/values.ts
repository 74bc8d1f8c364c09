/**
 * Go values as templates see them. A GoMap is a Go map: ranged in sorted key order (Go sorts
 * basic keys; struct keys are sorted here by their printed form for a stable result), and a
 * missing key reads as the map's zero value.
 */
export class GoMap<V = unknown> {
  constructor(
    private readonly entries: [unknown, V][],
    private readonly zero: V | undefined = undefined,
  ) {}

  /** Sets a key (Sprig's `set` changes the map it is given, and returns it). */
  put(key: string, value: V): this {
    const hit = this.entries.find(([k]) => k === key)
    if (hit) hit[1] = value
    else this.entries.push([key, value])
    return this
  }

  /** Removes a key (Sprig's `unset`), returning the map. */
  remove(key: string): this {
    const at = this.entries.findIndex(([k]) => k === key)
    if (at >= 0) this.entries.splice(at, 1)
    return this
  }

  has(key: string): boolean {
    return this.entries.some(([k]) => k === key)
  }

  lookup(key: string): V | undefined {
    const hit = this.entries.find(([k]) => k === key)
    return hit ? hit[1] : this.zero
  }

  get size(): number {
    return this.entries.length
  }

  sortedEntries(): [unknown, V][] {
    return [...this.entries].sort(([a], [b]) => {
      const x = typeof a === 'number' && typeof b === 'number' ? a - b : formatValue(a) < formatValue(b) ? -1 : formatValue(a) > formatValue(b) ? 1 : 0
      return x
    })
  }

  keys(): unknown[] {
    return this.sortedEntries().map(([k]) => k)
  }
}

/** How Go's fmt `%v` (and a template action) prints a value. */
export function formatValue(v: unknown): string {
  if (v === undefined) return '<no value>'
  if (v === null) return '<nil>'
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`
  if (v instanceof GoMap) return `map[${v.sortedEntries().map(([k, x]) => `${formatValue(k)}:${formatValue(x)}`).join(' ')}]`
  if (typeof v === 'object') return `{${Object.values(v as Record<string, unknown>).map(formatValue).join(' ')}}`
  return String(v)
}

/** Go template truth: false, 0, nil, and empty strings, slices and maps are false. */
export function isTruthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false
  if (Array.isArray(v)) return v.length > 0
  if (v instanceof GoMap) return v.size > 0
  return true
}

/**
 * A value frozen to the leaves, to be shared instead of copied for each use: a unit's result is
 * shared by the render that made it and every reuse (copies were a third of a warm plan), a
 * record by every plan of a warm worker. Nothing downstream changes such a value: the walk,
 * the plan and the reports build their own values from it, and a change would fail at once
 * instead of leaking from one use into another. Maps cannot be frozen: their keys and values
 * are, and the Maps (provenance) are only read. Byte arrays are left as they are.
 */
export function frozen<T>(value: T): T {
  const visit = (v: unknown): void => {
    if (typeof v !== 'object' || v === null || Object.isFrozen(v) || ArrayBuffer.isView(v)) return
    if (v instanceof Map) {
      for (const [k, x] of v as Map<unknown, unknown>) {
        visit(k)
        visit(x)
      }
      return
    }
    Object.freeze(v)
    // Indexes and for-in, not Object.values: no array per object (a third of the walk over a
    // warm plan's records). Results are plain data: nothing enumerable is inherited.
    if (Array.isArray(v)) for (let i = 0; i < v.length; i++) visit(v[i])
    else for (const k in v) visit((v as Record<string, unknown>)[k])
  }
  visit(value)
  return value
}

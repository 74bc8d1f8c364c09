/**
 * About how many bytes a plain value (a parsed YAML document, a rendered object) holds in
 * memory: two per string character, eight per number or boolean, sixteen per object, array
 * and entry (a Map or a class instance counts its own enumerable fields only, as a plain object:
 * never a tree a value points at). Enough to bound a cache by size; not a measurement. An
 * object reached twice is counted twice (an overestimate, which only makes a cache hold less): telling shared objects
 * apart took a set of every object, a fiftieth of a cold render. A cycle cannot hang it: past
 * VISITS objects (at least 16 bytes each) the value is larger than any cache here holds, and
 * the estimate says so at once.
 */
export function approximateBytes(value: unknown): number {
  let total = 0
  let visits = 0
  const stack: unknown[] = [value]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'string') total += 2 * v.length
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') total += 8
    else if (typeof v !== 'object' || v === null) continue
    else if (ArrayBuffer.isView(v)) total += v.byteLength
    else {
      if (++visits > VISITS) return Math.max(total, Number.MAX_SAFE_INTEGER / 2)
      total += 16
      if (Array.isArray(v)) for (let i = 0; i < v.length; i++) stack.push(v[i])
      else {
        const o = v as Record<string, unknown>
        for (const k in o) {
          total += 16 + 2 * k.length
          stack.push(o[k])
        }
      }
    }
  }
  return total
}

/** Objects an estimate visits at most: 64 MiB of objects alone, more than any cache here holds (the largest, 64 MiB). */
const VISITS = 4 * 1024 * 1024

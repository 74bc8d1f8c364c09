/**
 * About how many bytes a plain value (a parsed YAML document, a rendered object) holds in
 * memory: two per string character, eight per number or boolean, sixteen per object, array
 * and entry. Enough to bound a cache by size; not a measurement.
 */
export function approximateBytes(value: unknown): number {
  let total = 0
  const stack: unknown[] = [value]
  const seen = new Set<object>()
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'string') total += 2 * v.length
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') total += 8
    else if (v instanceof Uint8Array) total += v.byteLength
    else if (v !== null && typeof v === 'object') {
      if (seen.has(v)) continue
      seen.add(v)
      total += 16
      if (Array.isArray(v)) for (const item of v) stack.push(item)
      else
        for (const [k, item] of Object.entries(v)) {
          total += 16 + 2 * k.length
          stack.push(item)
        }
    }
  }
  return total
}

/**
 * Whether a text holds any of many values, in one pass over the text: looking for every Secret
 * value in every string of a plan cost one pass per value (`includes`), and so grew with the
 * product of values and strings. On the 10,000-Kustomization benchmark fleet (600 values,
 * 890,000 strings long enough to hold one) that was 6.8 s of a 23 s plan.
 *
 * Rabin-Karp with many patterns: each value is entered by one window of WINDOW UTF-16 code
 * units, the window its values share least (`app874-c3-token` by `p874`, not by the `app8`
 * that a hundred values and every name of those apps start with); the windows' hashes go into
 * a bitmap with about a thousand bits per value, and into buckets by hash. A text is read
 * window by window: a set bit sends it to the bucket, where each value is compared in place.
 * So the answer is exact both ways.
 *
 * Written here rather than taken from a package: what is needed is an exact yes/no over UTF-16
 * code units, the searching and replacing itself left to `includes`/`replaceAll` as before;
 * the Aho-Corasick packages on npm report every match (more work per character), and are
 * small projects few depend on.
 */
export const WINDOW = 4

const MIN_BITS = 1 << 16
const MAX_BITS = 1 << 24
/** Windows weighed per value: a megabyte value must not cost a megabyte of hashing here. */
const WINDOWS_WEIGHED = 64

interface Entry {
  value: string
  /** Where the value's window starts in the value. */
  at: number
}

export class LiteralSet {
  private readonly bits: Uint32Array
  private readonly shift: number
  private readonly buckets = new Map<number, Entry[]>()

  /** `values`: each at least WINDOW code units long (a shorter one could never be found: refused). */
  constructor(values: Iterable<string>) {
    const list = [...new Set(values)]
    for (const v of list) if (v.length < WINDOW) throw new RangeError(`a value shorter than ${WINDOW} code units`)
    let size = list.length === 0 ? 32 : MIN_BITS
    while (size < MAX_BITS && size < list.length * 1024) size *= 2
    this.bits = new Uint32Array(size / 32)
    this.shift = 32 - Math.log2(size)
    // Each value's windows, hashed once: counted across values, then weighed.
    const windows = list.map((v) => Array.from({ length: Math.min(v.length - WINDOW + 1, WINDOWS_WEIGHED) }, (_, i) => hashAt(v, i)))
    const shared = new Map<number, number>()
    for (const hashes of windows) for (const h of new Set(hashes)) shared.set(h, (shared.get(h) ?? 0) + 1)
    for (const [n, value] of list.entries()) {
      const hashes = windows[n]!
      let at = 0
      for (let i = 1; i < hashes.length; i++) if (shared.get(hashes[i]!)! < shared.get(hashes[at]!)!) at = i
      const h = hashes[at]!
      const slot = h >>> this.shift
      this.bits[slot >>> 5]! |= 1 << (slot & 31)
      const bucket = this.buckets.get(h)
      if (bucket) bucket.push({ value, at })
      else this.buckets.set(h, [{ value, at }])
    }
  }

  /** True when one of the values occurs in `text`. */
  occursIn(text: string): boolean {
    const bits = this.bits
    for (let i = 0, end = text.length - WINDOW; i <= end; i++) {
      const h = hashAt(text, i)
      const slot = h >>> this.shift
      if ((bits[slot >>> 5]! & (1 << (slot & 31))) === 0) continue
      for (const e of this.buckets.get(h) ?? []) if (i >= e.at && text.startsWith(e.value, i - e.at)) return true
    }
    return false
  }
}

/** The window of WINDOW (4) code units at `i`, as two 32-bit halves mixed into 32 bits. */
function hashAt(text: string, i: number): number {
  const a = ((text.charCodeAt(i) << 16) | text.charCodeAt(i + 1)) >>> 0
  const b = ((text.charCodeAt(i + 2) << 16) | text.charCodeAt(i + 3)) >>> 0
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ (b >>> 15), 0x85ebca77)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

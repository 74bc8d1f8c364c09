/**
 * Go strings are byte sequences; Flux's envsubst counts, slices and matches UTF-8 bytes
 * (README "Things to know", S-8). This module represents such a string as a JS "byte
 * string": one UTF-16 code unit per byte (0–255), so `length`, `slice` and `indexOf` are
 * byte operations, exactly like Go's.
 */

const encoder = new TextEncoder()
// Go keeps a leading byte order mark in a string; TextDecoder drops it unless told not to.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true })

/** A JS string as its UTF-8 bytes, one char per byte. */
export function toBytes(text: string): string {
  const bytes = encoder.encode(text)
  let out = ''
  for (let i = 0; i < bytes.length; i += 4096) {
    out += String.fromCharCode(...bytes.subarray(i, i + 4096))
  }
  return out
}

/** Inverse of toBytes; invalid UTF-8 (a substring cutting a rune) becomes U+FFFD. */
export function fromBytes(bytes: string): string {
  const arr = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i++) arr[i] = bytes.charCodeAt(i)
  return decoder.decode(arr)
}

/** The Unicode replacement character Go's decoder yields for invalid input. */
export const RUNE_ERROR = 0xfffd

/**
 * Decodes the rune starting at byte `pos` of a byte string, as Go's
 * utf8.DecodeRuneInString: invalid or truncated sequences give (RUNE_ERROR, 1),
 * the end of the string gives (RUNE_ERROR, 0).
 */
export function decodeRune(bytes: string, pos: number): { rune: number; width: number } {
  if (pos >= bytes.length) return { rune: RUNE_ERROR, width: 0 }
  const b0 = bytes.charCodeAt(pos)
  if (b0 < 0x80) return { rune: b0, width: 1 }
  const need = b0 >= 0xf0 && b0 <= 0xf4 ? 3 : b0 >= 0xe0 ? (b0 <= 0xef ? 2 : -1) : b0 >= 0xc2 ? 1 : -1
  if (need < 0 || pos + need >= bytes.length) return { rune: RUNE_ERROR, width: 1 }
  let rune = need === 1 ? b0 & 0x1f : need === 2 ? b0 & 0x0f : b0 & 0x07
  for (let k = 1; k <= need; k++) {
    const b = bytes.charCodeAt(pos + k)
    if ((b & 0xc0) !== 0x80) return { rune: RUNE_ERROR, width: 1 }
    rune = (rune << 6) | (b & 0x3f)
  }
  const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return { rune: RUNE_ERROR, width: 1 }
  return { rune, width: need + 1 }
}

/** The UTF-8 bytes of one rune, as a byte string. */
export function encodeRune(rune: number): string {
  // By hand rather than through TextEncoder: case operators encode every rune of a value,
  // and a value may be megabytes long. Surrogates and out-of-range runes encode as RuneError.
  const r = (rune >= 0xd800 && rune <= 0xdfff) || rune > 0x10ffff || rune < 0 ? RUNE_ERROR : rune
  if (r < 0x80) return String.fromCharCode(r)
  if (r < 0x800) return String.fromCharCode(0xc0 | (r >> 6), 0x80 | (r & 0x3f))
  if (r < 0x10000) return String.fromCharCode(0xe0 | (r >> 12), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f))
  return String.fromCharCode(0xf0 | (r >> 18), 0x80 | ((r >> 12) & 0x3f), 0x80 | ((r >> 6) & 0x3f), 0x80 | (r & 0x3f))
}

/** The runes of a byte string, invalid bytes as RUNE_ERROR (Go's `[]rune(s)`). */
export function runesOf(bytes: string): number[] {
  const out: number[] = []
  for (let pos = 0; pos < bytes.length; ) {
    const { rune, width } = decodeRune(bytes, pos)
    out.push(rune)
    pos += width
  }
  return out
}

/** Go's `string([]rune)`: each rune UTF-8 encoded. */
export function runesToBytes(runes: number[]): string {
  return runes.map(encodeRune).join('')
}

import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * SHA-256 of file bytes, remembered per buffer: a file read many times (through filtered,
 * overlaid and mounted views of one tree, which hand out the same buffer) is hashed once.
 * Stored read-sets keep these instead of the bytes: equal ids mean equal bytes.
 */
const ids = new WeakMap<Uint8Array, string>()

export function contentId(bytes: Uint8Array): string {
  let id = ids.get(bytes)
  if (id === undefined) {
    id = bytesToHex(sha256(bytes))
    ids.set(bytes, id)
  }
  return id
}

/**
 * Digests of recent texts. The same texts come back within a plan: a unit's key in the base
 * and again in the head, the CustomResourceDefinitions every unit of a cluster asks for. A
 * Map of the text costs one native string hash where SHA-256 in JavaScript costs far more.
 * Bounded by the characters it holds: past the bound it starts afresh.
 */
const recentDigests = new Map<string, string>()
let recentChars = 0
const RECENT_CHARS = 16 * 1024 * 1024

/** SHA-256 of a text, hex: keys of stored records and stand-ins for long answers. */
export function textDigest(text: string): string {
  let d = recentDigests.get(text)
  if (d !== undefined) return d
  d = bytesToHex(sha256(utf8ToBytes(text)))
  if (text.length <= RECENT_CHARS) {
    if (recentChars + text.length > RECENT_CHARS) {
      recentDigests.clear()
      recentChars = 0
    }
    recentDigests.set(text, d)
    recentChars += text.length
  }
  return d
}

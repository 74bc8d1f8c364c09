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

/** SHA-256 of a text, hex: keys of stored records and stand-ins for long answers. */
export function textDigest(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}

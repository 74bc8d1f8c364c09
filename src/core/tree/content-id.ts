import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

/**
 * Content ids of file bytes, for read-sets and caches: equal ids mean equal bytes. Keyed by
 * the buffer itself, so a file read many times (through filtered, overlaid and mounted views
 * of one tree, which hand out the same buffer) is hashed once; buffers that came from Git
 * carry their blob id (`g…`), noted by whoever read them from Git, the rest get SHA-256 (`s…`).
 */
const ids = new WeakMap<Uint8Array, string>()

/** The content id of `bytes`. */
export function contentId(bytes: Uint8Array): string {
  let id = ids.get(bytes)
  if (id === undefined) {
    id = 's' + bytesToHex(sha256(bytes))
    ids.set(bytes, id)
  }
  return id
}

/**
 * Records that `bytes` are the Git blob `blobSha` (git computed it from these very bytes), so
 * they need not be hashed again. Anything that is not a blob id is ignored.
 */
export function noteGitBlobId(bytes: Uint8Array, blobSha: string): void {
  if (/^[0-9a-f]{40}$/.test(blobSha) && !ids.has(bytes)) ids.set(bytes, 'g' + blobSha)
}

/** SHA-256 of a text, hex: keys of caches and fingerprints of rendered objects. */
export function textDigest(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)))
}

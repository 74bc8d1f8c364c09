// Secret `data` holds base64 of bytes, nearly always UTF-8 text. One codec for every part of
// the core, built on the web-standard atob/btoa and TextEncoder/TextDecoder (no node:buffer).

const CHUNK = 0x8000

/** Base64 of raw bytes. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  // fromCharCode over a whole large file would exceed the argument limit; chunks keep it bounded.
  for (let i = 0; i < bytes.length; i += CHUNK) bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(bin)
}

/** Base64 of the UTF-8 bytes of `text`. */
export function encodeBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text))
}

/** UTF-8 text of base64 (lenient: invalid input gives '', invalid UTF-8 becomes U+FFFD). */
export function decodeBase64(b64: string): string {
  try {
    const bin = atob(b64.replace(/\s+/g, ''))
    // ignoreBOM keeps a leading byte order mark, as Go's string(bytes) does.
    return new TextDecoder('utf-8', { ignoreBOM: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)))
  } catch {
    return ''
  }
}

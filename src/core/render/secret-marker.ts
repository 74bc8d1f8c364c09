import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { isJsonObject, type JsonValue } from '../model/object.js'

// Used by both render/flux (masking rendered objects) and render/helm (masking merged values),
// so it sits above both rather than in either.

/** A marker that changes when the value changes but never reveals it (no `: `, so YAML-safe). */
export function maskOf(value: string): string {
  return `<secret:sha256:${bytesToHex(sha256(utf8ToBytes(value))).slice(0, 12)}>`
}

/** Every scalar leaf of a values tree, as text (the values a Secret contributed). */
export function leafStrings(v: JsonValue): string[] {
  if (Array.isArray(v)) return v.flatMap(leafStrings)
  if (isJsonObject(v)) return Object.values(v).flatMap(leafStrings)
  if (v === null) return []
  return [String(v)]
}

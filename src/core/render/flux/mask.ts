import { encodeBase64 } from '../../model/base64.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { maskOf } from '../secret-marker.js'

/**
 * The object with every occurrence of a Secret-sourced value (and of its base64 form, as it
 * lands in Secret `data`) replaced by its marker; undefined when nothing changed. Values of
 * fewer than 4 characters are masked only where they are a whole string, so `"1"` does not
 * blank every digit of the object.
 */
export function maskObject(obj: KubeObject, secrets: Iterable<string>): KubeObject | undefined {
  const pairs: [string, string][] = []
  for (const s of new Set(secrets)) {
    if (s === '') continue
    pairs.push([s, maskOf(s)])
    const b64 = encodeBase64(s)
    if (b64 !== s) pairs.push([b64, encodeBase64(maskOf(s))])
  }
  if (pairs.length === 0) return undefined
  pairs.sort((a, b) => b[0].length - a[0].length)
  let changed = false
  const walk = (v: JsonValue): JsonValue => {
    if (typeof v === 'string') {
      let out = v
      for (const [s, m] of pairs) {
        if (out === s) {
          out = m
          break
        }
        if (s.length >= 4 && out.includes(s)) out = out.split(s).join(m)
      }
      if (out !== v) changed = true
      return out
    }
    if (Array.isArray(v)) return v.map(walk)
    if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
    return v
  }
  const masked = walk(obj as unknown as JsonValue) as unknown as KubeObject
  return changed ? masked : undefined
}

/** Text (an error message) with Secret-sourced values of 4+ characters replaced by markers. */
export function maskText(text: string, secrets: Iterable<string>): string {
  let out = text
  for (const s of [...new Set(secrets)].sort((a, b) => b.length - a.length)) if (s.length >= 4) out = out.split(s).join(maskOf(s))
  return out
}

// The name suffix kustomize appends to generated ConfigMaps and Secrets (api/hasher): SHA-256 of a
// Go encoding/json rendering of selected fields, first 10 hex digits, with some digits and letters
// swapped for others so the suffix is never purely numeric and avoids vowels.
import type { JsonValue, KubeObject } from '../../../model/object.js'
import { isJsonObject } from '../../../model/object.js'
import { compareCodePoints } from './list-ops.js'
import { sha256Hex } from './sha256.js'

const SWAP: Readonly<Record<string, string>> = Object.freeze({ '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' })

const SHORT_ESCAPES: Readonly<Record<string, string>> = Object.freeze({
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
})

/** A string as Go's encoding/json writes it (HTML-safe escapes, U+2028/9 escaped, bad UTF-16 → U+FFFD). */
function goString(s: string): string {
  let out = '"'
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0
    const short = SHORT_ESCAPES[ch]
    if (short !== undefined) out += short
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`
    } else if (cp >= 0xd800 && cp <= 0xdfff) out += '\ufffd'
    else out += ch
  }
  return `${out}"`
}

function goNumber(n: number): string {
  // Go formats float64 like JavaScript except for the exponent's sign/padding ("1e+21", "1e-07" → "1e-7").
  return String(n)
}

/** JSON text exactly as Go's json.Marshal renders a decoded map[string]interface{} (keys sorted). */
export function goJson(v: JsonValue): string {
  if (v === null) return 'null'
  if (typeof v === 'string') return goString(v)
  if (typeof v === 'number') return goNumber(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`
  const keys = Object.keys(v).sort(compareCodePoints)
  return `{${keys.map((k) => `${goString(k)}:${goJson(v[k] ?? null)}`).join(',')}}`
}

/** The value kustomize's hasher reads at a field: maps as maps, scalars as their text, missing as "". */
function fieldValue(v: JsonValue | undefined): JsonValue {
  if (v === undefined || v === null) return ''
  if (Array.isArray(v)) return null
  if (isJsonObject(v)) return v
  return String(v)
}

function encodeForHash(obj: KubeObject): string {
  // kustomize looks the name up with the single path element "metadata/name", a key no object
  // has, so the name always hashes as "" (verified against kustomize v5.5.0 output).
  const name = ''
  if (obj.kind === 'ConfigMap') {
    const m: Record<string, JsonValue> = { kind: 'ConfigMap', name, data: fieldValue(obj['data'] as JsonValue | undefined) }
    const bin = obj['binaryData']
    if (isJsonObject(bin)) m['binaryData'] = bin
    return goJson(m)
  }
  if (obj.kind === 'Secret') {
    const m: Record<string, JsonValue> = {
      kind: 'Secret',
      type: fieldValue(obj['type'] as JsonValue | undefined),
      name,
      data: fieldValue(obj['data'] as JsonValue | undefined),
    }
    const sd = obj['stringData']
    if (isJsonObject(sd)) m['stringData'] = sd
    return goJson(m)
  }
  // kustomize hashes other kinds from its YAML node structure; the whole object is the closest
  // stable stand-in (only reached through the `needs-hash` annotation on other kinds).
  return goJson(obj as unknown as JsonValue)
}

/** kustomize's content hash suffix for a generated object (e.g. `my-cm-<hash>`). */
export function nameHash(obj: KubeObject): string {
  const hex = sha256Hex(new TextEncoder().encode(encodeForHash(obj)))
  return [...hex.slice(0, 10)].map((c) => SWAP[c] ?? c).join('')
}

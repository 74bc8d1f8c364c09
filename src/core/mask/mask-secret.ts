import type { JsonObject, JsonValue, KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import type { FieldChange } from '../model/plan.js'
import { MASK, MASK_AFTER, MASK_BEFORE } from './markers.js'

/** Secret fields whose values are never shown (`stringData` is folded into `data` by normalize). */
const VALUE_FIELDS = ['data', 'stringData', 'binaryData'] as const

/** Annotations that hold a copy of the whole object, values included. */
const COPY_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration']

/**
 * Masks the two sides of a Secret together, as `flux diff` does: every value becomes `***`,
 * and a key whose value differs shows `*** (before)` and `*** (after)`, so the diff names the
 * keys that were added, removed or changed and nothing else. Values are compared here, in
 * memory, and dropped. SOPS ciphertext is masked the same way.
 */
export function maskSecretPair(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
): { before?: KubeObject; after?: KubeObject } {
  const b = before ? (structuredClone(before) as unknown as JsonObject) : undefined
  const a = after ? (structuredClone(after) as unknown as JsonObject) : undefined
  for (const field of VALUE_FIELDS) {
    const bm = b && isJsonObject(b[field]) ? b[field] : undefined
    const am = a && isJsonObject(a[field]) ? a[field] : undefined
    const originalBefore = before && isJsonObject(before[field]) ? before[field] : undefined
    const originalAfter = after && isJsonObject(after[field]) ? after[field] : undefined
    const changed = (k: string): boolean => originalBefore !== undefined && originalAfter !== undefined && Object.hasOwn(originalBefore, k) && Object.hasOwn(originalAfter, k) && originalBefore[k] !== originalAfter[k]
    if (bm) for (const k of Object.keys(bm)) bm[k] = changed(k) ? MASK_BEFORE : MASK
    if (am) for (const k of Object.keys(am)) am[k] = changed(k) ? MASK_AFTER : MASK
  }
  for (const side of [b, a]) if (side) maskCopies(side)
  for (const side of [b, a]) if (side) maskCiphertext(side)
  return { ...(b ? { before: b as unknown as KubeObject } : {}), ...(a ? { after: a as unknown as KubeObject } : {}) }
}

function maskCopies(obj: JsonObject): void {
  if (Object.hasOwn(obj, 'sops')) obj['sops'] = MASK
  const meta = obj['metadata']
  const annotations = isJsonObject(meta) ? meta['annotations'] : undefined
  if (!isJsonObject(annotations)) return
  for (const key of COPY_ANNOTATIONS) if (Object.hasOwn(annotations, key)) annotations[key] = MASK
}

/** SOPS ciphertext marks a value as encrypted wherever it sits (`encrypted_regex` can reach any field). */
export function isCiphertext(v: JsonValue | undefined): boolean {
  if (typeof v === 'string') return v.includes('ENC[')
  if (Array.isArray(v)) return v.some(isCiphertext)
  if (v !== null && typeof v === 'object') return Object.values(v).some(isCiphertext)
  return false
}

function maskCiphertext(obj: JsonObject): void {
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') {
      if (v.includes('ENC[')) obj[k] = MASK
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => {
        if (typeof x === 'string' && x.includes('ENC[')) v[i] = MASK
        else if (isJsonObject(x)) maskCiphertext(x)
      })
    } else if (isJsonObject(v)) maskCiphertext(v)
  }
}

/**
 * Field changes of a Secret (or a SOPS object) with every value replaced: the path (which key)
 * stays, the values become markers.
 */
export function maskSecretFields(fields: FieldChange[]): FieldChange[] {
  return fields.map((f) => {
    const top = f.path.split('/')[0] ?? ''
    const hidden = (VALUE_FIELDS as readonly string[]).includes(top) || top === 'sops' || f.path.includes('last-applied-configuration') || isCiphertext(f.before) || isCiphertext(f.after)
    if (!hidden) return f
    const out: FieldChange = { path: f.path }
    const both = f.before !== undefined && f.after !== undefined
    if (f.before !== undefined) out.before = both ? MASK_BEFORE : MASK
    if (f.after !== undefined) out.after = both ? MASK_AFTER : MASK
    return out
  })
}

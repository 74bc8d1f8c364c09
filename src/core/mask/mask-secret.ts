import type { JsonObject, KubeObject } from '../model/object.js'
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
  return { ...(b ? { before: b as unknown as KubeObject } : {}), ...(a ? { after: a as unknown as KubeObject } : {}) }
}

function maskCopies(obj: JsonObject): void {
  if (Object.hasOwn(obj, 'sops')) obj['sops'] = MASK
  const meta = obj['metadata']
  const annotations = isJsonObject(meta) ? meta['annotations'] : undefined
  if (!isJsonObject(annotations)) return
  for (const key of COPY_ANNOTATIONS) if (Object.hasOwn(annotations, key)) annotations[key] = MASK
}

/**
 * Field changes of a Secret with every value replaced: the path (which key) stays, the values
 * become markers.
 */
export function maskSecretFields(fields: FieldChange[]): FieldChange[] {
  return fields.map((f) => {
    const top = f.path.split('/')[0] ?? ''
    const hidden = (VALUE_FIELDS as readonly string[]).includes(top) || top === 'sops' || f.path.includes('last-applied-configuration')
    if (!hidden) return f
    const out: FieldChange = { path: f.path }
    const both = f.before !== undefined && f.after !== undefined
    if (f.before !== undefined) out.before = both ? MASK_BEFORE : MASK
    if (f.after !== undefined) out.after = both ? MASK_AFTER : MASK
    return out
  })
}

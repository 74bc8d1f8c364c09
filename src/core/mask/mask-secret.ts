import type { JsonObject, KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import type { FieldChange } from '../model/plan.js'
import { SECRET_ADDED, SECRET_CHANGED, SECRET_MARKER } from './redactor.js'

/** Secret fields whose values are never shown (`stringData` is folded into `data` by normalize). */
const VALUE_FIELDS = ['data', 'stringData', 'binaryData'] as const

/** Annotations that hold a copy of the whole object, values included. */
const COPY_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration']

/**
 * Masks the two sides of a Secret together: every value becomes `<secret>`, a key whose value
 * differs shows `<secret: changed>` on the head side and a key only head has shows
 * `<secret: added>`, so the diff names the keys that changed and nothing else. Values are
 * compared here, in memory, and dropped. SOPS ciphertext is masked the same way.
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
    if (bm) for (const k of Object.keys(bm)) bm[k] = SECRET_MARKER
    if (!am) continue
    const original = before && isJsonObject(before[field]) ? before[field] : undefined
    for (const [k, v] of Object.entries(am)) {
      const old = original?.[k]
      am[k] = old === undefined ? SECRET_ADDED : old === v ? SECRET_MARKER : SECRET_CHANGED
    }
  }
  for (const side of [b, a]) if (side) maskCopies(side)
  return { ...(b ? { before: b as unknown as KubeObject } : {}), ...(a ? { after: a as unknown as KubeObject } : {}) }
}

function maskCopies(obj: JsonObject): void {
  if ('sops' in obj) obj['sops'] = SECRET_MARKER
  const meta = obj['metadata']
  const annotations = isJsonObject(meta) ? meta['annotations'] : undefined
  if (!isJsonObject(annotations)) return
  for (const key of COPY_ANNOTATIONS) if (key in annotations) annotations[key] = SECRET_MARKER
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
    if (f.before !== undefined) out.before = SECRET_MARKER
    if (f.after !== undefined) out.after = f.before === undefined ? SECRET_ADDED : SECRET_CHANGED
    return out
  })
}

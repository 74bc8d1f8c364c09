import type { JsonObject, JsonValue, KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { cloneJson } from '../model/clone.js'
import type { FieldChange } from '../model/plan.js'
import { MASK, MASK_AFTER, MASK_BEFORE } from './markers.js'
import { maskSecretFields, maskSecretPair } from './mask-secret.js'
import { isSecret } from './policy.js'

/** Secrets and objects holding SOPS data (a `sops` map): their values are masked pair-wise. */
function hidden(obj: KubeObject | undefined): boolean {
  return obj !== undefined && (isSecret(obj) || Object.hasOwn(obj, 'sops'))
}
import type { Redactor } from './redactor.js'

/** The two sides of one object change and its field changes, with no secret value left. */
export interface MaskedChange {
  before?: KubeObject
  after?: KubeObject
  fields: FieldChange[]
}

/**
 * Masks one object change before it can reach a Plan: Secrets field by field (keys stay,
 * values become markers), then every string on both sides through the redactor (values
 * substituted from Secrets, Helm values from Secrets). When only a secret value changed, the
 * two sides say `*** (before)` and `*** (after)` at that spot, so the change stays visible.
 */
export function maskChange(
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  fields: FieldChange[],
  redactor: Redactor,
): MaskedChange {
  const secret = hidden(before) || hidden(after)
  const pair = secret ? maskSecretPair(before, after) : { before, after }
  const masked: MaskedChange = { fields: [] }
  if (pair.before) masked.before = redactor.json(pair.before as unknown as JsonValue) as unknown as KubeObject
  if (pair.after) masked.after = redactor.json(pair.after as unknown as JsonValue) as unknown as KubeObject
  // The redactor hands back what holds no secret value as it is: copy before marking.
  let copied = false
  for (const f of secret ? maskSecretFields(fields) : fields) {
    const out: FieldChange = { path: f.path }
    if (f.before !== undefined) out.before = redactor.json(f.before)
    if (f.after !== undefined) out.after = redactor.json(f.after)
    if (f.before !== undefined && f.after !== undefined && sameText(out.before, out.after)) {
      out.before = markChanged(out.before as JsonValue, MASK_BEFORE)
      out.after = markChanged(out.after as JsonValue, MASK_AFTER)
      if (!copied) {
        if (masked.before) masked.before = cloneJson(masked.before as unknown as JsonValue) as unknown as KubeObject
        if (masked.after) masked.after = cloneJson(masked.after as unknown as JsonValue) as unknown as KubeObject
        copied = true
      }
      if (masked.before) setAt(masked.before as unknown as JsonObject, f.path, out.before)
      if (masked.after) setAt(masked.after as unknown as JsonObject, f.path, out.after)
    }
    masked.fields.push(out)
  }
  return masked
}

function sameText(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function markChanged(v: JsonValue, marker: string): JsonValue {
  if (typeof v === 'string' && v.includes(MASK)) return v.replaceAll(MASK, marker)
  return marker
}

function setAt(root: JsonObject, path: string, value: JsonValue): void {
  const keys = path.split('/').map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'))
  let node: JsonValue = root
  for (const key of keys.slice(0, -1)) {
    if (Array.isArray(node)) node = node[Number(key)] ?? null
    else if (isJsonObject(node) && Object.hasOwn(node, key)) node = node[key] ?? null
    else return
  }
  const last = keys[keys.length - 1] ?? ''
  if (Array.isArray(node)) node[Number(last)] = value
  else if (isJsonObject(node) && Object.hasOwn(node, last)) node[last] = value
}

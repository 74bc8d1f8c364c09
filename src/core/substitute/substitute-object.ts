import { isJsonObject, isKubeObject, type JsonValue, type KubeObject } from '../model/object.js'
import { envsubst, MAX_SUBSTITUTED_BYTES, type EnvsubstOptions } from './envsubst.js'
import { checkText, compareKeys, emitDocument, readYaml11 } from '../yaml/index.js'
import { timed } from '../timings/phases.js'

/** `spec.postBuild.substituteStrategy` (kc v1.9+); default WithVariables. */
export type SubstituteStrategy = 'WithVariables' | 'Always'

/** Options of substituteObject. */
export interface SubstituteObjectOptions {
  /** StrictPostBuildSubstitutions feature gate (S-11). */
  strict: boolean
  strategy?: SubstituteStrategy
  /**
   * Variables that exist with values only the cluster has: `names` (keys of a source whose values
   * are unknown), and `any` when a source's very keys are unknown (then every variable not in
   * the map may be one of them). Expressions reading them stay as placeholders.
   */
  unknown?: { names: readonly string[]; any: boolean }
  /** Secret variables, and where what expressions make of them is collected (envsubst). */
  secrets?: EnvsubstOptions['secrets']
}

/** A substituted object, with the expressions left as placeholders (empty when none). */
export type SubstituteObjectResult = { ok: true; object: KubeObject; placeholders?: string[] } | { ok: false; error: string }

/** The label/annotation that opts one object out (S-2). */
export const SUBSTITUTE_OPT_OUT_KEY = 'kustomize.toolkit.fluxcd.io/substitute'

/** The pattern Flux checks every variable name against, as Flux prints it (S-6). */
export const VAR_NAME_PATTERN = '^[_[:alpha:]][_[:alpha:][:digit:]]*$'
const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/

/** True when the built object opts out of substitution: value exactly `disabled` (S-2). */
export function isSubstitutionDisabled(obj: KubeObject): boolean {
  const { labels, annotations } = obj.metadata
  return labels?.[SUBSTITUTE_OPT_OUT_KEY] === 'disabled' || annotations?.[SUBSTITUTE_OPT_OUT_KEY] === 'disabled'
}

/**
 * Flux's per-object postBuild step (S-1 … S-11): returns the object unchanged when it
 * opts out (S-2) or when the map is empty and the strategy is not Always (S-5); otherwise
 * checks every variable name (S-6), writes the object as go-yaml text, runs envsubst on
 * that text and reads it back with YAML 1.1 rules (S-3: `"${n}"` with n=3 becomes the
 * number 3). Error texts follow kustomize-controller's and never contain variable values.
 * Pure; the input object is not modified.
 */
function substituteObjectUntimed(
  obj: KubeObject,
  vars: Record<string, string>,
  opts: SubstituteObjectOptions,
): SubstituteObjectResult {
  if (isSubstitutionDisabled(obj)) return { ok: true, object: obj }
  const unknown = opts.unknown
  // The cluster's map is not empty when a source only the cluster has exists (S-5).
  const names = [...Object.keys(vars), ...(unknown?.names ?? [])]
  if (names.length === 0 && !unknown?.any && opts.strategy !== 'Always') return { ok: true, object: obj }
  const bad = names.find((n) => !VAR_NAME.test(n))
  if (bad !== undefined) {
    return { ok: false, error: `envsubst error: '${bad}' var name is invalid, must match '${VAR_NAME_PATTERN}'` }
  }
  const text = emitDocument(obj as unknown as JsonValue)
  if (!text.includes('$')) {
    const same = readBackWithoutVariables(obj, text)
    if (same) return { ok: true, object: same }
  }
  const known = new Set(unknown?.names ?? [])
  const result = envsubst(text, vars, { strict: opts.strict, ...(unknown ? { unknown: (n: string) => unknown.any || known.has(n) } : {}), ...(opts.secrets ? { secrets: opts.secrets } : {}) })
  if (!result.ok) return { ok: false, error: `envsubst error: variable substitution failed: ${result.error}` }
  const parsed = readYaml11(result.text)
  if (!parsed.ok) return { ok: false, error: `envsubst error: ${parsed.error}` }
  if (!isJsonObject(parsed.value)) return { ok: false, error: 'envsubst error: UnmarshalJSON: the substituted object is not a mapping' }
  if (!isKubeObject(parsed.value)) {
    // Flux's shape check ran before substitution; a substitution that breaks it fails at apply
    return { ok: false, error: 'envsubst error: the substituted object has no apiVersion, kind or metadata.name' }
  }
  return result.placeholders ? { ok: true, object: parsed.value, placeholders: result.placeholders } : { ok: true, object: parsed.value }
}
export const substituteObject = timed('flux: postBuild substitution', substituteObjectUntimed)

/**
 * The object Flux gets back from text without a `$`: envsubst leaves such text as it is, and
 * reading back what the emitter wrote gives the same strings, booleans and nulls (it quotes
 * every string YAML 1.1 would read as something else), with map keys in the emitter's order.
 * Reading the text back is most of a fleet's substitution time, and most objects use no
 * variable. Undefined (read the text back) where the trip could change a value or fail:
 * numbers other than safe integers (-0, floats, huge integers), strings that are not
 * well-formed UTF-16 (the UTF-8 round trip replaces lone surrogates), and text past the
 * substitution or YAML budgets, whose errors the full path reports.
 */
function readBackWithoutVariables(obj: KubeObject, text: string): KubeObject | undefined {
  if (text.length * 3 > MAX_SUBSTITUTED_BYTES) return undefined
  try {
    checkText(text)
  } catch {
    return undefined
  }
  const copy = sortedCopy(obj as unknown as JsonValue)
  return copy === undefined ? undefined : (copy as unknown as KubeObject)
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u

function sortedCopy(v: JsonValue): JsonValue | undefined {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? v : undefined
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? undefined : v
  if (Array.isArray(v)) {
    const out: JsonValue[] = []
    for (const item of v) {
      const c = sortedCopy(item)
      if (c === undefined) return undefined
      out.push(c)
    }
    return out
  }
  if (typeof v !== 'object') return undefined
  const out: { [k: string]: JsonValue } = {}
  for (const k of Object.keys(v).sort(compareKeys)) {
    if (LONE_SURROGATE.test(k)) return undefined
    const c = sortedCopy(v[k] as JsonValue)
    if (c === undefined) return undefined
    // defineProperty: `__proto__` is an ordinary key here, as the YAML reader makes it.
    Object.defineProperty(out, k, { value: c, enumerable: true, writable: true, configurable: true })
  }
  return out
}

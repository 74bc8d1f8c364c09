import { isJsonObject, isKubeObject, type JsonValue, type KubeObject } from '../model/object.js'
import { LRUCache } from 'lru-cache'
import { envsubst, MAX_SUBSTITUTED_BYTES, type EnvsubstOptions } from './envsubst.js'
import { checkText, compareKeys, emitDocument, readYaml11 } from '../yaml/index.js'
import { setOwn } from '../model/own.js'
import { timed } from '../timings/phases.js'
import { textShape } from './text-bound.js'

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
  readingBack?: ReadingBack,
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
  // The shortcuts need the text only for its `$` and its budgets; a small enough object
  // answers both without writing it (text-bound.ts).
  const shape = textShape(obj as unknown as JsonValue)
  const fits = shape !== undefined && shape.bound * 3 + 256 <= MAX_SUBSTITUTED_BYTES
  let text = fits ? undefined : emitDocument(obj as unknown as JsonValue)
  if (fits ? !shape.dollar : !text!.includes('$')) {
    const same = readBackWithoutVariables(obj, text)
    if (same) return { ok: true, object: same }
  }
  const known = new Set(unknown?.names ?? [])
  const envOpts: EnvsubstOptions = { strict: opts.strict, ...(unknown ? { unknown: (n: string) => unknown.any || known.has(n) } : {}), ...(opts.secrets ? { secrets: opts.secrets } : {}) }
  if (!unknown) {
    const scalars = substituteScalars(obj, fits ? shape.bound : text!, vars, envOpts)
    if (scalars && isKubeObject(scalars)) return { ok: true, object: scalars }
  }
  text ??= emitDocument(obj as unknown as JsonValue)
  const full = readBack.bind(undefined, text, vars, envOpts)
  return readingBack ? readingBack(full) : full()
}

/**
 * How a caller runs the full path (envsubst of the whole text, then reading it back), the
 * one worth memoizing: substitute-memo.ts keeps its results; the shortcuts are cheaper than
 * a memo key.
 */
export type ReadingBack = (full: () => SubstituteObjectResult) => SubstituteObjectResult

function readBack(text: string, vars: Record<string, string>, envOpts: EnvsubstOptions): SubstituteObjectResult {
  const result = envsubst(text, vars, envOpts)
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
function readBackWithoutVariables(obj: KubeObject, text: string | undefined): KubeObject | undefined {
  if (text !== undefined && !withinBudgets(text, 0)) return undefined
  const copy = sortedCopy(obj as unknown as JsonValue)
  return copy === undefined ? undefined : (copy as unknown as KubeObject)
}

/**
 * The object Flux gets back when its variables sit only in simple string values: each such
 * value is a plain scalar of the text on a line of its own (`app-${cluster}`: letters, digits,
 * `_./-` and the self-contained expressions of EXPRESSION only, which the emitter writes as
 * they are), so envsubst of the whole text changes exactly those scalars, each as envsubst of
 * the scalar alone would, and reading the text back reads each new scalar as YAML 1.1 reads
 * it alone. Undefined, and the full path decides, for: a result that could read differently
 * elsewhere (characters other than letters, digits and `_./:@+=,-`; a first one of `-,:@`; a
 * last `:`; over 256 bytes), an expression envsubst fails on or leaves as a placeholder, a `$`
 * in a key or in any other value, and text near the budgets. Reading back was most of a
 * fleet's substitution time.
 */
function substituteScalars(obj: KubeObject, text: string | number, vars: Record<string, string>, opts: EnvsubstOptions): KubeObject | undefined {
  let grown = 0
  const scalar = (s: string): JsonValue | undefined => {
    if (!SIMPLE_WITH_VARIABLES.test(s) || !emittedAsIs(s)) return undefined
    const r = envsubst(s, vars, opts)
    if (!r.ok || r.placeholders || r.text.length > 256 || !SAFE_RESULT.test(r.text)) return undefined
    grown += r.text.length
    return readAlone(r.text)
  }
  // The written text, or the bound of its length when it was not written (textShape).
  const length = typeof text === 'number' ? text : text.length
  if (typeof text === 'string' && !withinBudgets(text, 256)) return undefined
  const copy = sortedCopy(obj as unknown as JsonValue, scalar)
  if (copy === undefined || length * 3 + grown > MAX_SUBSTITUTED_BYTES) return undefined
  return copy as unknown as KubeObject
}

/**
 * An expression that means the same alone as inside the whole text: `${NAME}`, a default
 * (`${NAME:=word}`, `:-`, `=`, `-`, `:+`, `+`, `:?`, `?`, the form fleets use most) or a case
 * change (`^`, `^^`, `,`, `,,`). Its word holds no `$`, `{`, `}` or `:`, so the first `}`
 * ends it; every such operator is a pure function of the variable (funcs.ts), none assigns.
 */
const EXPRESSION = String.raw`\$\{[_A-Za-z][_A-Za-z0-9]*(?:(?::?[-=+?])[A-Za-z0-9_./-]*|\^\^?|,,?)?\}`
/**
 * Only literal `[A-Za-z0-9_./-]` and such expressions. A literal is never `$`, so a match
 * with a `$` in it holds an expression, and the one star keeps the match linear in the
 * length: a required expression between two stars backtracks quadratically.
 */
const SIMPLE_WITH_VARIABLES = new RegExp(`^(?:[A-Za-z0-9_./-]|${EXPRESSION})+$`)
/** A plain scalar that reads the same as a mapping value or a sequence entry, on one line. */
const SAFE_RESULT = /^(?:[A-Za-z0-9_./+=][A-Za-z0-9_./:@+=,-]*[A-Za-z0-9_./@+=,-]|[A-Za-z0-9_./+=])?$/

// A fleet substitutes the same few values everywhere: both answers are kept per text.
const emitted = new LRUCache<string, boolean>({ max: 4096 })
const readings = new LRUCache<string, { v: JsonValue | undefined }>({ max: 4096 })

function emittedAsIs(s: string): boolean {
  let hit = emitted.get(s)
  if (hit === undefined) emitted.set(s, (hit = emitDocument({ k: s }) === `k: ${s}\n`))
  return hit
}

/** The scalar `r` reads as on a line of its own; undefined for anything else (the full path decides). */
function readAlone(r: string): JsonValue | undefined {
  let hit = readings.get(r)
  if (hit === undefined) {
    const parsed = readYaml11(`k: ${r}\n`)
    const v = parsed.ok && isJsonObject(parsed.value) && Object.keys(parsed.value).length === 1 && Object.hasOwn(parsed.value, 'k') ? parsed.value['k'] : undefined
    readings.set(r, (hit = { v: v !== null && typeof v === 'object' ? undefined : v }))
  }
  return hit.v
}

/** Whether the full path would pass the text's budgets: substitution's size (with `extra` to grow) and YAML's. */
function withinBudgets(text: string, extra: number): boolean {
  if (text.length * 3 + extra > MAX_SUBSTITUTED_BYTES) return false
  try {
    checkText(text)
    return true
  } catch {
    return false
  }
}

const LONE_SURROGATE = /[\uD800-\uDFFF]/u

/**
 * A copy with keys in the emitter's order; undefined where the text's trip could change a value.
 * Strings with a `$` go to `variables` (undefined: none may have one).
 */
function sortedCopy(v: JsonValue, variables?: (s: string) => JsonValue | undefined): JsonValue | undefined {
  if (v === null || typeof v === 'boolean') return v
  if (typeof v === 'number') return Number.isSafeInteger(v) && !Object.is(v, -0) ? v : undefined
  if (typeof v === 'string') return LONE_SURROGATE.test(v) ? undefined : v.includes('$') ? variables?.(v) : v
  if (Array.isArray(v)) {
    const out: JsonValue[] = []
    for (const item of v) {
      const c = sortedCopy(item, variables)
      if (c === undefined) return undefined
      out.push(c)
    }
    return out
  }
  if (typeof v !== 'object') return undefined
  const out: { [k: string]: JsonValue } = {}
  for (const k of Object.keys(v).sort(compareKeys)) {
    if (LONE_SURROGATE.test(k) || k.includes('$')) return undefined
    const c = sortedCopy(v[k] as JsonValue, variables)
    if (c === undefined) return undefined
    // `__proto__` is an ordinary key here, as the YAML reader makes it; a plain store is faster for every other key.
    if (k === '__proto__') setOwn(out, k, c)
    else out[k] = c
  }
  return out
}

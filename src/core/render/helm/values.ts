import { getOwn, setOwn } from '../../model/own.js'
import { readYaml11 } from '../../yaml/index.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { MASK } from '../../mask/markers.js'
import type { SourceOrigin, SourceRead, SourceResolve, ValueSourceRef } from '../values/sources.js'
import { setPath } from './strvals.js'

/** What the render did for want of a value only the cluster has. */
export interface UnknownValue {
  ref: ValueSourceRef
  text: string
}

/** The value set at a `targetPath` whose source value only the cluster has (visible, never a real value). */
export function valuesPlaceholder(ref: Pick<ValueSourceRef, 'kind' | 'name'>, key: string): string {
  return `\${${ref.kind}/${ref.name}:${key}}`
}

/** Merged values for helm, the same with Secret-sourced parts masked for reports. */
export interface MergedValues {
  values: JsonObject
  masked: JsonObject
  /** The scalar values that came from Secrets, for masking rendered objects (never printed). */
  secretValues: string[]
  diagnostics: Diagnostic[]
  failed: boolean
  /** The valuesFrom sources read, and what was known of each. */
  reads: SourceRead[]
  /** What was left unknown (a placeholder set, a values document skipped). */
  unknown: UnknownValue[]
}

/**
 * helm-controller's values merge (H-7, H-8): each valuesFrom entry in order (whole document
 * deep-merged, or one value at `targetPath`), then `spec.values` over everything.
 */
export function mergeValues(spec: JsonObject, namespace: string, resolve: SourceResolve): MergedValues {
  const diagnostics: Diagnostic[] = []
  let values: JsonObject = {}
  let masked: JsonObject = {}
  let failed = false
  const secretValues: string[] = []
  const reads: SourceRead[] = []
  const unknown: UnknownValue[] = []
  const entries = Array.isArray(spec['valuesFrom']) ? spec['valuesFrom'].filter(isJsonObject) : []
  for (const ref of entries) {
    const kind = ref['kind'] === 'Secret' ? 'Secret' : 'ConfigMap'
    const name = String(ref['name'] ?? '')
    const key = typeof ref['valuesKey'] === 'string' && ref['valuesKey'] ? ref['valuesKey'] : 'values.yaml'
    const optional = ref['optional'] === true
    const source: ValueSourceRef = { kind, namespace, name, optional, key }
    const resolved = resolve(source)
    if (resolved) reads.push({ ref: source, resolved })
    const targetPath = typeof ref['targetPath'] === 'string' ? ref['targetPath'] : ''
    const text = resolved ? getOwn(resolved.data, key) : undefined
    if (resolved && text === undefined && (resolved.anyKey === true || resolved.unknownKeys?.includes(key))) {
      // The key's value lives only in the cluster: a placeholder at the target path, or a values document left out.
      if (targetPath) {
        const placeholder = valuesPlaceholder(source, key)
        const err = setPath(values, targetPath, placeholder, true) ?? setPath(masked, targetPath, placeholder, true)
        if (err) {
          diagnostics.push({ code: 'helm/invalid-target-path', severity: 'error', message: `valuesFrom ${kind} ${namespace}/${name}: ${err}` })
          failed = true
        } else unknown.push({ ref: source, text: `${targetPath} of HelmRelease ${namespace} is the placeholder ${placeholder}` })
      } else unknown.push({ ref: source, text: `its key '${key}' is a values document only the cluster has: the chart is rendered without it, so its objects may differ in the cluster` })
      continue
    }
    if (text === undefined) {
      // Missing object or missing key: skipped when optional, else the release fails (H-7).
      if (!optional) {
        diagnostics.push({ code: 'helm/values-not-found', severity: 'error', message: `valuesFrom ${kind} ${namespace}/${name} has no key '${key}'${resolved ? `: ${keysFrom(resolved.origin, Object.keys(resolved.data), resolved.unknownKeys ?? [])}` : ''}` })
        failed = true
      }
      continue
    }
    const secret = kind === 'Secret'
    if (targetPath) {
      if (secret) secretValues.push(text)
      const literal = ref['literal'] === true
      const err = setPath(values, targetPath, text, literal) ?? setPath(masked, targetPath, secret ? MASK : text, secret || literal)
      if (err) {
        diagnostics.push({ code: 'helm/invalid-target-path', severity: 'error', message: `valuesFrom ${kind} ${namespace}/${name}: ${err}` })
        failed = true
      }
      continue
    }
    // helm-controller reads these with Helm's ReadValues: sigs.k8s.io/yaml, i.e. YAML 1.1
    // (`yes`/`on` are booleans), and a document that is not a map fails the release.
    const read = readYaml11(text)
    const doc = read.ok ? read.value : undefined
    if (!read.ok || (doc !== null && !isJsonObject(doc))) {
      const why = !read.ok ? (secret ? 'invalid YAML' : read.error) : `cannot unmarshal ${Array.isArray(doc) ? 'array' : typeof doc} into values`
      diagnostics.push({ code: 'helm/invalid-values', severity: 'error', message: `valuesFrom ${kind} ${namespace}/${name} key '${key}': ${why}` })
      failed = true
      continue
    }
    if (!isJsonObject(doc)) continue
    if (secret) secretValues.push(...leafStrings(doc))
    values = deepMerge(values, doc)
    masked = deepMerge(masked, secret ? (maskTree(doc) as JsonObject) : doc)
  }
  const inline = isJsonObject(spec['values']) ? spec['values'] : {}
  return { values: deepMerge(values, inline), masked: deepMerge(masked, inline), secretValues, diagnostics, failed, reads, unknown }
}

/** Which keys the source has, and what says so. */
function keysFrom(origin: SourceOrigin, known: string[], unknownKeys: readonly string[]): string {
  const keys = [...known, ...unknownKeys]
  const list = keys.length === 0 ? 'no keys' : `keys ${keys.slice(0, 8).map((k) => `'${k}'`).join(', ')}`
  switch (origin.type) {
    case 'render': return `the object in the render has ${list}`
    case 'creator': return `${origin.what} gives it ${list}`
    case 'supplied': return `the values supplied in ${origin.from} have ${list}`
    default: return `it has ${list}`
  }
}

/** Maps merged recursively, everything else replaced (fluxcd/pkg chartutil MergeMaps). */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base }
  for (const [k, v] of Object.entries(over)) {
    const b = getOwn(out, k)
    setOwn(out, k, isJsonObject(v) && isJsonObject(b) ? deepMerge(b, v) : structuredClone(v))
  }
  return out
}

function maskTree(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(maskTree)
  if (isJsonObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskTree(x)]))
  return MASK
}

/** Every scalar leaf of a values tree, as text (the values a Secret contributed). */
function leafStrings(v: JsonValue): string[] {
  if (Array.isArray(v)) return v.flatMap(leafStrings)
  if (isJsonObject(v)) return Object.values(v).flatMap(leafStrings)
  if (v === null) return []
  return [String(v)]
}

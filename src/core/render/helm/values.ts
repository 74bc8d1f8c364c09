import { getOwn, setOwn } from '../../model/own.js'
import { readYaml11 } from '../../yaml/index.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { MASK } from '../../mask/markers.js'
import { decodeBase64 } from '../../model/base64.js'
import { setPath } from './strvals.js'

/** Finds a ConfigMap or Secret in the rendered fleet. */
export type ValuesLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => KubeObject | undefined

/** Merged values for helm, the same with Secret-sourced parts masked for reports. */
export interface MergedValues {
  values: JsonObject
  masked: JsonObject
  /** The scalar values that came from Secrets, for masking rendered objects (never printed). */
  secretValues: string[]
  diagnostics: Diagnostic[]
  failed: boolean
}

/**
 * helm-controller's values merge (H-7, H-8): each valuesFrom entry in order (whole document
 * deep-merged, or one value at `targetPath`), then `spec.values` over everything.
 */
export function mergeValues(spec: JsonObject, namespace: string, lookup: ValuesLookup): MergedValues {
  const diagnostics: Diagnostic[] = []
  let values: JsonObject = {}
  let masked: JsonObject = {}
  let failed = false
  const secretValues: string[] = []
  const entries = Array.isArray(spec['valuesFrom']) ? spec['valuesFrom'].filter(isJsonObject) : []
  for (const ref of entries) {
    const kind = ref['kind'] === 'Secret' ? 'Secret' : 'ConfigMap'
    const name = String(ref['name'] ?? '')
    const key = typeof ref['valuesKey'] === 'string' && ref['valuesKey'] ? ref['valuesKey'] : 'values.yaml'
    const optional = ref['optional'] === true
    const text = readKey(lookup(kind, namespace, name), kind, key)
    if (text === undefined) {
      // Missing object or missing key: skipped when optional, else the release fails (H-7).
      if (!optional) {
        diagnostics.push({ code: 'helm/values-not-found', severity: 'error', message: `valuesFrom ${kind} ${namespace}/${name} key '${key}' not found in the rendered fleet` })
        failed = true
      }
      continue
    }
    const secret = kind === 'Secret'
    const targetPath = typeof ref['targetPath'] === 'string' ? ref['targetPath'] : ''
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
  return { values: deepMerge(values, inline), masked: deepMerge(masked, inline), secretValues, diagnostics, failed }
}

function readKey(obj: KubeObject | undefined, kind: string, key: string): string | undefined {
  if (!obj) return undefined
  if (kind === 'Secret') {
    const data = isJsonObject(obj['data']) ? obj['data'] : {}
    if (typeof data[key] === 'string') return decodeBase64(data[key] as string)
    const sd = isJsonObject(obj['stringData']) ? obj['stringData'] : {}
    return typeof sd[key] === 'string' ? (sd[key] as string) : undefined
  }
  const data = isJsonObject(obj['data']) ? obj['data'] : {}
  return typeof data[key] === 'string' ? (data[key] as string) : undefined
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

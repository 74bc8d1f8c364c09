import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import type { Schema, SchemaRule } from './types.js'

const TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array'])
const LIST_TYPES: ReadonlySet<string> = new Set(['atomic', 'set', 'map'])

/** Resolves a bundle's `{ "$ref": "<n>" }` node to its shared schema. */
export type RefResolver = (ref: string) => Schema

/** Options of fromOpenApiV3. */
export interface OpenApiOptions {
  resolve?: RefResolver
  /** The schema comes from the pull request: see Schema.untrustedRules. */
  untrusted?: boolean
}

const num = (v: JsonValue | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

function rulesOf(node: JsonObject): SchemaRule[] | undefined {
  const list = node['x-kubernetes-validations']
  if (!Array.isArray(list)) return undefined
  const rules: SchemaRule[] = []
  for (const r of list) {
    if (!isJsonObject(r) || typeof r['rule'] !== 'string') continue
    rules.push({
      rule: r['rule'],
      ...(typeof r['message'] === 'string' ? { message: r['message'] } : {}),
      ...(typeof r['fieldPath'] === 'string' ? { fieldPath: r['fieldPath'] } : {}),
    })
  }
  return rules.length > 0 ? rules : undefined
}

/** A CRD's openAPIV3Schema node as the validator's Schema (structural-schema subset). */
export function fromOpenApiV3(node: JsonValue | undefined, opts: OpenApiOptions = {}): Schema {
  if (!isJsonObject(node)) return { any: true }
  if (typeof node['$ref'] === 'string' && opts.resolve) return opts.resolve(node['$ref'])
  const s: Schema = {}
  const type = node['type']
  if (typeof type === 'string' && TYPES.has(type)) s.type = type as Schema['type']
  if (node['x-kubernetes-int-or-string'] === true) s.intOrString = true
  if (node['x-kubernetes-preserve-unknown-fields'] === true) s.preserveUnknown = true
  if (node['x-kubernetes-embedded-resource'] === true) s.embedded = true
  if (node['nullable'] === true) s.nullable = true
  if (Array.isArray(node['enum'])) s.enum = node['enum']
  if (Array.isArray(node['required'])) s.required = node['required'].filter((r): r is string => typeof r === 'string')
  if (typeof node['pattern'] === 'string') s.pattern = node['pattern']
  for (const k of ['minimum', 'maximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties'] as const) {
    const v = num(node[k])
    if (v !== undefined) s[k] = v
  }
  if (node['exclusiveMinimum'] === true) s.exclusiveMinimum = true
  if (node['exclusiveMaximum'] === true) s.exclusiveMaximum = true
  if (node['default'] !== undefined) s.default = node['default']
  const listType = node['x-kubernetes-list-type']
  if (typeof listType === 'string' && LIST_TYPES.has(listType)) s.listType = listType as Schema['listType']
  if (Array.isArray(node['x-kubernetes-list-map-keys'])) s.listMapKeys = node['x-kubernetes-list-map-keys'].filter((k): k is string => typeof k === 'string')
  const rules = rulesOf(node)
  if (rules) {
    s.rules = rules
    if (opts.untrusted) s.untrustedRules = true
  }
  const props = node['properties']
  if (isJsonObject(props)) {
    s.properties = Object.create(null) as Record<string, Schema>
    for (const [k, v] of Object.entries(props)) s.properties[k] = fromOpenApiV3(v, opts)
  }
  const add = node['additionalProperties']
  if (typeof add === 'boolean') s.additionalProperties = add
  else if (isJsonObject(add)) s.additionalProperties = fromOpenApiV3(add, opts)
  const items = node['items']
  if (isJsonObject(items)) s.items = fromOpenApiV3(items, opts)
  // A node with neither a type nor fields (only anyOf/allOf, or nothing) constrains nothing we check.
  if (!s.type && !s.intOrString && !s.properties && s.additionalProperties === undefined && !s.rules) s.any = !s.enum
  return s
}

function schemaOfVersion(version: JsonObject, spec: JsonObject): JsonValue | undefined {
  const own = version['schema']
  if (isJsonObject(own)) return own['openAPIV3Schema']
  // apiextensions.k8s.io/v1beta1: one schema for every version under spec.validation
  const shared = spec['validation']
  return isJsonObject(shared) ? shared['openAPIV3Schema'] : undefined
}

/** Converted schemas per CRD object: a walk validates against the same CRDs many times. */
const converted = new WeakMap<KubeObject, [string, Schema][]>()

function schemasOf(crd: KubeObject): [string, Schema][] {
  const cached = converted.get(crd)
  if (cached) return cached
  const out: [string, Schema][] = []
  converted.set(crd, out)
  const spec = crd['spec']
  if (!isJsonObject(spec) || typeof spec['group'] !== 'string' || !isJsonObject(spec['names'])) return out
  const kind = spec['names']['kind']
  if (typeof kind !== 'string') return out
  const versions = Array.isArray(spec['versions'])
    ? spec['versions'].filter(isJsonObject)
    : typeof spec['version'] === 'string' ? [{ name: spec['version'], served: true }] : []
  for (const v of versions) {
    if (typeof v['name'] !== 'string' || v['served'] === false) continue
    const raw = schemaOfVersion(v, spec)
    out.push([`${spec['group']}/${v['name']}/${kind}`, raw === undefined ? { any: true } : fromOpenApiV3(raw, { untrusted: true })])
  }
  return out
}

/**
 * The schemas of every served version of the CustomResourceDefinitions given, keyed
 * `group/version/Kind`. A served version without a schema (v1beta1 CRDs could omit it) maps
 * to an any-schema, so its objects are known but not checked.
 */
export function crdSchemas(crds: readonly KubeObject[]): Map<string, Schema> {
  const out = new Map<string, Schema>()
  for (const crd of crds) {
    if (crd.kind !== 'CustomResourceDefinition' || !crd.apiVersion.startsWith('apiextensions.k8s.io/')) continue
    for (const [key, schema] of schemasOf(crd)) out.set(key, schema)
  }
  return out
}

import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import type { Schema } from './types.js'

const TYPES: ReadonlySet<string> = new Set(['string', 'integer', 'number', 'boolean', 'object', 'array'])

/** A CRD's openAPIV3Schema node as the validator's Schema (structural-schema subset). */
export function fromOpenApiV3(node: JsonValue | undefined): Schema {
  if (!isJsonObject(node)) return { any: true }
  const s: Schema = {}
  const type = node['type']
  if (typeof type === 'string' && TYPES.has(type)) s.type = type as Schema['type']
  if (node['x-kubernetes-int-or-string'] === true) s.intOrString = true
  if (node['x-kubernetes-preserve-unknown-fields'] === true) s.preserveUnknown = true
  if (node['x-kubernetes-embedded-resource'] === true) s.embedded = true
  if (node['nullable'] === true) s.nullable = true
  if (Array.isArray(node['enum'])) s.enum = node['enum']
  if (Array.isArray(node['required'])) s.required = node['required'].filter((r): r is string => typeof r === 'string')
  const props = node['properties']
  if (isJsonObject(props)) {
    s.properties = {}
    for (const [k, v] of Object.entries(props)) s.properties[k] = fromOpenApiV3(v)
  }
  const add = node['additionalProperties']
  if (typeof add === 'boolean') s.additionalProperties = add
  else if (isJsonObject(add)) s.additionalProperties = fromOpenApiV3(add)
  const items = node['items']
  if (isJsonObject(items)) s.items = fromOpenApiV3(items)
  // A node with neither a type nor fields (only anyOf/allOf, or nothing) constrains nothing we check.
  if (!s.type && !s.intOrString && !s.properties && s.additionalProperties === undefined) s.any = !s.enum
  return s
}

function schemaOfVersion(version: JsonObject, spec: JsonObject): JsonValue | undefined {
  const own = version['schema']
  if (isJsonObject(own)) return own['openAPIV3Schema']
  // apiextensions.k8s.io/v1beta1: one schema for every version under spec.validation
  const shared = spec['validation']
  return isJsonObject(shared) ? shared['openAPIV3Schema'] : undefined
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
    const spec = crd['spec']
    if (!isJsonObject(spec) || typeof spec['group'] !== 'string' || !isJsonObject(spec['names'])) continue
    const kind = spec['names']['kind']
    if (typeof kind !== 'string') continue
    const versions = Array.isArray(spec['versions'])
      ? spec['versions'].filter(isJsonObject)
      : typeof spec['version'] === 'string' ? [{ name: spec['version'], served: true }] : []
    for (const v of versions) {
      if (typeof v['name'] !== 'string' || v['served'] === false) continue
      const raw = schemaOfVersion(v, spec)
      out.set(`${spec['group']}/${v['name']}/${kind}`, raw === undefined ? { any: true } : fromOpenApiV3(raw))
    }
  }
  return out
}

import type { KubeObject } from '../../../model/object.js'
import { isJsonObject } from '../../../model/object.js'
import { getOwn, setOwn } from '../../../model/own.js'
import { BUILTIN_OPENAPI_TABLE } from './openapi-table.generated.js'
import type { TableNode } from './table-types.js'

/** Patch metadata of one position in an object (object, array or map), walked field by field. */
export interface SchemaNode {
  /** Schema of a child of an object (a property, else the map value schema like kyaml's Field). */
  field(name: string): SchemaNode | undefined
  /** Element schema of an array. */
  items(): SchemaNode | undefined
  /** Value schema of a map (additionalProperties). */
  additional(): SchemaNode | undefined
  /** x-kubernetes-patch-merge-key */
  mergeKey?: string
  /** x-kubernetes-list-map-keys */
  mergeKeys?: string[]
  /** x-kubernetes-patch-strategy: 'merge' | 'replace' | 'retainKeys' | 'merge,retainKeys' */
  strategy?: string
  listType?: 'atomic' | 'set' | 'map'
}

type Types = Record<string, Record<string, TableNode>>

/** Schemas for some kinds, built from a kustomization's `openapi:` document or `crds:`. */
export interface SchemaRegistry {
  readonly kinds: ReadonlyMap<string, string>
  readonly types: Types
  readonly namespaced: ReadonlyMap<string, boolean>
  /** A kustomization `openapi: {path}` document replaces the built-in schema entirely in kustomize. */
  readonly replacesBuiltin: boolean
}

const EXT = Object.freeze({
  strategy: 'x-kubernetes-patch-strategy',
  mergeKey: 'x-kubernetes-patch-merge-key',
  listType: 'x-kubernetes-list-type',
  mapKeys: 'x-kubernetes-list-map-keys',
  gvk: 'x-kubernetes-group-version-kind',
})

function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`
}

const BUILTIN: SchemaRegistry = (() => {
  const namespaced = new Map<string, boolean>()
  for (const k of BUILTIN_OPENAPI_TABLE.clusterScoped) namespaced.set(k, false)
  for (const k of BUILTIN_OPENAPI_TABLE.namespaced) namespaced.set(k, true)
  return { kinds: new Map(Object.entries(BUILTIN_OPENAPI_TABLE.kinds)), types: BUILTIN_OPENAPI_TABLE.types, namespaced, replacesBuiltin: false }
})()

function listTypeOf(v: string | undefined): SchemaNode['listType'] {
  return v === 'atomic' || v === 'set' || v === 'map' ? v : undefined
}

function makeNode(types: Types, node: TableNode): SchemaNode {
  const props = node.ref !== undefined ? getOwn(types, node.ref) : undefined
  const out: SchemaNode = {
    field(name) {
      const child = (props && Object.hasOwn(props, name) ? props[name] : undefined) ?? node.additional
      return child ? makeNode(types, child) : undefined
    },
    items() {
      return node.array && node.items ? makeNode(types, node.items) : undefined
    },
    additional() {
      return node.additional ? makeNode(types, node.additional) : undefined
    },
  }
  if (node.strategy !== undefined) out.strategy = node.strategy
  if (node.mergeKey !== undefined) out.mergeKey = node.mergeKey
  if (node.mapKeys !== undefined) out.mergeKeys = [...node.mapKeys]
  const lt = listTypeOf(node.listType)
  if (lt !== undefined) out.listType = lt
  return out
}

function lookup(reg: SchemaRegistry, apiVersion: string, kind: string): SchemaNode | undefined {
  const type = reg.kinds.get(gvkKey(apiVersion, kind))
  if (type === undefined) return undefined
  return makeNode(reg.types, { ref: type })
}

/**
 * Schema of a kind. `extra` wins over the bundled table of built-in kinds (Kubernetes v1.21.2, the
 * version kustomize v5 bundles). A registry from an `openapi: {path}` document is used *instead*
 * of the bundled table, as kustomize does: with one, a Deployment no longer merges containers by
 * name unless that document defines Deployment (verified with kustomize v5.5.0).
 */
export function schemaFor(apiVersion: string, kind: string, extra?: SchemaRegistry): SchemaNode | undefined {
  if (extra) {
    const s = lookup(extra, apiVersion, kind)
    if (s || extra.replacesBuiltin) return s
  }
  return lookup(BUILTIN, apiVersion, kind)
}

/** Whether kustomize treats a kind as namespaced; undefined when the bundled table does not know it. */
export function isNamespacedKind(apiVersion: string, kind: string, extra?: SchemaRegistry): boolean | undefined {
  const key = gvkKey(apiVersion, kind)
  return extra?.namespaced.get(key) ?? BUILTIN.namespaced.get(key)
}

function shortRef(ref: string): string {
  return ref.replace(/^#\/definitions\//, '')
}

/** Compact one OpenAPI schema (v2 or v3) into a table node; definitions are referenced by name. */
function compact(schema: unknown, inline: (s: Record<string, unknown>) => string | undefined): TableNode {
  if (!isJsonObject(schema)) return {}
  const node: TableNode = {}
  const ref = schema['$ref']
  if (typeof ref === 'string') node.ref = shortRef(ref)
  else if (isJsonObject(schema['properties'])) node.ref = inline(schema)
  if (schema['type'] === 'array' || (schema['type'] === undefined && schema['items'] !== undefined)) {
    node.array = true
    if (schema['items'] !== undefined) node.items = compact(schema['items'], inline)
  }
  const add = schema['additionalProperties']
  if (isJsonObject(add)) node.additional = compact(add, inline)
  const strategy = schema[EXT.strategy]
  if (typeof strategy === 'string') node.strategy = strategy
  const mk = schema[EXT.mergeKey]
  if (typeof mk === 'string') node.mergeKey = mk
  const keys = schema[EXT.mapKeys]
  if (Array.isArray(keys)) node.mapKeys = keys.filter((k): k is string => typeof k === 'string')
  const lt = schema[EXT.listType]
  if (typeof lt === 'string') node.listType = lt
  return node
}

function typeBuilder(types: Types, prefix: string): (s: Record<string, unknown>) => string {
  let n = 0
  const build = (schema: Record<string, unknown>): string => {
    const name = `${prefix}#${n++}`
    const props: Record<string, TableNode> = {}
    setOwn(types, name, props)
    const p = schema['properties']
    if (isJsonObject(p)) for (const [k, v] of Object.entries(p)) setOwn(props, k, compact(v, build))
    return name
  }
  return build
}

/**
 * Registry from a kustomization `openapi: {path: ...}` document: swagger v2 `definitions` whose
 * x-kubernetes-group-version-kind names the kinds (JSON or YAML already parsed).
 */
export function registryFromOpenApi(doc: unknown): SchemaRegistry {
  const types: Types = {}
  const kinds = new Map<string, string>()
  const defs = isJsonObject(doc) && isJsonObject(doc['definitions']) ? doc['definitions'] : {}
  for (const [name, schema] of Object.entries(defs)) {
    if (!isJsonObject(schema)) continue
    const props: Record<string, TableNode> = {}
    setOwn(types, name, props)
    const inline = typeBuilder(types, name)
    if (isJsonObject(schema['properties'])) {
      for (const [k, v] of Object.entries(schema['properties'])) setOwn(props, k, compact(v, inline))
    }
    const gvks = schema[EXT.gvk]
    for (const g of Array.isArray(gvks) ? gvks : []) {
      if (!isJsonObject(g) || typeof g['kind'] !== 'string' || typeof g['version'] !== 'string') continue
      const group = typeof g['group'] === 'string' && g['group'] !== '' ? `${g['group']}/` : ''
      kinds.set(gvkKey(`${group}${g['version']}`, g['kind']), name)
    }
  }
  return { kinds, types, namespaced: new Map(), replacesBuiltin: true }
}

function crdVersionSchemas(spec: Record<string, unknown>): [string, unknown][] {
  const out: [string, unknown][] = []
  const legacy = isJsonObject(spec['validation']) ? spec['validation']['openAPIV3Schema'] : undefined
  const versions = Array.isArray(spec['versions']) ? spec['versions'] : []
  for (const v of versions) {
    if (!isJsonObject(v) || typeof v['name'] !== 'string') continue
    const s = isJsonObject(v['schema']) ? v['schema']['openAPIV3Schema'] : undefined
    out.push([v['name'], s ?? legacy])
  }
  if (versions.length === 0 && typeof spec['version'] === 'string') out.push([spec['version'], legacy])
  return out
}

/**
 * Registry from CustomResourceDefinition objects (openAPIV3 or legacy `validation` schemas with
 * x-kubernetes-* extensions); it adds to the bundled table. Note: kustomize's own `crds:` field
 * takes OpenAPI definition files used for name references, not CRD objects, and does not change
 * strategic merge; pass this registry only where CRD-aware merging is wanted.
 */
export function registryFromCrds(crds: KubeObject[]): SchemaRegistry {
  const types: Types = {}
  const kinds = new Map<string, string>()
  const namespaced = new Map<string, boolean>()
  for (const crd of crds) {
    const spec = crd['spec']
    if (!isJsonObject(spec) || typeof spec['group'] !== 'string' || !isJsonObject(spec['names'])) continue
    const kind = spec['names']['kind']
    if (typeof kind !== 'string') continue
    for (const [version, schema] of crdVersionSchemas(spec)) {
      const key = gvkKey(`${spec['group']}/${version}`, kind)
      namespaced.set(key, spec['scope'] !== 'Cluster')
      if (!isJsonObject(schema)) continue
      kinds.set(key, typeBuilder(types, key)(schema))
    }
  }
  return { kinds, types, namespaced, replacesBuiltin: false }
}

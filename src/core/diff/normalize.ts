import { encodeBase64 } from '../model/base64.js'
import { cloneJson } from '../model/clone.js'
import type { JsonObject, JsonValue, KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { setOwn } from '../model/own.js'
import { groupOf } from '../model/resource-id.js'

/**
 * Owner labels Flux writes on every object it applies (flux-semantics §1.6 step 5, P-8).
 * They follow from the owner, which the plan reports separately, so they are never a change.
 * Only `name`/`namespace` are dropped under the kustomize prefix: `…/prune`, `…/reconcile`,
 * `…/ssa` and `…/force` are set by people and change what Flux does (K-16, P-9).
 */
const OWNER_LABELS: ReadonlySet<string> = new Set([
  'kustomize.toolkit.fluxcd.io/name',
  'kustomize.toolkit.fluxcd.io/namespace',
])

/** helm-controller's post-renderer labels every chart object with `helm.toolkit.fluxcd.io/*`. */
const HELM_OWNER_PREFIX = 'helm.toolkit.fluxcd.io/'

/**
 * Keys whose `{}` means the same as leaving them out (Go `omitempty` maps and structs the API
 * server defaults). Other `{}` are kept: `emptyDir: {}`, `podSelector: {}` or
 * `namespaceSelector: {}` mean something.
 */
const EMPTY_OBJECT_IS_ABSENT: ReadonlySet<string> = new Set([
  'labels', 'annotations', 'data', 'stringData', 'binaryData', 'resources', 'securityContext',
  'nodeSelector', 'strategy', 'limits', 'requests', 'status', 'spec', 'values', 'commonMetadata',
])

/** Core groups whose Go types default a port's `protocol` to TCP (§1.6 step 6). */
const BUILTIN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'extensions'])

/** Top-level and metadata keys in the order people read them; the rest is sorted. */
const TOP_ORDER = ['apiVersion', 'kind', 'metadata', 'spec', 'type', 'data', 'stringData', 'binaryData']
const META_ORDER = ['name', 'namespace', 'labels', 'annotations']

/**
 * A copy of `obj` as Flux would send it, for comparison only (§1.6 step 6, applied to both
 * sides rather than reproducing Go's exact output): `status` (except on CRDs) and
 * `metadata.creationTimestamp` dropped, Flux/Helm owner labels dropped, Secret `stringData`
 * folded into `data` (base64), missing port protocols set to TCP, `null`/`[]` and harmless
 * `{}` removed, keys in a stable order. HelmRelease `spec.values` keep their nulls: in Helm a
 * null removes a chart default. Never mutates its input.
 */
export function normalizeObject(obj: KubeObject): KubeObject {
  const out = cloneJson(obj as unknown as JsonValue) as JsonObject
  if (obj.kind !== 'CustomResourceDefinition') delete out['status']
  const meta = isJsonObject(out['metadata']) ? out['metadata'] : {}
  delete meta['creationTimestamp']
  delete meta['generation']
  delete meta['resourceVersion']
  delete meta['uid']
  delete meta['managedFields']
  dropOwnerLabels(meta, 'labels')
  dropOwnerLabels(meta, 'annotations')
  if (obj.kind === 'Secret' && groupOf(obj.apiVersion) === '') foldStringData(out)
  if (BUILTIN_GROUPS.has(groupOf(obj.apiVersion))) defaultProtocols(out, obj.kind === 'Service')
  const keepNulls = obj.kind === 'HelmRelease' ? ['spec', 'values'] : undefined
  const pruned = pruneEmpty(out, [], keepNulls)
  return orderKeys(isJsonObject(pruned) ? pruned : {}, 0) as unknown as KubeObject
}

function dropOwnerLabels(meta: JsonObject, field: 'labels' | 'annotations'): void {
  const map = meta[field]
  if (!isJsonObject(map)) return
  for (const key of Object.keys(map)) {
    if (OWNER_LABELS.has(key) || key.startsWith(HELM_OWNER_PREFIX)) delete map[key]
  }
}

/** The API server moves `stringData` into `data` (base64); both spellings are the same object. */
function foldStringData(secret: JsonObject): void {
  const stringData = secret['stringData']
  if (!isJsonObject(stringData)) return
  const data = isJsonObject(secret['data']) ? secret['data'] : {}
  for (const [k, v] of Object.entries(stringData)) {
    if (typeof v === 'string') setOwn(data, k, encodeBase64(v))
  }
  secret['data'] = data
  delete secret['stringData']
}

function defaultProtocols(node: JsonValue, isService: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) defaultProtocols(item, isService)
    return
  }
  if (!isJsonObject(node)) return
  for (const [key, value] of Object.entries(node)) {
    if (key === 'ports' && Array.isArray(value)) {
      for (const port of value) {
        if (!isJsonObject(port) || port['protocol'] !== undefined) continue
        if (port['containerPort'] !== undefined || (isService && port['port'] !== undefined)) port['protocol'] = 'TCP'
      }
    } else defaultProtocols(value, isService)
  }
}

function pruneEmpty(node: JsonValue, path: string[], keepNullsUnder?: string[]): JsonValue | undefined {
  const keepNulls = keepNullsUnder !== undefined && startsWith(path, keepNullsUnder)
  if (node === null) return keepNulls ? null : undefined
  if (Array.isArray(node)) {
    const items = node.map((v, i) => pruneEmpty(v, [...path, String(i)], keepNullsUnder) ?? null)
    return items.length === 0 && !keepNulls ? undefined : items
  }
  if (!isJsonObject(node)) return node
  const out: JsonObject = {}
  for (const [key, value] of Object.entries(node)) {
    const v = pruneEmpty(value, [...path, key], keepNullsUnder)
    if (v === undefined) continue
    if (!keepNulls && isJsonObject(v) && Object.keys(v).length === 0 && EMPTY_OBJECT_IS_ABSENT.has(key)) continue
    setOwn(out, key, v)
  }
  return out
}

function startsWith(path: string[], prefix: string[]): boolean {
  return path.length >= prefix.length && prefix.every((p, i) => path[i] === p)
}

function orderKeys(node: JsonValue, depth: number, parentKey = ''): JsonValue {
  if (Array.isArray(node)) return node.map((v) => orderKeys(v, depth + 1))
  if (!isJsonObject(node)) return node
  const first = depth === 0 ? TOP_ORDER : parentKey === 'metadata' && depth === 1 ? META_ORDER : ['name']
  const keys = Object.keys(node).sort((a, b) => rank(a, first) - rank(b, first) || (a < b ? -1 : a > b ? 1 : 0))
  const out: JsonObject = {}
  for (const k of keys) setOwn(out, k, orderKeys(node[k] as JsonValue, depth + 1, k))
  return out
}

function rank(key: string, first: string[]): number {
  const i = first.indexOf(key)
  return i < 0 ? first.length : i
}

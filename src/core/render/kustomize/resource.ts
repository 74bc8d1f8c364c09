import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { cloneJson } from '../../model/clone.js'
import { parseApiVersion, type Gvk, type ResId } from './resid.js'

/**
 * Build-time bookkeeping kustomize keeps in annotations while it works and strips before
 * printing: earlier ids (for name references after renames), the prefixes and suffixes
 * applied, generator merge behaviour, patch options.
 */
export const ANNO = Object.freeze({
  prevKinds: 'internal.config.kubernetes.io/previousKinds',
  prevNames: 'internal.config.kubernetes.io/previousNames',
  prevNamespaces: 'internal.config.kubernetes.io/previousNamespaces',
  prefixes: 'internal.config.kubernetes.io/prefixes',
  suffixes: 'internal.config.kubernetes.io/suffixes',
  refBy: 'internal.config.kubernetes.io/refBy',
  genBehavior: 'internal.config.kubernetes.io/generatorBehavior',
  needsHash: 'internal.config.kubernetes.io/needsHashSuffix',
  allowNameChange: 'internal.config.kubernetes.io/allowNameChange',
  allowKindChange: 'internal.config.kubernetes.io/allowKindChange',
  origin: 'config.kubernetes.io/origin',
  transformations: 'alpha.config.kubernetes.io/transformations',
  localConfig: 'config.kubernetes.io/local-config',
})

const BUILD_ANNOTATIONS = [
  ANNO.prevKinds, ANNO.prevNames, ANNO.prevNamespaces, ANNO.prefixes, ANNO.suffixes, ANNO.refBy,
  ANNO.genBehavior, ANNO.needsHash, ANNO.allowNameChange, ANNO.allowKindChange,
]

/**
 * Where the engine read a resource, in tree paths: the file and the line its document (or
 * List item) starts on. A generated resource points at the generator entry that made it and
 * says which generator in `via`; `entry` names that entry (kustomization field and index) so
 * a caller that rewrote the kustomization file (Flux's overlay) can find it in the original.
 */
export interface ResOrigin {
  file: string
  line?: number
  via?: string
  entry?: { field: string; index: number }
}

/** One resource being built: its object plus data kustomize keeps beside it. */
export interface Res {
  obj: JsonObject
  /** Names of vars that resolved to this resource. */
  refVarNames?: string[]
  /** Where it was read or generated; kept through patches, renames and hash suffixes. */
  origin?: ResOrigin
}

export function makeRes(obj: JsonObject): Res {
  return { obj }
}

/** A copy of a resource to change on its own; its origin is shared (origins are replaced, never changed). */
export function cloneRes(r: Res): Res {
  return { obj: cloneJson(r.obj), ...(r.refVarNames ? { refVarNames: [...r.refVarNames] } : {}), ...(r.origin ? { origin: r.origin } : {}) }
}

export function meta(r: Res): JsonObject {
  let m = r.obj['metadata']
  if (!isJsonObject(m)) {
    m = {}
    r.obj['metadata'] = m
  }
  return m
}

export function getName(r: Res): string {
  const m = r.obj['metadata']
  return isJsonObject(m) && typeof m['name'] === 'string' ? m['name'] : ''
}

export function getNamespace(r: Res): string {
  const m = r.obj['metadata']
  return isJsonObject(m) && typeof m['namespace'] === 'string' ? m['namespace'] : ''
}

export function getKind(r: Res): string {
  return typeof r.obj['kind'] === 'string' ? r.obj['kind'] : ''
}

export function getApiVersion(r: Res): string {
  return typeof r.obj['apiVersion'] === 'string' ? r.obj['apiVersion'] : ''
}

export function setName(r: Res, name: string): void {
  meta(r)['name'] = name
}

export function setNamespace(r: Res, ns: string): void {
  if (ns === '') delete meta(r)['namespace']
  else meta(r)['namespace'] = ns
}

/**
 * A resource's ids, kept with the strings they were made from and made again when one of
 * them changed: builds ask for a resource's id at every step (the resource map, name
 * references, transformers), and making a new object each time was about 4 % of a render,
 * and much of its garbage. Frozen, as they are shared.
 */
interface Ids {
  apiVersion: string
  kind: string
  gvk: Readonly<Gvk>
  name?: string
  namespace?: string
  id?: Readonly<ResId>
}

const IDS = new WeakMap<Res, Ids>()

function idsOf(r: Res): Ids {
  const apiVersion = getApiVersion(r)
  const kind = getKind(r)
  const hit = IDS.get(r)
  if (hit && hit.apiVersion === apiVersion && hit.kind === kind) return hit
  const ids: Ids = { apiVersion, kind, gvk: Object.freeze({ ...parseApiVersion(apiVersion), kind }) }
  IDS.set(r, ids)
  return ids
}

export function gvkOf(r: Res): Readonly<Gvk> {
  return idsOf(r).gvk
}

export function curId(r: Res): Readonly<ResId> {
  const ids = idsOf(r)
  const name = getName(r)
  const namespace = getNamespace(r)
  if (ids.id && ids.name === name && ids.namespace === namespace) return ids.id
  ids.name = name
  ids.namespace = namespace
  return (ids.id = Object.freeze({ ...ids.gvk, name, namespace }))
}

/** A string map of the object's (Object.fromEntries keeps a `__proto__` key an own key). */
function stringMap(v: JsonValue | undefined): Record<string, string> {
  return isJsonObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : String(x)])) : {}
}

export function getAnnotations(r: Res): Record<string, string> {
  return stringMap(meta(r)['annotations'])
}

export function getLabels(r: Res): Record<string, string> {
  return stringMap(meta(r)['labels'])
}

export function setAnnotation(r: Res, key: string, value: string): void {
  const m = meta(r)
  let a = m['annotations']
  if (!isJsonObject(a)) {
    a = {}
    m['annotations'] = a
  }
  setOwn(a, key, value)
}

export function removeAnnotation(r: Res, key: string): void {
  const m = meta(r)
  const a = m['annotations']
  if (!isJsonObject(a) || !Object.hasOwn(a, key)) return
  delete a[key]
  if (Object.keys(a).length === 0) delete m['annotations']
}

/** One annotation's value, as getAnnotations(r)[key] gives it, without copying them all. */
export function getAnnotation(r: Res, key: string): string | undefined {
  const a = meta(r)['annotations']
  if (!isJsonObject(a) || !Object.prototype.hasOwnProperty.call(a, key)) return undefined
  const v = a[key]
  return typeof v === 'string' ? v : String(v)
}

function csv(r: Res, key: string): string[] {
  const v = getAnnotation(r, key)
  return v === undefined ? [] : v.split(',')
}

function appendCsv(r: Res, key: string, value: string): void {
  if (value === '') return
  setAnnotation(r, key, [...csv(r, key), value].join(','))
}

export function namePrefixes(r: Res): string[] {
  return csv(r, ANNO.prefixes)
}

export function nameSuffixes(r: Res): string[] {
  return csv(r, ANNO.suffixes)
}

export function addNamePrefix(r: Res, p: string): void {
  appendCsv(r, ANNO.prefixes, p)
}

export function addNameSuffix(r: Res, s: string): void {
  appendCsv(r, ANNO.suffixes, s)
}

export function appendRefBy(r: Res, id: string): void {
  appendCsv(r, ANNO.refBy, id)
}

/** Records the current id so later name references to the old name still resolve. */
export function storePreviousId(r: Res): void {
  const id = curId(r)
  const ns = effectiveNs(id)
  appendCsv(r, ANNO.prevNames, id.name)
  appendCsv(r, ANNO.prevNamespaces, ns)
  appendCsv(r, ANNO.prevKinds, id.kind)
}

function effectiveNs(id: ResId): string {
  return id.namespace === '' ? 'default' : id.namespace
}

/**
 * Earlier ids, oldest first (shared and frozen: never modify them).
 *
 * Name references ask every candidate for its earlier ids once per referring field, which made
 * re-reading the three annotations the engine's hottest path on large fleets. The memo is
 * checked against the annotation texts and the apiVersion and kind they are read with, so a
 * later rename or kind change is always seen.
 */
export function prevIds(r: Res): readonly Readonly<ResId>[] {
  const names = getAnnotation(r, ANNO.prevNames)
  if (names === undefined) return NO_IDS
  const nss = getAnnotation(r, ANNO.prevNamespaces)
  const kinds = getAnnotation(r, ANNO.prevKinds)
  const apiVersion = getApiVersion(r)
  const kind = getKind(r)
  const hit = PREV_IDS.get(r)
  if (hit && hit.names === names && hit.nss === nss && hit.kinds === kinds && hit.apiVersion === apiVersion && hit.kind === kind) return hit.ids
  const nsList = nss === undefined ? [] : nss.split(',')
  const kindList = kinds === undefined ? [] : kinds.split(',')
  const { group, version } = parseApiVersion(apiVersion)
  const ids = Object.freeze(names.split(',').map((name, i) => Object.freeze({ group, version, kind: kindList[i] ?? kind, name, namespace: nsList[i] ?? '' })))
  PREV_IDS.set(r, { names, nss, kinds, apiVersion, kind, ids })
  return ids
}

const NO_IDS: readonly ResId[] = Object.freeze([])

const PREV_IDS = new WeakMap<Res, { names: string; nss: string | undefined; kinds: string | undefined; apiVersion: string; kind: string; ids: readonly Readonly<ResId>[] }>()

/**
 * Whether one of the resource's previous ids has the name: `prevIds(r).some((id) => id.name ===
 * name)` read off the annotation without making the ids. Name references ask it of every
 * resource of a build for every referring field, and most resources never had the name.
 */
export function hadName(r: Res, name: string): boolean {
  const names = getAnnotation(r, ANNO.prevNames)
  // An element of the comma-separated list never holds a comma.
  if (names === undefined || name.includes(',')) return false
  if (names === name) return true
  return names.startsWith(`${name},`) || names.endsWith(`,${name}`) || names.includes(`,${name},`)
}

/** The id the resource had when it was first read or generated. */
export function orgId(r: Res): Readonly<ResId> {
  return prevIds(r)[0] ?? curId(r)
}

/** Current id first? No: all ids the resource has carried, previous ones then current. */
export function allIds(r: Res): Readonly<ResId>[] {
  return [...prevIds(r), curId(r)]
}

/** Strips kustomize's internal build annotations before output. */
export function removeBuildAnnotations(r: Res): void {
  for (const k of BUILD_ANNOTATIONS) removeAnnotation(r, k)
}

/** Whether one list ends with the other (kustomize's SameEndingSubSlice). */
export function sameEnding(a: string[], b: string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a]
  if (short.length === 0) return long.length === 0
  const diff = long.length - short.length
  for (let i = short.length - 1; i >= 0; i--) if (long[i + diff] !== short[i]) return false
  return true
}

export function prefixesSuffixesEqual(a: Res, b: Res, allowEmpty: boolean): boolean {
  const ap = namePrefixes(a), bp = namePrefixes(b), as = nameSuffixes(a), bs = nameSuffixes(b)
  if (allowEmpty) {
    return (ap.length === 0 || bp.length === 0 || sameEnding(ap, bp)) && (as.length === 0 || bs.length === 0 || sameEnding(as, bs))
  }
  return sameEnding(ap, bp) && sameEnding(as, bs)
}

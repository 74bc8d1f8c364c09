import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { KustomizeError, yamlError } from './loader.js'
import { ANNO, curId, getAnnotations, getKind, makeRes, meta, prevIds, removeAnnotation, type Res } from './resource.js'
import { effectiveNamespace, idString, type ResId } from './resid.js'
import { parseYamlDocumentsLocated, YamlError, type KyamlDocument } from '../../yaml/index.js'
import { timed } from '../../timings/phases.js'

/**
 * Turns YAML text into resources like kustomize's resource factory: empty documents are
 * skipped, a `List` (any kind ending in List with `items`) is split into its items. With
 * `file` (the tree path read), each resource records where its document or item starts.
 */
export function resourcesFromText(text: string, source: string, file?: string): Res[] {
  let docs: KyamlDocument[]
  try {
    docs = parseYamlDocumentsLocated(text)
  } catch (e) {
    if (e instanceof YamlError) throw yamlError(e, `MalformedYAMLError: ${e.message} in File: ${source}`, source)
    throw e
  }
  const out: Res[] = []
  // Items of a `FooList` join the end of the queue (kustomize's inlineAnyEmbeddedLists), so
  // with --reorder none they come after the file's other documents.
  const queue: { value: JsonValue; line: number; entryLines?: Map<string, number[]> }[] = [...docs]
  while (queue.length > 0) {
    const { value: d, line, entryLines } = queue.shift()!
    if (d === null) continue
    if (!isJsonObject(d)) throw new KustomizeError(`MalformedYAMLError: expected a map, got ${Array.isArray(d) ? 'a list' : 'a scalar'} in File: ${source}`, 'kustomize/invalid-yaml', source)
    if (Object.keys(d).length === 0) continue
    const kind = typeof d['kind'] === 'string' ? d['kind'] : ''
    if (kind.endsWith('List') && Object.hasOwn(d, 'items')) {
      const items = d['items']
      if (items === null) continue
      if (!Array.isArray(items)) throw new KustomizeError(`expected array in ${kind}/items, but found ${typeof items}`, 'kustomize/invalid-resource', source)
      const itemLines = entryLines?.get('items')
      queue.push(...items.map((value, i) => ({ value, line: itemLines?.[i] ?? line })))
      continue
    }
    const r = makeRes(d)
    if (file !== undefined) r.origin = { file, line }
    out.push(r)
  }
  for (const r of out) {
    if (!isJsonObject(r.obj['metadata'])) meta(r)
    stringifyMeta(r)
    if (getKind(r) === '') throw new KustomizeError(`missing Resource metadata: kind is empty in File: ${source}`, 'kustomize/invalid-resource', source)
  }
  return out
}

/** A key equal for two ids exactly when idEquals holds: the index of a resource list. */
export function idKey(id: ResId): string {
  return `${id.group}\u0000${id.version}\u0000${id.kind}\u0000${id.name}\u0000${effectiveNamespace(id)}`
}

/**
 * Appends, refusing a second resource with the same current id. The list is indexed by id
 * once per call: transformers rename resources in place, so an index is not kept between
 * calls.
 */
function appendAllUntimed(list: Res[], more: Res[]): void {
  if (more.length === 0) return
  const ids = new Set(list.map((x) => idKey(curId(x))))
  for (const r of more) {
    const id = curId(r)
    const key = idKey(id)
    if (ids.has(key)) {
      throw new KustomizeError(`may not add resource with an already registered id: ${idString(id)}`, 'kustomize/duplicate-id')
    }
    ids.add(key)
    list.push(r)
  }
}
export const appendAll = timed('kustomize: resource map', appendAllUntimed)

/** Resources by every id they have carried (current and previous), for one batch of lookups. */
function anyIdIndexUntimed(list: readonly Res[]): Map<string, Res[]> {
  const index = new Map<string, Res[]>()
  for (const r of list) {
    const keys = new Set([curId(r), ...prevIds(r)].map(idKey))
    for (const k of keys) {
      const hit = index.get(k)
      if (hit) hit.push(r)
      else index.set(k, [r])
    }
  }
  return index
}

/** Resources whose current or any earlier id satisfies `pred`. */
function matchAnyIdUntimed(list: Res[], pred: (id: ResId) => boolean): Res[] {
  return list.filter((r) => pred(curId(r)) || prevIds(r).some(pred))
}
export const matchAnyId = timed('kustomize: resource map', matchAnyIdUntimed)

function behavior(r: Res): string {
  return getAnnotations(r)[ANNO.genBehavior] ?? 'create'
}

/**
 * Adds generated resources, honouring `behavior` (kustomize's appendReplaceOrMerge): create
 * refuses an existing id, merge overlays data and metadata, replace swaps the object.
 */
function absorbAllUntimed(list: Res[], generated: Res[]): void {
  if (generated.length === 0) return
  let index = anyIdIndex(list)
  for (const res of generated) {
    const id = curId(res)
    const matches = index.get(idKey(id)) ?? []
    const b = behavior(res)
    if (matches.length === 0) {
      if (b === 'merge' || b === 'replace') {
        throw new KustomizeError(`id ${JSON.stringify(idString(id))} does not exist; cannot merge or replace`, 'kustomize/generator-behavior')
      }
      appendAll(list, [res])
      for (const [k, rs] of anyIdIndex([res])) index.set(k, [...(index.get(k) ?? []), ...rs])
      continue
    }
    if (matches.length > 1) throw new KustomizeError(`found multiple objects that could accept merge of ${idString(id)}`, 'kustomize/generator-behavior')
    const old = matches[0] as Res
    // A merge keeps where the merged-into resource came from, as kustomize keeps its origin annotation.
    if (b === 'merge' && old.origin) res.origin = old.origin
    if (b === 'replace') copyMergeMeta(res, old)
    else if (b === 'merge') {
      const origin = getAnnotations(old)[ANNO.origin]
      copyMergeMeta(res, old)
      mergeDataFrom(res, old, 'data')
      mergeDataFrom(res, old, 'binaryData')
      if (origin !== undefined) meta(res)['annotations'] = { ...(meta(res)['annotations'] as JsonObject), [ANNO.origin]: origin }
    } else {
      throw new KustomizeError(`id ${idString(id)} exists; behavior must be merge or replace`, 'kustomize/generator-behavior')
    }
    removeAnnotation(res, ANNO.genBehavior)
    list[list.indexOf(old)] = res
    index = anyIdIndex(list)
  }
}

/** Labels and annotations of `old` under those of `res`; name and namespace of `old` (CopyMergeMetaDataFieldsFrom). */
function copyMergeMeta(res: Res, old: Res): void {
  const m = meta(res)
  const om = meta(old)
  const labels = { ...(isJsonObject(om['labels']) ? om['labels'] : {}), ...(isJsonObject(m['labels']) ? m['labels'] : {}) }
  if (Object.keys(labels).length > 0) m['labels'] = labels
  const newAnn = getAnnotations(res)
  const oldAnn = getAnnotations(old)
  const merged: JsonObject = { ...oldAnn, ...newAnn }
  // Build bookkeeping comes from the old resource only; the hash flag also needs the new one.
  for (const k of BUILD_KEYS) {
    if (Object.hasOwn(oldAnn, k)) merged[k] = oldAnn[k] as string
    else delete merged[k]
  }
  if (!Object.hasOwn(newAnn, ANNO.needsHash)) delete merged[ANNO.needsHash]
  if (Object.keys(merged).length > 0) m['annotations'] = merged
  else delete m['annotations']
  m['name'] = om['name'] ?? m['name'] ?? null
  if (typeof om['namespace'] === 'string' && om['namespace'] !== '') m['namespace'] = om['namespace']
  else delete m['namespace']
  res.refVarNames = old.refVarNames ? [...old.refVarNames] : undefined
  if (res.refVarNames === undefined) delete res.refVarNames
}

const BUILD_KEYS = [
  ANNO.prevKinds, ANNO.prevNames, ANNO.prefixes, ANNO.suffixes, ANNO.prevNamespaces, ANNO.allowNameChange,
  ANNO.allowKindChange, ANNO.refBy, ANNO.genBehavior, ANNO.needsHash,
]

function mergeDataFrom(res: Res, old: Res, key: string): void {
  const o = old.obj[key]
  const n = res.obj[key]
  if (!isJsonObject(o) && !isJsonObject(n)) return
  const merged = { ...(isJsonObject(o) ? o : {}), ...(isJsonObject(n) ? n : {}) }
  if (Object.keys(merged).length > 0) res.obj[key] = merged
}

/** kustomize reads labels and annotations as string maps: `happy: true` becomes "true". */
function stringifyMeta(r: Res): void {
  const m = meta(r)
  for (const f of ['labels', 'annotations']) {
    const v = m[f]
    if (!isJsonObject(v)) continue
    for (const [k, x] of Object.entries(v)) if (x !== null && typeof x !== 'object' && typeof x !== 'string') v[k] = String(x)
  }
}

function goMap(v: JsonValue | undefined): string {
  if (!isJsonObject(v)) return 'map[]'
  return 'map[' + Object.keys(v).sort().map((k) => `${k}:${String(v[k])}`).join(' ') + ']'
}

/** Resources read from files need a name (kyaml's GetValidatedMetadata); Lists do not. */
export function validateResources(list: Res[]): void {
  for (const r of list) {
    const kind = getKind(r)
    if (kind.endsWith('List')) continue
    const m = meta(r)
    if (typeof m['name'] === 'string' && m['name'] !== '') continue
    const desc = `{{${String(r.obj['apiVersion'] ?? '')} ${kind}} {{${String(m['name'] ?? '')} ${String(m['namespace'] ?? '')}} ${goMap(m['labels'])} ${goMap(m['annotations'])}}}`
    throw new KustomizeError(`missing metadata.name in object ${desc}`, 'kustomize/invalid-resource')
  }
}

export const anyIdIndex = timed('kustomize: resource map', anyIdIndexUntimed)

export const absorbAll = timed('kustomize: resource map', absorbAllUntimed)

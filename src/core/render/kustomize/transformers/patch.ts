import { LRUCache } from 'lru-cache'
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { cloneJson } from '../../../model/clone.js'
import { approximateBytes } from '../../../model/size.js'
import { KustomizeError } from '../loader.js'
import { applyJsonPatch, schemaFor, StrategicMergeError, strategicMerge, type SchemaRegistry } from '../merge-api.js'
import { resourcesFromText } from '../resmap.js'
import {
  ANNO, curId, getAnnotations, getApiVersion, getKind, getName, getNamespace, makeRes, meta, orgId, setName, setNamespace,
  storePreviousId, type Res,
} from '../resource.js'
import { idEquals, idString } from '../resid.js'
import { parseYamlDocuments, readYaml11 } from '../../../yaml/index.js'
import { select, type Selector } from './select.js'
import { matchAnyId } from '../resmap.js'

/** Applies one strategic-merge patch to a resource in place (kustomize's Resource.ApplySmPatch). */
export function applySmPatch(r: Res, patch: Res, schemas?: SchemaRegistry): void {
  const name = getName(r), ns = getNamespace(r), kind = getKind(r)
  const pa = getAnnotations(patch)
  const allowName = pa[ANNO.allowNameChange] === 'true'
  const allowKind = pa[ANNO.allowKindChange] === 'true'
  if (allowName || allowKind) storePreviousId(r)
  const p = cloneJson(patch.obj)
  const pm = p['metadata']
  if (isJsonObject(pm) && isJsonObject(pm['annotations'])) {
    delete pm['annotations'][ANNO.allowNameChange]
    delete pm['annotations'][ANNO.allowKindChange]
    if (Object.keys(pm['annotations']).length === 0) delete pm['annotations']
  }
  let merged: JsonObject | null
  try {
    // kyaml takes the schema of the first source that has one: the target, else the patch.
    const schema = schemaFor(getApiVersion(r), kind, schemas) ?? schemaFor(String(p['apiVersion'] ?? ''), String(p['kind'] ?? ''), schemas)
    merged = strategicMerge(r.obj, p, schema)
  } catch (e) {
    if (e instanceof StrategicMergeError) throw new KustomizeError(e.message, 'kustomize/patch-failed')
    throw e
  }
  if (merged === null || Object.keys(merged).length === 0) {
    r.obj = {}
    return
  }
  r.obj = merged
  if (!allowKind) r.obj['kind'] = kind
  if (!allowName) setName(r, name)
  setNamespace(r, ns)
}

/** Applies `patch` to the resources in `targets` (with the target's gvk), dropping deleted ones. */
export function applySmPatchToSet(resources: Res[], targets: Res[], patch: Res, schemas?: SchemaRegistry): Res[] {
  const out: Res[] = []
  for (const r of resources) {
    if (targets.includes(r)) {
      const copy = makeRes(cloneJson(patch.obj))
      copy.obj['apiVersion'] = getApiVersion(r)
      applySmPatch(r, copy, schemas)
      if (Object.keys(r.obj).length === 0) continue
    }
    out.push(r)
  }
  return out
}

/** The one resource a patch without target names (by any id it has carried). */
export function uniqueTarget(resources: Res[], patch: Res): Res {
  const id = orgId(patch)
  const hits = matchAnyId(resources, (x) => idEquals(x, id))
  if (hits.length === 1) return hits[0] as Res
  const what = hits.length > 1 ? 'multiple matches' : 'no matches'
  throw new KustomizeError(`${what} for Id ${idString(id)}; failed to find unique target for patch ${idString(curId(patch))}`, 'kustomize/patch-target')
}

/** Patches without a target: each applies to the resource with its own id. */
export function applyUntargeted(resources: Res[], patches: Res[], schemas?: SchemaRegistry): Res[] {
  let list = resources
  for (const patch of patches) {
    const target = uniqueTarget(list, patch)
    list = applySmPatchToSet(list, [target], patch, schemas)
  }
  return list
}

/**
 * Parsed JSON 6902 operations per patch text, and the texts `patches:` classified as JSON
 * patches (keys `p` and `c` + text). A fleet's shared components repeat the same patch in
 * every Kustomization that includes them: parsing it again was about a fifth of the YAML
 * parses of a 1,000-Kustomization render. The operations are only read (applyJsonPatch
 * copies every value it inserts), so one deeply frozen parse is shared; a failed parse is
 * never stored.
 */
const JSON_OPS = new LRUCache<string, readonly JsonValue[]>({ maxSize: 8 * 1024 * 1024, sizeCalculation: (ops, key) => Math.max(1, 2 * key.length + approximateBytes(ops)) })

/** Parses JSON 6902 operations given as JSON or YAML text. */
export function parseJsonOps(text: string, source: string): readonly JsonValue[] {
  const hit = JSON_OPS.get('p' + text)
  if (hit) return hit
  let ops: JsonValue
  try {
    const t = text.trim()
    // kustomize converts YAML patches with sigs.k8s.io/yaml: YAML 1.1, so `yes` is true.
    if (t.startsWith('[')) ops = JSON.parse(t) as JsonValue
    else {
      const r = readYaml11(t)
      if (!r.ok) throw new Error(r.error)
      ops = r.value
    }
  } catch {
    throw new KustomizeError(`unable to parse JSON patch ${source}`, 'kustomize/invalid-patch')
  }
  if (!Array.isArray(ops)) {
    throw new KustomizeError(`json: cannot unmarshal ${typeof ops === 'string' ? 'string' : 'object'} into Go value of type jsonpatch.Patch`, 'kustomize/invalid-patch')
  }
  freezeDeep(ops)
  JSON_OPS.set('p' + text, ops)
  return ops
}

function freezeDeep(v: JsonValue): void {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return
  for (const x of Array.isArray(v) ? v : Object.values(v)) freezeDeep(x)
  Object.freeze(v)
}

/** Applies JSON 6902 operations to each selected resource, keeping internal annotations. */
export function applyJsonOps(targets: Res[], ops: readonly JsonValue[], storeId: boolean): void {
  for (const r of targets) {
    if (storeId) storePreviousId(r)
    const internal = Object.entries(getAnnotations(r)).filter(([k]) => k.startsWith('internal.config.kubernetes.io/') || k.startsWith('config.kubernetes.io/'))
    const res = applyJsonPatch(r.obj, ops)
    if (!res.ok) throw new KustomizeError(res.error, 'kustomize/patch-failed')
    if (!isJsonObject(res.value)) throw new KustomizeError('JSON patch turned the object into a non-object', 'kustomize/patch-failed')
    r.obj = res.value
    if (internal.length > 0) {
      const m = meta(r)
      m['annotations'] = { ...(isJsonObject(m['annotations']) ? m['annotations'] : {}), ...Object.fromEntries(internal) }
    }
  }
}

/** One `patches:` entry (kustomize's PatchTransformer). */
export interface PatchSpec {
  text: string
  source: string
  target?: Selector
  allowNameChange?: boolean
  allowKindChange?: boolean
}

function classify(spec: PatchSpec): { sm: Res[] } | { json: readonly JsonValue[] } {
  // The verdict depends on the text alone: a text once read as JSON patch needs no second look.
  const known = JSON_OPS.get('c' + spec.text)
  if (known) return { json: known }
  let docs: JsonValue[] | undefined
  try {
    docs = parseYamlDocuments(spec.text)
  } catch {
    docs = undefined
  }
  const t = spec.text.trim()
  // kustomize v5.5: an empty patch file is an empty SM patch (a no-op); one with only
  // comments or blank lines also reads as a JSON patch (`null`), which it refuses.
  if (spec.text === '') return { sm: [] }
  if (docs && docs.every((d) => d === null)) {
    throw new KustomizeError(`illegally qualifies as both an SM and JSON patch: ${spec.source}`, 'kustomize/invalid-patch')
  }
  if (t.startsWith('[') || (docs && Array.isArray(docs[0]))) {
    try {
      const ops = parseJsonOps(spec.text, spec.source)
      JSON_OPS.set('c' + spec.text, ops)
      return { json: ops }
    } catch {
      throw new KustomizeError(`unable to parse SM or JSON patch from ${spec.source}`, 'kustomize/invalid-patch')
    }
  }
  if (!docs || !docs.every((d) => d === null || isJsonObject(d))) {
    throw new KustomizeError(`unable to parse SM or JSON patch from ${spec.source}`, 'kustomize/invalid-patch')
  }
  const sm = resourcesFromText(spec.text, spec.source)
  for (const p of sm) {
    if (spec.allowNameChange) meta(p)['annotations'] = { ...(meta(p)['annotations'] as JsonObject), [ANNO.allowNameChange]: 'true' }
    if (spec.allowKindChange) meta(p)['annotations'] = { ...(meta(p)['annotations'] as JsonObject), [ANNO.allowKindChange]: 'true' }
  }
  return { sm }
}

/** Runs one PatchTransformer: SM patches by target or own id, JSON patches by target. */
export function patchTransform(resources: Res[], spec: PatchSpec, schemas?: SchemaRegistry): Res[] {
  const kind = classify(spec)
  if ('json' in kind) {
    if (!spec.target) throw new KustomizeError(`must specify a target for JSON patch ${spec.source}`, 'kustomize/patch-target')
    applyJsonOps(select(resources, spec.target), kind.json, true)
    return resources
  }
  if (spec.target) {
    if (kind.sm.length > 1) {
      throw new KustomizeError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${spec.source}`, 'kustomize/invalid-patch')
    }
    const patch = kind.sm[0]
    if (!patch) return resources
    return applySmPatchToSet(resources, select(resources, spec.target), patch, schemas)
  }
  return applyUntargeted(resources, kind.sm, schemas)
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { getOwn, setOwn } from '../../../model/own.js'
import { FieldSpecError, specSelects, splitPath, walkPath, type FieldSpec } from '../fieldspec.js'
import { KustomizeError } from '../loader.js'
import { addNamePrefix, addNameSuffix, allIds, curId, getApiVersion, gvkOf, orgId, storePreviousId, type Res } from '../resource.js'
import { gvkSelected, idString, isClusterScoped } from '../resid.js'
import { gvkLess } from '../sort.js'

/** Applies `fn` to every field `specs` select in `r`; fieldspec path errors name the object. */
export function applySpecs(r: Res, specs: readonly FieldSpec[], createLeaf: 'map' | 'scalar' | undefined, fn: (h: JsonObject | JsonValue[], k: string | number, fs: FieldSpec) => void): void {
  const gvk = gvkOf(r)
  for (const fs of specs) {
    if (!specSelects(fs, gvk)) continue
    try {
      walkPath(r.obj, splitPath(fs.path), fs.create === true, createLeaf, (h, k) => fn(h, k, fs))
    } catch (e) {
      if (e instanceof FieldSpecError) throw new KustomizeError(`considering field '${fs.path}' of object ${idString(curId(r))}: ${e.message}`, 'kustomize/field-spec')
      throw e
    }
  }
}

function valueAt(h: JsonObject | JsonValue[], k: string | number): JsonValue | undefined {
  return Array.isArray(h) ? h[k as number] : getOwn(h, k as string)
}

function setAt(h: JsonObject | JsonValue[], k: string | number, v: JsonValue): void {
  if (Array.isArray(h)) h[k as number] = v
  else setOwn(h, k as string, v)
}

function kindName(v: JsonValue | undefined): string {
  if (Array.isArray(v)) return 'SequenceNode'
  if (isJsonObject(v)) return 'MappingNode'
  return 'ScalarNode'
}

/** Sets a string map's entries at each selected field (labels, annotations, selectors). */
export function mapEntriesTransform(resources: Res[], entries: Record<string, string>, specs: readonly FieldSpec[]): void {
  if (Object.keys(entries).length === 0) return
  for (const r of resources) {
    applySpecs(r, specs, 'map', (h, k, fs) => {
      const v = valueAt(h, k)
      if (v === null || v === undefined) {
        if (!fs.create) return
        setAt(h, k, {})
      } else if (!isJsonObject(v)) {
        throw new KustomizeError(`wrong node kind: expected MappingNode but got ${kindName(v)}`, 'kustomize/field-spec')
      }
      const m = valueAt(h, k) as JsonObject
      for (const [ek, ev] of Object.entries(entries)) setOwn(m, ek, ev)
    })
  }
}

const PREFIX_SKIP = [{ kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }, { kind: 'Namespace' }]

/** namePrefix / nameSuffix: renames, remembering the old id for name references. */
export function prefixSuffixTransform(resources: Res[], prefix: string, suffix: string, specs: readonly FieldSpec[]): void {
  for (const r of resources) {
    const id = orgId(r)
    if (PREFIX_SKIP.some((s) => gvkSelected(id, s))) continue
    for (const fs of specs) {
      if (!gvkSelected(id, { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' })) continue
      if (fs.path === 'metadata/name') {
        if (prefix) addNamePrefix(r, prefix)
        if (suffix) addNameSuffix(r, suffix)
        storePreviousId(r)
      }
      applySpecs(r, [{ ...fs, kind: '', group: '', version: '' }], undefined, (h, k) => {
        const v = valueAt(h, k)
        if (typeof v === 'string') setAt(h, k, prefix + v + suffix)
      })
    }
  }
}

export type SubjectMode = 'defaultOnly' | 'allServiceAccounts' | 'none'

/** The namespace transformer (K: metadata.namespace on namespaced kinds, RoleBinding subjects). */
export function namespaceTransform(resources: Res[], ns: string, specs: readonly FieldSpec[], mode: SubjectMode, unsetOnly: boolean, trackIds = true): void {
  if (ns === '') return
  // How many resources carry each id, kept as each one is moved: comparing every resource with
  // every other after each move was quadratic in the size of a kustomization. Only the moved
  // resource changes in a step, so its new id's count is the number the full scan would find.
  const carrying = new Map<string, number>()
  for (const x of resources) {
    const key = idString(curId(x))
    carrying.set(key, (carrying.get(key) ?? 0) + 1)
  }
  for (const r of resources) {
    if (Object.keys(r.obj).length === 0) continue
    const before = idString(curId(r))
    if (trackIds) storePreviousId(r)
    const gvk = gvkOf(r)
    const setter = (h: JsonObject | JsonValue[], k: string | number): void => {
      const v = valueAt(h, k)
      if (v !== undefined && v !== null && typeof v === 'object') {
        throw new KustomizeError(`wrong node kind: expected ScalarNode but got ${kindName(v)}: node contents:\n${JSON.stringify(v)}`, 'kustomize/field-spec')
      }
      if (unsetOnly && typeof v === 'string' && v !== '') return
      setAt(h, k, ns)
    }
    if (!isClusterScoped(gvk)) {
      const m = r.obj['metadata'] as JsonObject
      setter(m, 'namespace')
    }
    let fss = specs.filter((fs) => fs.path !== 'metadata/namespace' && !(getApiVersion(r) !== 'v1' && fs.path === 'metadata/name'))
    if (gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding') {
      fss = fss.filter((fs) => !((fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding') && fs.path === 'subjects/namespace'))
      const subjects = r.obj['subjects']
      if (Array.isArray(subjects) && mode !== 'none') {
        for (const s of subjects) {
          if (!isJsonObject(s)) continue
          if (mode === 'defaultOnly' ? s['name'] === 'default' : s['kind'] === 'ServiceAccount') setter(s, 'namespace')
        }
      }
    }
    try {
      applySpecs(r, fss, 'scalar', setter)
    } catch (e) {
      if (e instanceof KustomizeError && e.message.includes('wrong node kind')) {
        throw new KustomizeError(`namespace field specs must target scalar nodes: ${e.message}`, e.code)
      }
      throw e
    }
    // Two ids with the same idString are the same id (same fields give the same string).
    const after = idString(curId(r))
    carrying.set(before, (carrying.get(before) ?? 1) - 1)
    carrying.set(after, (carrying.get(after) ?? 0) + 1)
    if ((carrying.get(after) ?? 0) > 1) {
      const same = resources.filter((x) => idString(curId(x)) === after)
      throw new KustomizeError(`namespace transformation produces ID conflict: ${same.map((x) => idString(curId(x))).join(', ')}`, 'kustomize/id-conflict')
    }
  }
}

/** ReplicaCountTransformer: sets the count on resources named `name` (by any id they had). */
export function replicaTransform(resources: Res[], name: string, count: number, specs: readonly FieldSpec[]): void {
  let found = false
  for (const fs of specs) {
    const sel = { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' }
    for (const r of resources) {
      if (!allIds(r).some((id) => id.name === name && gvkSelected(id, sel))) continue
      found = true
      applySpecs(r, [fs], 'scalar', (h, k) => setAt(h, k, count))
    }
  }
  if (!found) {
    // kustomize keeps field specs sorted by gvk, which is the order its message lists them in.
    const sorted = [...specs].sort((a, b) => gvkLess({ group: a.group ?? '', version: a.version ?? '', kind: a.kind ?? '' }, { group: b.group ?? '', version: b.version ?? '', kind: b.kind ?? '' }))
    const gvks = sorted.map((fs) => `${fs.kind || '[noKind]'}.${fs.version || '[noVer]'}.${fs.group || '[noGrp]'}`)
    throw new KustomizeError(`resource with name ${name} does not match a config with the following GVK [${gvks.join(' ')}]`, 'kustomize/replicas-no-match')
  }
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { getOwn } from '../../../model/own.js'
import type { NameBackRef } from '../config.js'
import { specSelects, splitPath, walkPath, type FieldSpec } from '../fieldspec.js'
import { KustomizeError } from '../loader.js'
import {
  appendRefBy, curId, getKind, getName, getNamespace, gvkOf, hadName, orgId, prefixesSuffixesEqual, prevIds, type Res,
} from '../resource.js'
import { effectiveNamespace, gvkSelected, idString, isClusterScoped, type Gvk } from '../resid.js'
import { timed } from '../../../timings/phases.js'

/**
 * Rewrites every field that names another resource to that resource's final name
 * (kustomize's name-reference transformer, run once after all renames).
 */
function fixNameReferencesUntimed(resources: Res[], backRefs: readonly NameBackRef[]): void {
  for (const referrer of resources) {
    const org = orgId(referrer)
    let candidates: Res[] | undefined
    for (const br of backRefs) {
      for (const fs of br.referrers) {
        if (!gvkSelected(org, { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' })) continue
        candidates ??= couldBeReferenced(resources, referrer)
        applyOne(referrer, fs, br.target, candidates)
      }
    }
  }
}
export const fixNameReferences = timed('kustomize: name references', fixNameReferencesUntimed)

function couldBeReferenced(all: Res[], referrer: Res): Res[] {
  const id = curId(referrer)
  if (isClusterScoped(id)) return all
  const rbNamespaces = roleBindingNamespaces(referrer)
  return all.filter((r) => {
    const t = curId(r)
    if (isClusterScoped(t)) return true
    if (effectiveNamespace(t) === effectiveNamespace(id)) return true
    return rbNamespaces.has(getNamespace(r))
  })
}

function roleBindingNamespaces(r: Res): Set<string> {
  const out = new Set<string>()
  const kind = getKind(r)
  if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') return out
  const subjects = r.obj['subjects']
  if (!Array.isArray(subjects)) return out
  for (const s of subjects) {
    if (!isJsonObject(s) || !Object.hasOwn(s, 'namespace')) continue
    const ns = s['namespace']
    if (ns === null || ns === '') throw new KustomizeError(`Invalid Input: namespace is blank for resource ${JSON.stringify(idString(curId(r)))}`, 'kustomize/blank-namespace')
    out.add(String(ns))
  }
  return out
}

function applyOne(referrer: Res, fs: FieldSpec, target: Partial<Gvk>, candidates: Res[]): void {
  if (!specSelects({ ...fs, kind: '', group: '', version: '' }, gvkOf(referrer))) return
  walkPath(referrer.obj, splitPath(fs.path), false, undefined, (h, k) => {
    const v = Array.isArray(h) ? h[k as number] : getOwn(h, k as string)
    if (v === null || v === undefined) return
    const set = (x: JsonValue): void => {
      if (Array.isArray(h)) h[k as number] = x
      else h[k as string] = x
    }
    if (typeof v === 'string') {
      const n = setScalar(v, referrer, fs, target, candidates)
      if (n !== undefined) set(n)
    } else if (Array.isArray(v)) {
      v.forEach((el, i) => {
        if (typeof el === 'string') {
          const n = setScalar(el, referrer, fs, target, candidates)
          if (n !== undefined) v[i] = n
        } else if (isJsonObject(el)) setMapping(el, referrer, fs, target, candidates)
      })
    } else if (isJsonObject(v)) setMapping(v, referrer, fs, target, candidates)
  })
}

function setScalar(value: string, referrer: Res, fs: FieldSpec, target: Partial<Gvk>, candidates: Res[]): string | undefined {
  const r = selectReferral(value, referrer, fs, target, candidates, (rs) => rs.every((x) => getName(x) === getName(rs[0] as Res)))
  if (!r) return undefined
  appendRefBy(r, idString(curId(referrer)))
  return getName(r)
}

function setMapping(node: JsonObject, referrer: Res, fs: FieldSpec, target: Partial<Gvk>, candidates: Res[]): void {
  if (!Object.hasOwn(node, 'name')) throw new KustomizeError(`path config error; no 'name' field in node`, 'kustomize/name-reference')
  let cands = candidates
  if (Object.hasOwn(node, 'namespace')) {
    const ns = String(node['namespace'] ?? '')
    const byOrg = candidates.filter((c) => originalNs(c) === ns)
    cands = byOrg.length > 0 ? byOrg : candidates.filter((c) => getNamespace(c) === ns)
  }
  const oldName = String(node['name'])
  const r = selectReferral(oldName, referrer, fs, target, cands, (rs) =>
    rs.every((x) => getName(x) === getName(rs[0] as Res) && getNamespace(x) === getNamespace(rs[0] as Res)),
  )
  if (!r) return
  appendRefBy(r, idString(curId(referrer)))
  if (getName(r) === oldName && getNamespace(r) === '') return
  node['name'] = getName(r)
  if (getNamespace(r) !== '') node['namespace'] = getNamespace(r)
}

function originalNs(r: Res): string {
  const p = prevIds(r)[0]
  return p ? p.namespace : getNamespace(r)
}

function selectReferral(
  oldName: string, referrer: Res, fs: FieldSpec, target: Partial<Gvk>, all: Res[], identical: (rs: Res[]) => boolean,
): Res | undefined {
  const roleRef = fs.path.endsWith('roleRef/name') ? roleRefGvk(referrer) : undefined
  const refId = curId(referrer)
  // Only resources that were renamed (that carry previous ids) can be referral targets: a
  // reference to an unchanged name needs no rewrite.
  let c = all.filter((r) => hadName(r, oldName))
  c = c.filter((r) => prevIds(r).some((id) => gvkSelected(id, target)))
  if (roleRef) c = c.filter((r) => prevIds(r).some((id) => gvkSelected(id, roleRef)))
  if (!isClusterScoped(refId)) {
    c = c.filter((r) => isClusterScoped(curId(r)) || getKind(r) === 'ServiceAccount' || effectiveNamespace(curId(r)) === effectiveNamespace(refId))
  }
  if (c.length === 1) return c[0]
  c = c.filter((r) => prefixesSuffixesEqual(r, referrer, true))
  if (c.length > 1) c = c.filter((r) => prefixesSuffixesEqual(r, referrer, false))
  if (c.length === 1) return c[0]
  if (c.length === 0) return undefined
  if (identical(c)) return c[0]
  throw new KustomizeError(`found multiple possible referrals: ${c.map((r) => idString(curId(r))).join(', ')}`, 'kustomize/ambiguous-reference')
}

function roleRefGvk(r: Res): Partial<Gvk> | undefined {
  const rr = r.obj['roleRef']
  if (!isJsonObject(rr) || typeof rr['apiGroup'] !== 'string' || typeof rr['kind'] !== 'string') return undefined
  return { group: rr['apiGroup'], kind: rr['kind'] }
}

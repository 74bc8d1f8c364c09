import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { getOwn } from '../../../model/own.js'
import type { FieldSpec } from '../fieldspec.js'
import { field } from '../kustomization.js'
import { KustomizeError } from '../loader.js'
import { allIds, type Res } from '../resource.js'
import { parseApiVersion, type ResId } from '../resid.js'
import { applySpecs } from './basic.js'
import { getFieldPath, splitFieldPath } from './fieldpath.js'

/** A `vars:` entry (deprecated in kustomize, still honoured). */
export interface Var {
  name: string
  apiVersion: string
  kind: string
  objName: string
  namespace: string
  fieldPath: string
}

export function varFromYaml(v: JsonObject): Var {
  const ref = field(v, 'objref')
  const fr = field(v, 'fieldref')
  const o = isJsonObject(ref) ? ref : {}
  const s = (x: JsonValue | undefined): string => (typeof x === 'string' ? x : '')
  return {
    name: s(field(v, 'name')),
    apiVersion: s(field(o, 'apiVersion')),
    kind: s(field(o, 'kind')),
    objName: s(field(o, 'name')),
    namespace: s(field(o, 'namespace')),
    fieldPath: (isJsonObject(fr) ? s(field(fr, 'fieldPath')) : '') || 'metadata.name',
  }
}

function describe(v: Var): string {
  return `{${v.name} ${JSON.stringify({ kind: v.kind, name: v.objName, apiVersion: v.apiVersion })} {${v.fieldPath}}}`
}

function matches(v: Var, id: ResId): boolean {
  const gv = parseApiVersion(v.apiVersion)
  if (v.kind && id.kind !== v.kind) return false
  if (v.apiVersion && (gv.group !== id.group || gv.version !== id.version)) return false
  if (id.name !== v.objName) return false
  if (v.namespace && (id.namespace || 'default') !== v.namespace) return false
  return true
}

/** Links each var to the resource it names (kustomize's MergeVars). */
export function mergeVars(resources: Res[], known: Var[], incoming: Var[]): Var[] {
  for (const v of incoming) {
    const hits = resources.filter((r) => allIds(r).some((id) => matches(v, id)))
    if (hits.length > 1) throw new KustomizeError(`found ${hits.length} resId matches for var ${describe(v)} (unable to disambiguate)`, 'kustomize/var-ambiguous')
    if (hits.length === 1) {
      const r = hits[0] as Res
      r.refVarNames = [...(r.refVarNames ?? []), v.name]
    }
  }
  const out = [...known]
  for (const v of incoming) {
    if (out.some((x) => x.name === v.name)) throw new KustomizeError(`var '${v.name}' already encountered`, 'kustomize/var-duplicate')
    out.push(v)
  }
  return out
}

/** Replaces `$(VAR)` in the varReference fields of every resource. */
export function resolveVars(resources: Res[], vars: Var[], specs: readonly FieldSpec[]): void {
  if (vars.length === 0) return
  const values = new Map<string, JsonValue>()
  for (const v of vars) {
    const r = resources.find((x) => x.refVarNames?.includes(v.name))
    if (!r) throw new KustomizeError(`var '${describe(v)}' cannot be mapped to a field in the set of known resources`, 'kustomize/var-unresolved')
    const val = getFieldPath(r.obj, splitFieldPath(v.fieldPath))
    if (val === undefined) throw new KustomizeError(`field specified in var '${describe(v)}' not found in corresponding resource`, 'kustomize/var-unresolved')
    values.set(v.name, val)
  }
  for (const r of resources) {
    applySpecs(r, specs, undefined, (h, k) => {
      const cur = Array.isArray(h) ? h[k as number] : getOwn(h, k as string)
      const set = (x: JsonValue): void => {
        if (Array.isArray(h)) h[k as number] = x
        else h[k as string] = x
      }
      if (typeof cur === 'string') set(expand(cur, values))
      else if (Array.isArray(cur)) cur.forEach((x, i) => typeof x === 'string' && (cur[i] = expand(x, values)))
      else if (isJsonObject(cur)) for (const [mk, mv] of Object.entries(cur)) if (typeof mv === 'string') cur[mk] = expand(mv, values)
    })
  }
}

/** Kubernetes-style `$(VAR)` expansion; `$$` escapes. A lone reference keeps the value's type. */
export function expand(s: string, values: Map<string, JsonValue>): JsonValue {
  const whole = /^\$\(([^)]*)\)$/.exec(s)
  if (whole && values.has(whole[1] as string)) return values.get(whole[1] as string) as JsonValue
  let out = ''
  for (let i = 0; i < s.length; i++) {
    const c = s[i]
    if (c !== '$' || i + 1 >= s.length) {
      out += c
      continue
    }
    const n = s[i + 1]
    if (n === '$') {
      out += '$'
      i++
    } else if (n === '(') {
      const end = s.indexOf(')', i + 2)
      if (end < 0) {
        out += s.slice(i)
        break
      }
      const name = s.slice(i + 2, end)
      const v = values.get(name)
      out += v === undefined ? `$(${name})` : typeof v === 'object' ? JSON.stringify(v) : String(v)
      i = end
    } else {
      out += c
    }
  }
  return out
}

import { isJsonObject, type JsonObject } from '../../../model/object.js'
import { field } from '../kustomization.js'
import { getOwn } from '../../../model/own.js'
import { compileRe2, type Re2 } from '../../../regex/index.js'
import { KustomizeError } from '../loader.js'
import { curId, getAnnotations, getLabels, gvkOf, orgId, type Res } from '../resource.js'
import { effectiveNamespace } from '../resid.js'

/** A patch/replacement target: regexes on gvk, name, namespace, plus label/annotation selectors. */
export interface Selector {
  group?: string
  version?: string
  kind?: string
  name?: string
  namespace?: string
  labelSelector?: string
  annotationSelector?: string
}

export function selectorFromYaml(v: JsonObject | undefined): Selector | undefined {
  if (!v) return undefined
  const s: Selector = {}
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const x = field(v, k)
    if (typeof x === 'string' && x !== '') s[k] = x
  }
  const gvk = field(v, 'gvk')
  if (isJsonObject(gvk)) for (const k of ['group', 'version', 'kind'] as const) if (typeof gvk[k] === 'string') s[k] = gvk[k] as string
  return s
}

/** kustomize anchors each selector field and compiles it with Go's regexp (RE2: linear time). */
function re(pattern: string | undefined): Re2 | undefined {
  if (pattern === undefined || pattern === '') return undefined
  const c = compileRe2('^(?:' + pattern + ')$')
  if (!c.ok) throw new KustomizeError(`invalid selector regular expression ${JSON.stringify(pattern)}: ${c.error}`, 'kustomize/invalid-selector')
  return c.re
}

/** Parses a Kubernetes label selector (`a=b,c!=d,e in (x,y),!f,g`) into a predicate. */
export function parseLabelSelector(sel: string): (labels: Record<string, string>) => boolean {
  const reqs: ((l: Record<string, string>) => boolean)[] = []
  const parts = sel.match(/([^,(]+(\([^)]*\))?)/g) ?? []
  for (const raw of parts) {
    const p = raw.trim()
    if (p === '') continue
    let m: RegExpExecArray | null
    if ((m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p))) {
      const key = m[1] as string, op = m[2], vals = (m[3] as string).split(',').map((x) => x.trim())
      reqs.push(op === 'in' ? (l) => Object.hasOwn(l, key) && vals.includes(l[key] as string) : (l) => !Object.hasOwn(l, key) || !vals.includes(l[key] as string))
    } else if ((m = /^(\S+?)\s*!=\s*(\S*)$/.exec(p))) {
      const key = m[1] as string, val = m[2] as string
      reqs.push((l) => getOwn(l, key) !== val)
    } else if ((m = /^(\S+?)\s*==?\s*(\S*)$/.exec(p))) {
      const key = m[1] as string, val = m[2] as string
      reqs.push((l) => getOwn(l, key) === val)
    } else if (p.startsWith('!')) {
      const key = p.slice(1).trim()
      reqs.push((l) => !Object.hasOwn(l, key))
    } else reqs.push((l) => Object.hasOwn(l, p))
  }
  return (l) => reqs.every((r) => r(l))
}

/** Resources a selector picks, matching original or current name and namespace (kustomize's Select). */
export function select(resources: Res[], s: Selector): Res[] {
  const [g, v, k, n, ns] = [re(s.group), re(s.version), re(s.kind), re(s.name), re(s.namespace)]
  const ls = s.labelSelector ? parseLabelSelector(s.labelSelector) : undefined
  const as = s.annotationSelector ? parseLabelSelector(s.annotationSelector) : undefined
  return resources.filter((r) => {
    const cur = curId(r)
    const org = orgId(r)
    if (ns && !ns.test(effectiveNamespace(org)) && !ns.test(effectiveNamespace(cur))) return false
    if (n && !n.test(org.name) && !n.test(cur.name)) return false
    const gvk = gvkOf(r)
    if (g && !g.test(gvk.group)) return false
    if (v && !v.test(gvk.version)) return false
    if (k && !k.test(gvk.kind)) return false
    if (ls && !ls(getLabels(r))) return false
    if (as && !as(getAnnotations(r))) return false
    return true
  })
}

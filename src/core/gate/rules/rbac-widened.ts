import { isJsonObject, type KubeObject } from '../../model/object.js'
import { canonical, headObjects, hit, nameOf } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

const RBAC = 'rbac.authorization.k8s.io'

/** One grant: api group, resource (or `url:` path), verb, resource names (`*`: any). */
interface Grant {
  group: string
  resource: string
  verb: string
  names: string[] | '*'
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []
}

function grantsOf(obj: KubeObject | undefined): Grant[] {
  const rules = obj && Array.isArray(obj['rules']) ? obj['rules'].filter(isJsonObject) : []
  return rules.flatMap((r) => {
    const names = strings(r['resourceNames'])
    const groups = strings(r['apiGroups'])
    const resources = [...strings(r['resources']), ...strings(r['nonResourceURLs']).map((u) => `url:${u}`)]
    return (groups.length > 0 ? groups : ['']).flatMap((group) =>
      resources.flatMap((resource) => strings(r['verbs']).map((verb) => ({ group, resource, verb, names: names.length > 0 ? names : ('*' as const) }))),
    )
  })
}

function covers(a: Grant, b: Grant): boolean {
  const part = (x: string, y: string): boolean => x === '*' || x === y
  const names = a.names === '*' || (b.names !== '*' && b.names.every((n) => (a.names as string[]).includes(n)))
  return part(a.group, b.group) && part(a.resource, b.resource) && part(a.verb, b.verb) && names
}

function describe(g: Grant): string {
  return `${g.verb} ${g.group ? `${g.group}/` : ''}${g.resource}${g.names === '*' ? '' : ` (${g.names.join(',')})`}`
}

function roleFindings(before: KubeObject | undefined, after: KubeObject): string[] {
  const was = grantsOf(before)
  const added = grantsOf(after).filter((g) => !was.some((w) => covers(w, g)))
  // a brand-new role is reviewed as a whole; flag it only when it uses wildcards
  const relevant = before ? added : added.filter((g) => g.group === '*' || g.resource === '*' || g.verb === '*')
  return relevant.length > 0 ? [`grants ${relevant.map(describe).join('; ')}`] : []
}

function bindingFindings(before: KubeObject | undefined, after: KubeObject): string[] {
  const subjects = (o: KubeObject | undefined): string[] => (o && Array.isArray(o['subjects']) ? o['subjects'].map((s) => canonical(s)) : [])
  const roleRef = isJsonObject(after['roleRef']) ? String(after['roleRef']['name'] ?? '') : ''
  const was = new Set(subjects(before))
  const added = subjects(after).filter((s) => !was.has(s))
  if (added.length === 0) return []
  if (!before && roleRef !== 'cluster-admin' && roleRef !== 'admin') return []
  return [`binds ${roleRef} to ${added.length} more subject(s)`]
}

/** A Role/ClusterRole gains verbs, resources or wildcards; a binding gains subjects or binds admin roles. */
export const rbacWidened: GateRule = {
  id: 'rbac-widened',
  description: 'RBAC is widened: new verbs, resources or wildcards in a role, new subjects in a binding, a new binding to cluster-admin/admin.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      if (change.id.group !== RBAC) continue
      const kind = after.kind
      const found =
        kind === 'Role' || kind === 'ClusterRole' ? roleFindings(before, after) : kind === 'RoleBinding' || kind === 'ClusterRoleBinding' ? bindingFindings(before, after) : []
      for (const f of found) hits.push(hit(change, `${nameOf(change)} ${f}`))
    }
    return hits
  },
}

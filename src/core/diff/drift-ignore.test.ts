import { cluster, fleet, ks, objs } from './__fixtures__/fleet.js'
import { applyIgnoreRules, ignoreRulesOf } from './drift-ignore.js'
import { planChange } from './plan-change.js'
import type { KubeObject } from '../model/object.js'

const entry = ks('flux-system')
const replicasRule = [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }]

function deployment(replicas: number, image = 'web:1', extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps, labels: {app: web}${extra}}
spec:
  replicas: ${replicas}
  template: {spec: {containers: [{name: web, image: "${image}"}]}}
`
}

function planOf(baseYaml: string, headYaml: string, ignore?: unknown[]) {
  const apps = ks('apps', { parent: entry.ref, ...(ignore ? { spec: { ignore } } : {}) })
  const base = fleet('a'.repeat(40), [cluster('dev', [entry, apps], objs(apps, baseYaml))])
  const head = fleet('b'.repeat(40), [cluster('dev', [entry, apps], objs(apps, headYaml))])
  return planChange(base, head).clusters[0]!
}

describe('spec.ignore drift rules in the plan', () => {
  it('plans no change when only an ignored path changes, and lists it as ignored', () => {
    const c = planOf(deployment(1), deployment(2), replicasRule)
    expect(c.changes).toEqual([])
    expect(c.ignored).toEqual([
      { id: { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' }, apiVersion: 'apps/v1', owner: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, fields: [{ path: 'spec/replicas', before: 1, after: 2 }] },
    ])
  })

  it('plans the same change when the rule is absent', () => {
    const c = planOf(deployment(1), deployment(2))
    expect(c.changes.map((x) => [x.action, x.fields])).toEqual([['changed', [{ path: 'spec/replicas', before: 1, after: 2 }]]])
    expect(c.ignored).toBeUndefined()
  })

  it('keeps the other changes of the object and leaves the ignored path out of fields and diff', () => {
    const c = planOf(deployment(1, 'web:1'), deployment(3, 'web:2'), replicasRule)
    const ch = c.changes[0]!
    expect(ch.fields.map((f) => f.path)).toEqual(['spec/template/spec/containers/0/image'])
    expect(ch.ignored).toEqual([{ path: 'spec/replicas', before: 1, after: 3 }])
    expect(ch.diff).toContain('+          image: web:2')
    expect(ch.diff).not.toMatch(/^[-+]\s+replicas/m)
  })

  it('creates a new object as written: the ignore rules act on updates only', () => {
    const c = planOf('', deployment(2), replicasRule)
    expect(c.changes[0]).toMatchObject({ action: 'added', after: { spec: { replicas: 2 } } })
  })

  it('applies a rule only to the objects its target selects (kind, name regex, labelSelector, annotationSelector)', () => {
    const cm = (v: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web, namespace: apps}\ndata: {replicas: "${v}"}\n`
    expect(planOf(`${deployment(1)}---\n${cm('1')}`, `${deployment(2)}---\n${cm('2')}`, replicasRule).changes.map((x) => x.id.kind)).toEqual(['ConfigMap'])
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { name: 'w.b' } }]).changes).toEqual([])
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { name: 'we' } }]).changes).toHaveLength(1)
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { labelSelector: 'app in (web,api)' } }]).changes).toEqual([])
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { labelSelector: 'app!=web' } }]).changes).toHaveLength(1)
    const annotated = (n: number): string => deployment(n, 'web:1', ', annotations: {autoscaling: hpa}')
    expect(planOf(annotated(1), annotated(2), [{ paths: ['/spec/replicas'], target: { annotationSelector: 'autoscaling=hpa' } }]).changes).toEqual([])
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { group: 'apps', version: 'v1' } }]).changes).toEqual([])
    expect(planOf(deployment(1), deployment(2), [{ paths: ['/spec/replicas'], target: { group: '' } }]).changes).toEqual([])
  })

  it('keeps the base value of a path the head removes, and removes a path the base lacks', () => {
    const withAnnotation = (v?: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', ...(v ? { annotations: { 'a/b': v } } : {}) }, data: { k: 'v' } })
    const rules = ignoreRulesOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'x' }, spec: { ignore: [{ paths: ['/metadata/annotations/a~1b'] }] } })
    expect(rules.diagnostics).toEqual([])
    const removed = applyIgnoreRules(rules, withAnnotation('1'), withAnnotation(), withAnnotation())
    expect(removed.after.metadata.annotations).toEqual({ 'a/b': '1' })
    expect(removed.ignored).toEqual([{ path: 'metadata/annotations/a~1b', before: '1' }])
    const added = applyIgnoreRules(rules, withAnnotation(), withAnnotation('2'), withAnnotation('2'))
    expect(added.after.metadata.annotations).toEqual({})
  })

  it('treats __proto__ in a pointer as an ordinary key', () => {
    const rules = ignoreRulesOf({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'x' }, spec: { ignore: [{ paths: ['/data/__proto__/polluted'] }] } })
    const base = JSON.parse('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"__proto__":{"polluted":"yes"}}}') as KubeObject
    const head: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} }
    const out = applyIgnoreRules(rules, base, head, head)
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.hasOwn(out.after['data'] as object, '__proto__')).toBe(true)
  })

  it('reports a rule Flux would refuse as an error on its Kustomization and ignores nothing with it', () => {
    const c = planOf(deployment(1), deployment(2), [{ paths: ['spec/replicas'] }, { paths: ['/spec/replicas'], target: { kind: '(' } }])
    expect(c.changes).toHaveLength(1)
    expect(c.diagnostics.filter((d) => d.code === 'diff/invalid-ignore-rule').map((d) => [d.severity, d.owner])).toEqual([
      ['error', 'Kustomization/flux-system/apps'],
      ['error', 'Kustomization/flux-system/apps'],
    ])
  })

  it('masks ignored Secret values', () => {
    const secret = (v: string): string => `apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\nstringData: {token: ${v}}\n`
    const c = planOf(secret('old-token-value'), secret('new-token-value'), [{ paths: ['/data/token'], target: { kind: 'Secret' } }])
    expect(c.changes).toEqual([])
    expect(JSON.stringify(c.ignored)).not.toMatch(/token-value|b2xk|bmV3/)
    expect(c.ignored![0]!.fields[0]!.path).toBe('data/token')
  })
})

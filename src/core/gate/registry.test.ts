import { GATE_RULES } from './registry.js'
import { change, ctx, deploy, k, owner, plan } from './__fixtures__/plans.js'
import type { KubeObject } from '../model/object.js'
import type { RuleContext } from './types.js'

const pvc = (size: string, sc = 'fast') => k('v1', 'PersistentVolumeClaim', 'data', { spec: { storageClassName: sc, resources: { requests: { storage: size } } } })
const role = (rules: unknown[]) => k('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', { rules }, '')
const ks = (suspend: boolean, apiVersion = 'kustomize.toolkit.fluxcd.io/v1') => k(apiVersion, 'Kustomization', 'apps', { spec: { suspend, path: './apps' } }, 'flux-system')
const hr = (version: string) => k('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'podinfo', { spec: { chart: { spec: { chart: 'podinfo', version } } } })
const ns = k('v1', 'Namespace', 'team', {}, '')
const hpa = (apiVersion: string) => k(apiVersion, 'HorizontalPodAutoscaler', 'web', { spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 3 } })
const podinfoPolicy = [
  k('image.toolkit.fluxcd.io/v1', 'ImageRepository', 'podinfo', { spec: { image: 'ghcr.io/stefanprodan/podinfo', interval: '5m' } }, 'flux-system'),
  k('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'podinfo', { spec: { imageRepositoryRef: { name: 'podinfo' }, policy: { semver: { range: '6.x' } } } }, 'flux-system'),
]
const withHead = (c: RuleContext, headObjects: KubeObject[]): RuleContext => ({ ...c, headObjects })

/** For every rule: a context where it finds nothing, and one where it finds something. */
const CASES: Record<string, { pass: RuleContext; fail: RuleContext }> = {
  'render-errors': {
    pass: ctx(plan([], { diagnostics: [{ code: 'kustomize/x', severity: 'warning', message: 'meh' }] })),
    fail: ctx(plan([], { diagnostics: [{ code: 'kustomize/missing-resource', severity: 'error', message: 'missing file', location: { file: 'apps/kustomization.yaml' } }] })),
  },
  'unknown-after-change': {
    pass: ctx(plan([], { unknown: [{ owner: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, state: 'apply-fails', reason: 'Flux fails to apply it in head', objects: [{ id: { group: '', kind: 'ConfigMap', namespace: 'apps', name: 'cfg' }, apiVersion: 'v1' }] }] })),
    fail: ctx(plan([], { unknown: [{ owner: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, state: 'not-comparable', reason: 'not rendered in head (external)', objects: [{ id: { group: '', kind: 'PersistentVolumeClaim', namespace: 'apps', name: 'data' }, apiVersion: 'v1' }] }] })),
  },
  'removed-api-versions': {
    pass: ctx(plan([change('added', undefined, k('networking.k8s.io/v1', 'Ingress', 'web'))]), { kubernetesVersion: '1.32' }),
    fail: ctx(plan([change('added', undefined, k('networking.k8s.io/v1beta1', 'Ingress', 'web'))]), { kubernetesVersion: '1.32' }),
  },
  'invalid-object': {
    pass: ctx(plan([change('changed', deploy('nginx:1.27'), deploy('nginx:1.27', { replicas: 2 }, {}, { imagePullPolicy: 'IfNotPresent' }))])),
    fail: ctx(plan([change('changed', deploy('nginx:1.27'), deploy('nginx:1.27', { replicas: 2 }, {}, { imagePullPolcy: 'IfNotPresent' }))])),
  },
  'deprecated-api-versions': {
    pass: ctx(plan([change('added', undefined, hpa('autoscaling/v2'))]), { kubernetesVersion: '1.24' }),
    fail: ctx(plan([change('added', undefined, hpa('autoscaling/v2beta2'))]), { kubernetesVersion: '1.24' }),
  },
  'image-outside-policy': {
    pass: withHead(ctx(plan([change('changed', deploy('ghcr.io/stefanprodan/podinfo:6.5.0'), deploy('ghcr.io/stefanprodan/podinfo:6.7.1'))])), podinfoPolicy),
    fail: withHead(ctx(plan([change('changed', deploy('ghcr.io/stefanprodan/podinfo:6.5.0'), deploy('ghcr.io/stefanprodan/podinfo:7.0.0'))])), podinfoPolicy),
  },
  'high-risk-deletion': {
    pass: ctx(plan([change('removed', ns, undefined, { prune: 'orphan', highRisk: true })])),
    fail: ctx(plan([change('removed', ns, undefined, { prune: 'delete', highRisk: true })])),
  },
  'protected-paths': {
    pass: ctx(plan([]), { protectedPaths: ['clusters/production/**'] }, ['clusters/staging/apps.yaml']),
    fail: ctx(plan([]), { protectedPaths: ['clusters/production/**'] }, ['clusters/production/flux-system/gotk-sync.yaml']),
  },
  'protected-clusters': {
    pass: ctx(plan([change('added', undefined, deploy('nginx:1'))], { cluster: 'staging' }), { protectedClusters: ['production'] }),
    fail: ctx(plan([change('added', undefined, deploy('nginx:1'))], { cluster: 'production' }), { protectedClusters: ['production'] }),
  },
  'removed-critical-object': {
    pass: ctx(plan([change('removed', k('v1', 'ConfigMap', 'cfg'), undefined)])),
    fail: ctx(plan([change('removed', pvc('10Gi'), undefined, { prune: 'orphan' })])),
  },
  'pvc-shrink': {
    pass: ctx(plan([change('changed', pvc('10Gi'), pvc('20Gi'))])),
    fail: ctx(plan([change('changed', pvc('10Gi'), pvc('9500Mi'))])),
  },
  'immutable-field-change': {
    pass: ctx(plan([change('changed', deploy('nginx:1'), deploy('nginx:2'))])),
    fail: ctx(plan([change('changed', deploy('nginx:1'), deploy('nginx:1', { selector: { matchLabels: { app: 'web2' } } }))])),
  },
  'privileged-pod': {
    pass: ctx(plan([change('added', undefined, deploy('nginx:1', {}, {}, { securityContext: { privileged: false } }))])),
    fail: ctx(plan([change('added', undefined, deploy('nginx:1', {}, {}, { securityContext: { privileged: true } }))])),
  },
  'host-namespace': {
    pass: ctx(plan([change('changed', deploy('a:1', {}, { hostNetwork: true }), deploy('a:2', {}, { hostNetwork: true }))])),
    fail: ctx(plan([change('added', undefined, deploy('a:1', {}, { hostPID: true }))])),
  },
  'replicas-zero': {
    pass: ctx(plan([change('changed', deploy('a:1', { replicas: 3 }), deploy('a:1', { replicas: 2 }))])),
    fail: ctx(plan([change('changed', deploy('a:1', { replicas: 3 }), deploy('a:1', { replicas: 0 }))])),
  },
  'rbac-widened': {
    pass: ctx(plan([change('changed', role([{ apiGroups: [''], resources: ['pods'], verbs: ['*'] }]), role([{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }]))])),
    fail: ctx(plan([change('changed', role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }]), role([{ apiGroups: [''], resources: ['pods', 'secrets'], verbs: ['get'] }]))])),
  },
  'major-version-jump': {
    pass: ctx(plan([change('changed', hr('6.5.0'), hr('6.9.1'))])),
    fail: ctx(plan([change('changed', hr('6.5.0'), hr('7.0.0'))])),
  },
  downgrade: {
    pass: ctx(plan([change('changed', deploy('ghcr.io/org/app:v1.2.3'), deploy('ghcr.io/org/app:v1.3.0'))])),
    fail: ctx(plan([change('changed', deploy('ghcr.io/org/app:v1.2.3'), deploy('ghcr.io/org/app:v1.2.0'))])),
  },
  'suspend-toggled': {
    pass: ctx(plan([change('changed', ks(false), ks(false))])),
    fail: ctx(plan([change('changed', ks(false), ks(true))])),
  },
  'dangling-depends-on': {
    pass: ctx(plan([], { owners: [owner('infra'), owner('apps', ['infra'])] })),
    fail: ctx(plan([], { owners: [owner('infra', [], 'removed'), owner('apps', ['infra'])] })),
  },
  'large-change-set': {
    pass: ctx(plan([change('added', undefined, deploy('a:1'))]), { largeChangeSet: 1 }),
    fail: ctx(plan([change('added', undefined, deploy('a:1')), change('added', undefined, ns)]), { largeChangeSet: 1 }),
  },
}

describe('gate rule registry', () => {
  it('has unique kebab-case ids, descriptions and valid default levels', () => {
    const ids = GATE_RULES.map((r) => r.id)

    expect(new Set(ids).size).toBe(ids.length)
    for (const rule of GATE_RULES) {
      expect(rule.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/)
      expect(rule.description.length).toBeGreaterThan(10)
      expect(['off', 'warn', 'fail']).toContain(rule.defaultLevel)
    }
  })

  it('has a passing and a failing case for every rule, and no case for a missing rule', () => {
    expect(Object.keys(CASES).sort()).toEqual(GATE_RULES.map((r) => r.id).sort())
  })

  it.each(GATE_RULES.map((r) => [r.id, r] as const))('%s finds nothing in its passing case', (id, rule) => {
    expect(rule.evaluate(CASES[id]!.pass)).toEqual([])
  })

  it.each(GATE_RULES.map((r) => [r.id, r] as const))('%s finds something in its failing case', (id, rule) => {
    const hits = rule.evaluate(CASES[id]!.fail)

    expect(hits.length).toBeGreaterThan(0)
    for (const h of hits) expect(h.message.length).toBeGreaterThan(0)
  })
})

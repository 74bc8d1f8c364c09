import { GATE_RULES } from './registry.js'
import { change, ctx, deploy, k, plan } from './__fixtures__/plans.js'
import type { RuleContext } from './types.js'

function run(id: string, c: RuleContext): string[] {
  return GATE_RULES.find((r) => r.id === id)!.evaluate(c).map((h) => h.message)
}

const svc = (ip: string | undefined) => k('v1', 'Service', 'web', { spec: { ...(ip === undefined ? {} : { clusterIP: ip }), ports: [{ port: 80 }] } })
const binding = (role: string, subjects: string[], kind = 'ClusterRoleBinding') =>
  k('rbac.authorization.k8s.io/v1', kind, 'b', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role }, subjects: subjects.map((name) => ({ kind: 'User', name })) }, '')

describe('gate rules in detail', () => {
  it.each<[string, string, RuleContext, string[]]>([
    ['flux v1beta2 Kustomization under Flux 2.9', 'removed-api-versions', ctx(plan([change('added', undefined, k('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', 'apps', {}, 'flux-system'))])), ['Kustomization apps uses kustomize.toolkit.fluxcd.io/v1beta2, removed in Flux 2.8; use kustomize.toolkit.fluxcd.io/v1']],
    ['flux v1beta2 Kustomization under Flux 2.7', 'removed-api-versions', ctx(plan([change('added', undefined, k('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', 'apps', {}, 'flux-system'))]), { fluxVersion: '2.7' }), []],
    ['kubernetes check off without a version', 'removed-api-versions', ctx(plan([change('added', undefined, k('batch/v1beta1', 'CronJob', 'c'))])), []],
    ['CronJob batch/v1beta1 on 1.25', 'removed-api-versions', ctx(plan([change('added', undefined, k('batch/v1beta1', 'CronJob', 'c'))]), { kubernetesVersion: '1.25' }), ['CronJob c uses batch/v1beta1, not served since Kubernetes 1.25; use batch/v1']],
    ['Service clusterIP changed', 'immutable-field-change', ctx(plan([change('changed', svc('10.0.0.1'), svc('10.0.0.2'))])), ['Service/apps/web changes immutable spec.clusterIP: the apply will be rejected']],
    ['Service clusterIP dropped is allocated', 'immutable-field-change', ctx(plan([change('changed', svc('10.0.0.1'), svc(undefined))])), []],
    ['force annotation recreates', 'immutable-field-change', ctx(plan([change('changed', k('batch/v1', 'Job', 'j', { spec: { template: { spec: { a: 1 } } } }), k('batch/v1', 'Job', 'j', { metadata: { name: 'j', namespace: 'apps', annotations: { 'kustomize.toolkit.fluxcd.io/force': 'Enabled' } }, spec: { template: { spec: { a: 2 } } } }))])), ['Job/apps/j changes immutable spec.template: Flux will delete and recreate it (force: enabled)']],
    ['immutable ConfigMap data', 'immutable-field-change', ctx(plan([change('changed', k('v1', 'ConfigMap', 'c', { immutable: true, data: { a: '1' } }), k('v1', 'ConfigMap', 'c', { immutable: true, data: { a: '2' } }))])), ['ConfigMap/apps/c changes immutable data: the apply will be rejected']],
    ['new ClusterRole with wildcard', 'rbac-widened', ctx(plan([change('added', undefined, k('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }] }, ''))])), ['ClusterRole/r grants * */*']],
    ['new ClusterRole without wildcard', 'rbac-widened', ctx(plan([change('added', undefined, k('rbac.authorization.k8s.io/v1', 'ClusterRole', 'r', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] }, ''))])), []],
    ['resourceNames dropped widens', 'rbac-widened', ctx(plan([change('changed', k('rbac.authorization.k8s.io/v1', 'Role', 'r', { rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['a'], verbs: ['get'] }] }), k('rbac.authorization.k8s.io/v1', 'Role', 'r', { rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] }))])), ['Role/apps/r grants get secrets']],
    ['new binding to cluster-admin', 'rbac-widened', ctx(plan([change('added', undefined, binding('cluster-admin', ['alice']))])), ['ClusterRoleBinding/b binds cluster-admin to 1 more subject(s)']],
    ['new binding to a view role', 'rbac-widened', ctx(plan([change('added', undefined, binding('view', ['alice']))])), []],
    ['more subjects on a binding', 'rbac-widened', ctx(plan([change('changed', binding('view', ['alice']), binding('view', ['alice', 'bob']))])), ['ClusterRoleBinding/b binds view to 1 more subject(s)']],
    ['image major jump', 'major-version-jump', ctx(plan([change('changed', deploy('nginx:1.27.0'), deploy('nginx:2.0.0'))])), ['Deployment/apps/web: image nginx 1.27.0 → 2.0.0 is a major version jump']],
    ['latest is not a version', 'major-version-jump', ctx(plan([change('changed', deploy('nginx:1.27.0'), deploy('nginx:latest'))])), []],
    ['registry port is not a tag', 'downgrade', ctx(plan([change('changed', deploy('localhost:5000/app'), deploy('localhost:5000/app:1.0.0'))])), []],
    ['chart downgrade', 'downgrade', ctx(plan([change('changed', k('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'p', { spec: { chart: { spec: { chart: 'p', version: '6.5.1' } } } }), k('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'p', { spec: { chart: { spec: { chart: 'p', version: '6.5.0' } } } }))])), ['HelmRelease/apps/p: chart p is downgraded from 6.5.1 to 6.5.0']],
    ['new privileged init container', 'privileged-pod', ctx(plan([change('added', undefined, k('apps/v1', 'DaemonSet', 'd', { spec: { template: { spec: { initContainers: [{ name: 'init', image: 'x', securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }], containers: [] } } } }))])), ['DaemonSet/apps/d: container(s) init run privileged']],
    ['CronJob hostNetwork', 'host-namespace', ctx(plan([change('added', undefined, k('batch/v1', 'CronJob', 'c', { spec: { jobTemplate: { spec: { template: { spec: { hostNetwork: true } } } } } }))])), ['CronJob/apps/c turns on hostNetwork']],
    ['scaled to zero on creation', 'replicas-zero', ctx(plan([change('added', undefined, deploy('a:1', { replicas: 0 }))])), ['Deployment/apps/web is set to 0 replicas']],
    ['PVC shrink in other units', 'pvc-shrink', ctx(plan([change('changed', k('v1', 'PersistentVolumeClaim', 'd', { spec: { resources: { requests: { storage: '1Gi' } } } }), k('v1', 'PersistentVolumeClaim', 'd', { spec: { resources: { requests: { storage: '1000M' } } } }))])), ['PersistentVolumeClaim/apps/d shrinks from 1Gi to 1000M']],
  ])('%s', (_name, id, c, expected) => {
    expect(run(id, c)).toEqual(expected)
  })
})

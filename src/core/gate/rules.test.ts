import { GATE_RULES } from './registry.js'
import { change, ctx, deploy, k, plan } from './__fixtures__/plans.js'
import type { RuleContext } from './types.js'

function run(id: string, c: RuleContext): string[] {
  return GATE_RULES.find((r) => r.id === id)!.evaluate(c).map((h) => h.message)
}

const svc = (ip: string | undefined) => k('v1', 'Service', 'web', { spec: { ...(ip === undefined ? {} : { clusterIP: ip }), ports: [{ port: 80 }] } })
const imageRepo = (name: string, image: string) => k('image.toolkit.fluxcd.io/v1', 'ImageRepository', name, { spec: { image, interval: '1h' } }, 'flux-system')
const imagePolicy = (name: string, spec: Record<string, unknown>) => k('image.toolkit.fluxcd.io/v1', 'ImagePolicy', name, { spec: { imageRepositoryRef: { name }, ...spec } }, 'flux-system')
const widgetCrd = k('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
  spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
}, '')
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
    ['misspelled container field', 'invalid-object', ctx(plan([change('added', undefined, deploy('nginx:1.27', {}, {}, { imagePullPolcy: 'Always' }))])), ['Deployment/apps/web: .spec.template.spec.containers[0].imagePullPolcy: field not declared in schema (the Kubernetes 1.36 schema)']],
    ['custom resource against a CRD in head', 'invalid-object', { ...ctx(plan([change('added', undefined, k('example.com/v1', 'Widget', 'w', { spec: { size: 'large' } }))])), headObjects: [widgetCrd] }, ['Widget/apps/w: spec.size: Invalid value: "large": spec.size in body must be of type integer: "string" (its CRD)']],
    ['custom resource whose CRD the plan adds', 'invalid-object', ctx(plan([change('added', undefined, widgetCrd), change('added', undefined, k('example.com/v1', 'Widget', 'w', { spec: { size: 3, colour: 'red' } }))])), ['Widget/apps/w: .spec.colour: field not declared in schema (its CRD)']],
    ['Flux Kustomization without prune', 'invalid-object', ctx(plan([change('added', undefined, k('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'apps', { spec: { interval: '10m', sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }, 'flux-system'))])), ['Kustomization/flux-system/apps: spec.prune: Required value (the fluxcd/kustomize-controller v1.9.4 CRD)']],
    ['custom resource without a CRD', 'invalid-object', ctx(plan([change('added', undefined, k('example.com/v1', 'Widget', 'w', { spec: { size: 'large' } }))])), []],
    ['Endpoints deprecated on 1.33', 'deprecated-api-versions', ctx(plan([change('added', undefined, k('v1', 'Endpoints', 'ext', { subsets: [] }))]), { kubernetesVersion: '1.33' }), ['Endpoints ext uses v1, deprecated since Kubernetes 1.33; use discovery.k8s.io/v1 EndpointSlice']],
    ['removed is not deprecated', 'deprecated-api-versions', ctx(plan([change('added', undefined, k('extensions/v1beta1', 'Ingress', 'web'))]), { kubernetesVersion: '1.22' }), []],
    ['Ingress extensions/v1beta1 on 1.21', 'deprecated-api-versions', ctx(plan([change('added', undefined, k('extensions/v1beta1', 'Ingress', 'web'))]), { kubernetesVersion: '1.21' }), ['Ingress web uses extensions/v1beta1, deprecated since Kubernetes 1.14, removed in Kubernetes 1.22; use networking.k8s.io/v1']],
    ['Ingress extensions/v1beta1 removed on 1.22', 'removed-api-versions', ctx(plan([change('added', undefined, k('extensions/v1beta1', 'Ingress', 'web'))]), { kubernetesVersion: '1.22' }), ['Ingress web uses extensions/v1beta1, not served since Kubernetes 1.22; use networking.k8s.io/v1']],
    ['flux v1beta2 Kustomization deprecated under Flux 2.7', 'deprecated-api-versions', ctx(plan([change('added', undefined, k('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', 'apps', {}, 'flux-system'))]), { fluxVersion: '2.7' }), ['Kustomization apps uses kustomize.toolkit.fluxcd.io/v1beta2, deprecated and removed in Flux 2.8; use kustomize.toolkit.fluxcd.io/v1']],
    ['Docker Hub short name outside range', 'image-outside-policy', { ...ctx(plan([change('changed', deploy('nginx:1.26.2'), deploy('nginx:1.27.3'))])), headObjects: [imageRepo('nginx', 'docker.io/library/nginx'), imagePolicy('nginx', { policy: { semver: { range: '~1.26.0' } } })] }, ['Deployment/apps/web: image nginx:1.27.3 tag 1.27.3 is outside semver range ~1.26.0 (ImagePolicy flux-system/nginx)']],
    ['tag not matching filterTags', 'image-outside-policy', { ...ctx(plan([change('added', undefined, deploy('ghcr.io/org/app:1.2.3'))])), headObjects: [imageRepo('app', 'ghcr.io/org/app'), imagePolicy('app', { filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' }, policy: { numerical: { order: 'asc' } } })] }, ['Deployment/apps/web: image ghcr.io/org/app:1.2.3 tag 1.2.3 does not match filterTags pattern ^main-[a-f0-9]+-(?P<ts>[0-9]+) (ImagePolicy flux-system/app)']],
    ['filterTags extract inside range', 'image-outside-policy', { ...ctx(plan([change('added', undefined, deploy('ghcr.io/org/app:v1.4.0-rc.1'))])), headObjects: [imageRepo('app', 'ghcr.io/org/app'), imagePolicy('app', { filterTags: { pattern: '^v(?P<v>.*)$', extract: '$v' }, policy: { semver: { range: '>=1.0.0-0' } } })] }, []],
    ['unchanged image is not checked', 'image-outside-policy', { ...ctx(plan([change('changed', deploy('nginx:1.27.3'), deploy('nginx:1.27.3', { replicas: 2 }))])), headObjects: [imageRepo('nginx', 'nginx'), imagePolicy('nginx', { policy: { semver: { range: '~1.26.0' } } })] }, []],
    ['image of another repository', 'image-outside-policy', { ...ctx(plan([change('added', undefined, deploy('ghcr.io/other/nginx:9.9.9'))])), headObjects: [imageRepo('nginx', 'nginx'), imagePolicy('nginx', { policy: { semver: { range: '~1.26.0' } } })] }, []],
  ])('%s', (_name, id, c, expected) => {
    expect(run(id, c)).toEqual(expected)
  })
})

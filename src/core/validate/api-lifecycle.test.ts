import { apiVersionStatus, KUBERNETES_API_LIFECYCLE } from './index.js'
import { K8S_SCHEMAS } from './data/k8s-schemas.generated.js'

describe('apiVersionStatus', () => {
  it.each<[string, string, string, string | undefined, string]>([
    ['extensions/v1beta1', 'Ingress', '1.13', undefined, 'served'],
    ['extensions/v1beta1', 'Ingress', '1.21', undefined, 'deprecated'],
    ['extensions/v1beta1', 'Ingress', '1.22', undefined, 'removed'],
    ['extensions/v1beta1', 'Deployment', '1.16', undefined, 'removed'],
    ['networking.k8s.io/v1', 'Ingress', '1.32', undefined, 'served'],
    ['policy/v1beta1', 'PodSecurityPolicy', '1.25', undefined, 'removed'],
    ['batch/v1beta1', 'CronJob', '1.24', undefined, 'deprecated'],
    ['batch/v1beta1', 'CronJob', '1.25', undefined, 'removed'],
    ['autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26', undefined, 'removed'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.28', undefined, 'deprecated'],
    ['flowcontrol.apiserver.k8s.io/v1beta2', 'FlowSchema', '1.29', undefined, 'removed'],
    ['flowcontrol.apiserver.k8s.io/v1beta3', 'PriorityLevelConfiguration', '1.32', undefined, 'removed'],
    // the group version came back for a new kind
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', '1.30', undefined, 'removed'],
    ['admissionregistration.k8s.io/v1beta1', 'ValidatingAdmissionPolicy', '1.30', undefined, 'served'],
    ['v1', 'Endpoints', '1.33', undefined, 'deprecated'],
    ['v1', 'Service', '1.33', undefined, 'served'],
    // Flux kinds go by the Flux version (flux-semantics §7.1)
    ['kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', '1.32', '2.7', 'deprecated'],
    ['kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization', '1.32', '2.8', 'removed'],
    ['kustomize.toolkit.fluxcd.io/v1', 'Kustomization', '1.32', '2.8', 'served'],
    ['image.toolkit.fluxcd.io/v1beta2', 'ImagePolicy', '1.32', '2.9', 'removed'],
  ])('%s %s on Kubernetes %s (Flux %s) is %s', (apiVersion, kind, k8s, flux, expected) => {
    expect(apiVersionStatus(apiVersion, kind, k8s, flux)).toBe(expected)
  })

  it('lists no version as removed that the bundled schemas still serve', () => {
    const served = Object.keys(K8S_SCHEMAS.kinds)
    for (const e of KUBERNETES_API_LIFECYCLE.filter((x) => x.removedIn)) {
      const stillServed = served.filter((k) => k.startsWith(`${e.apiVersion}/`) && (e.kinds.length === 0 || e.kinds.includes(k.slice(e.apiVersion.length + 1))))
      expect([e.apiVersion, stillServed]).toEqual([e.apiVersion, []])
    }
  })
})

describe('the bundled schemas', () => {
  it('resolve every reference and every kind', () => {
    const missing = new Set<string>()
    for (const type of Object.values(K8S_SCHEMAS.kinds)) if (!K8S_SCHEMAS.types[type]) missing.add(type)
    for (const def of Object.values(K8S_SCHEMAS.types)) {
      for (const ref of JSON.stringify(def.p).match(/"#[^"]+"/g) ?? []) if (!K8S_SCHEMAS.types[ref.slice(2, -1)]) missing.add(ref)
    }
    expect([...missing]).toEqual([])
    expect(Object.keys(K8S_SCHEMAS.kinds)).toEqual(expect.arrayContaining(['apps/v1/Deployment', 'v1/Service', 'networking.k8s.io/v1/Ingress', 'apiextensions.k8s.io/v1/CustomResourceDefinition']))
  })
})

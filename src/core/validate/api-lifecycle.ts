import { fluxKindOf } from '../model/flux-kinds.js'
import { versionOf } from '../model/resource-id.js'

/**
 * When a built-in Kubernetes API version was deprecated and when the API server stopped
 * serving it (Kubernetes deprecation guide). `kinds` empty: every kind of that version.
 * Kinds are listed where a group version came back later for new kinds (e.g.
 * admissionregistration.k8s.io/v1beta1 ValidatingAdmissionPolicy since 1.28).
 */
export interface ApiLifecycle {
  apiVersion: string
  kinds: readonly string[]
  deprecatedIn: string
  /** Undefined: deprecated but still served. */
  removedIn?: string
  replacement: string
}

const APPS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ControllerRevision']

/** The lifecycle table; extend it when a Kubernetes release deprecates or drops a version. */
export const KUBERNETES_API_LIFECYCLE: readonly ApiLifecycle[] = Object.freeze([
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet', 'NetworkPolicy', 'PodSecurityPolicy'], deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1, networking.k8s.io/v1' },
  { apiVersion: 'apps/v1beta1', kinds: [], deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: APPS, deprecatedIn: '1.9', removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], deprecatedIn: '1.14', removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: [], deprecatedIn: '1.16', removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], deprecatedIn: '1.16', removedIn: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: [], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', kinds: [], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'authorization.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: [], deprecatedIn: '1.17', removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], deprecatedIn: '1.14', removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], deprecatedIn: '1.19', removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], deprecatedIn: '1.19', removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], deprecatedIn: '1.22', removedIn: '1.25', replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget', 'PodSecurityPolicy'], deprecatedIn: '1.21', removedIn: '1.25', replacement: 'policy/v1 (PodSecurityPolicy: none)' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], deprecatedIn: '1.20', removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], deprecatedIn: '1.23', removedIn: '1.26', replacement: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: [], deprecatedIn: '1.23', removedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], deprecatedIn: '1.24', removedIn: '1.27', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: [], deprecatedIn: '1.26', removedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: [], deprecatedIn: '1.29', removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  // Still served; the API server answers every write with a deprecation warning.
  { apiVersion: 'v1', kinds: ['Endpoints'], deprecatedIn: '1.33', replacement: 'discovery.k8s.io/v1 EndpointSlice' },
])

/** Compares `major.minor` strings numerically. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number)
  const [bm = 0, bn = 0] = b.split('.').map(Number)
  return am - bm || an - bn
}

/** Whether an API version is served at a release. */
export type ApiStatus = 'served' | 'deprecated' | 'removed'

/** The lifecycle entry of a built-in apiVersion + kind, if the table has one. */
export function apiLifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  const hits = KUBERNETES_API_LIFECYCLE.filter((r) => r.apiVersion === apiVersion && (r.kinds.length === 0 || r.kinds.includes(kind)))
  // A kind-specific entry wins over a whole-version one (extensions/v1beta1 Ingress vs Deployment).
  return hits.find((r) => r.kinds.length > 0) ?? hits[0]
}

/**
 * Whether `apiVersion` `kind` is served, deprecated or removed at a Kubernetes minor (`1.32`),
 * or, for Flux kinds (flux-semantics §7.1), at the Flux minor given as `fluxVersion`
 * (Flux only removes versions; without fluxVersion they count as served).
 */
export function apiVersionStatus(apiVersion: string, kind: string, kubernetesVersion: string, fluxVersion?: string): ApiStatus {
  const flux = fluxKindOf(apiVersion, kind)
  if (flux) {
    const entry = flux.versions.find((v) => v.version === versionOf(apiVersion))
    if (entry?.removedIn && fluxVersion && compareMinor(fluxVersion, entry.removedIn) >= 0) return 'removed'
    // A version with a planned removal is deprecated until that Flux release.
    return entry?.removedIn ? 'deprecated' : 'served'
  }
  const entry = apiLifecycleOf(apiVersion, kind)
  if (!entry) return 'served'
  if (entry.removedIn && compareMinor(kubernetesVersion, entry.removedIn) >= 0) return 'removed'
  return compareMinor(kubernetesVersion, entry.deprecatedIn) >= 0 ? 'deprecated' : 'served'
}

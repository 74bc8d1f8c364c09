/**
 * Built-in Kubernetes API versions that the API server stopped serving, by the minor that
 * removed them (Kubernetes deprecation guide). `kinds` empty: every kind of that version.
 */
export interface RemovedApi {
  apiVersion: string
  kinds: readonly string[]
  removedIn: string
  replacement: string
}

/** The removal table; extend it when a Kubernetes release drops another version. */
export const KUBERNETES_REMOVED_APIS: readonly RemovedApi[] = Object.freeze([
  { apiVersion: 'extensions/v1beta1', kinds: ['Deployment', 'DaemonSet', 'ReplicaSet', 'NetworkPolicy', 'PodSecurityPolicy'], removedIn: '1.16', replacement: 'apps/v1, networking.k8s.io/v1' },
  { apiVersion: 'apps/v1beta1', kinds: [], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: [], removedIn: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removedIn: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: [], removedIn: '1.22', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removedIn: '1.22', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'batch/v1beta1', kinds: [], removedIn: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: [], removedIn: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: [], removedIn: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: [], removedIn: '1.25', replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: [], removedIn: '1.25', replacement: 'policy/v1 (PodSecurityPolicy: none)' },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: [], removedIn: '1.25', replacement: 'node.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', kinds: [], removedIn: '1.26', replacement: 'autoscaling/v2' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: [], removedIn: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removedIn: '1.27', replacement: 'storage.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: [], removedIn: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: [], removedIn: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
])

/** Compares `major.minor` strings numerically. */
export function compareMinor(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number)
  const [bm = 0, bn = 0] = b.split('.').map(Number)
  return am - bm || an - bn
}

/** The removal entry for an apiVersion + kind at a Kubernetes minor, if it is no longer served. */
export function removedKubernetesApi(apiVersion: string, kind: string, kubernetesVersion: string): RemovedApi | undefined {
  return KUBERNETES_REMOVED_APIS.find(
    (r) => r.apiVersion === apiVersion && (r.kinds.length === 0 || r.kinds.includes(kind)) && compareMinor(kubernetesVersion, r.removedIn) >= 0,
  )
}

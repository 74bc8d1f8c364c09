/** Group/version/kind of a resource, as kustomize's resid.Gvk. */
export interface Gvk {
  group: string
  version: string
  kind: string
}

/** A resource id: gvk + name + namespace ('' when unset). */
export interface ResId extends Gvk {
  name: string
  namespace: string
}

/**
 * Kinds the Kubernetes API serves cluster-scoped, with their API group (kustomize's
 * precomputed namespace-scope table). A kind of another group (a CRD named `Namespace`)
 * is treated as namespaced.
 */
const CLUSTER_SCOPED: Record<string, string> = {
  APIService: 'apiregistration.k8s.io',
  CSIDriver: 'storage.k8s.io',
  CSINode: 'storage.k8s.io',
  CertificateSigningRequest: 'certificates.k8s.io',
  ClusterRole: 'rbac.authorization.k8s.io',
  ClusterRoleBinding: 'rbac.authorization.k8s.io',
  ComponentStatus: '',
  CustomResourceDefinition: 'apiextensions.k8s.io',
  FlowSchema: 'flowcontrol.apiserver.k8s.io',
  IngressClass: 'networking.k8s.io',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io',
  Namespace: '',
  Node: '',
  PersistentVolume: '',
  PodSecurityPolicy: 'policy',
  PriorityClass: 'scheduling.k8s.io',
  PriorityLevelConfiguration: 'flowcontrol.apiserver.k8s.io',
  RuntimeClass: 'node.k8s.io',
  StorageClass: 'storage.k8s.io',
  ValidatingAdmissionPolicy: 'admissionregistration.k8s.io',
  ValidatingAdmissionPolicyBinding: 'admissionregistration.k8s.io',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io',
  VolumeAttachment: 'storage.k8s.io',
}

/** Splits `apps/v1` into group and version (`v1` has group ''). */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/')
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) }
}

/** The apiVersion text of a gvk. */
export function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version
}

/** True when kustomize treats the gvk as cluster-scoped (no namespace is ever set on it). */
export function isClusterScoped(g: Gvk): boolean {
  const group = CLUSTER_SCOPED[g.kind]
  return group !== undefined && group === g.group
}

/** `Kind.version.group` with kustomize's placeholders. */
export function gvkString(g: Gvk): string {
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`
}

/** kustomize's ResId.String(): `Deployment.v1.apps/name.namespace`. */
export function idString(id: ResId): string {
  return `${gvkString(id)}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`
}

/** The namespace used to compare ids: cluster-scoped ids have none, '' means default. */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return '~X'
  return id.namespace === '' ? 'default' : id.namespace
}

/** Same gvk, name and (effective) namespace. */
export function idEquals(a: ResId, b: ResId): boolean {
  return gvkEquals(a, b) && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b)
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind
}

/** A selector gvk selects `g` when each of its non-empty fields is equal. */
export function gvkSelected(g: Gvk, sel: Partial<Gvk> | undefined): boolean {
  if (!sel) return true
  if (sel.group && sel.group !== g.group) return false
  if (sel.version && sel.version !== g.version) return false
  if (sel.kind && sel.kind !== g.kind) return false
  return true
}

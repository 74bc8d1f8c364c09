import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'

/** H-10: releaseName, else `<targetNamespace>-<name>`, else name; > 53 chars hashed. */
export function releaseNameOf(hr: KubeObject): string {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  let name = typeof spec['releaseName'] === 'string' && spec['releaseName'] ? spec['releaseName'] : ''
  if (!name) {
    const tn = typeof spec['targetNamespace'] === 'string' ? spec['targetNamespace'] : ''
    name = tn ? `${tn}-${hr.metadata.name}` : hr.metadata.name
  }
  if (name.length > 53) name = `${name.slice(0, 40)}-${bytesToHex(sha256(utf8ToBytes(name))).slice(0, 12)}`
  return name
}

/** H-11: where objects without a namespace go: targetNamespace, else the HelmRelease namespace. */
export function releaseNamespaceOf(hr: KubeObject): string {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const tn = typeof spec['targetNamespace'] === 'string' ? spec['targetNamespace'] : ''
  return tn || hr.metadata.namespace || 'default'
}

/** H-12: where Helm keeps its release Secrets. */
export function storageNamespaceOf(hr: KubeObject): string {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const sn = typeof spec['storageNamespace'] === 'string' ? spec['storageNamespace'] : ''
  return sn || hr.metadata.namespace || 'default'
}

/** Built-in kinds that have no namespace; helm output of any other kind gets the release namespace (H-11). */
export const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'PriorityClass', 'IngressClass', 'RuntimeClass', 'CSIDriver', 'CSINode', 'VolumeAttachment',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'APIService', 'PodSecurityPolicy', 'ClusterIssuer', 'GatewayClass',
  'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration', 'ComponentStatus', 'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding', 'ClusterPolicy', 'ClusterRoleTemplate',
])

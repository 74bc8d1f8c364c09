import type { JsonValue, KubeObject } from '../../model/object.js'
import { canonical, getPath, headObjects, hit, nameOf } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

type Path = readonly string[]

/** Fields the API server refuses to update, per `group/Kind`. */
const IMMUTABLE: Record<string, readonly Path[]> = {
  'apps/Deployment': [['spec', 'selector']],
  'apps/ReplicaSet': [['spec', 'selector']],
  'apps/DaemonSet': [['spec', 'selector']],
  'apps/StatefulSet': [['spec', 'selector'], ['spec', 'serviceName'], ['spec', 'volumeClaimTemplates'], ['spec', 'podManagementPolicy']],
  'batch/Job': [['spec', 'selector'], ['spec', 'template'], ['spec', 'completionMode']],
  '/PersistentVolumeClaim': [['spec', 'storageClassName'], ['spec', 'accessModes'], ['spec', 'volumeName'], ['spec', 'volumeMode'], ['spec', 'selector']],
  '/PersistentVolume': [['spec', 'csi'], ['spec', 'nfs'], ['spec', 'hostPath'], ['spec', 'local']],
  'storage.k8s.io/StorageClass': [['provisioner'], ['parameters'], ['reclaimPolicy'], ['volumeBindingMode']],
  'rbac.authorization.k8s.io/RoleBinding': [['roleRef']],
  'rbac.authorization.k8s.io/ClusterRoleBinding': [['roleRef']],
}

// Service clusterIP: only a change between two set values fails (an unset one is allocated).
function serviceChanges(before: KubeObject, after: KubeObject): string[] {
  const out: string[] = []
  const was = getPath(before, ['spec', 'clusterIP'])
  const now = getPath(after, ['spec', 'clusterIP'])
  if (typeof was === 'string' && typeof now === 'string' && was !== '' && now !== '' && was !== now) out.push('spec.clusterIP')
  return out
}

// A ConfigMap or Secret marked immutable cannot change its data.
function immutableDataChanges(before: KubeObject, after: KubeObject): string[] {
  if (before['immutable'] !== true) return []
  return ['data', 'binaryData', 'stringData'].filter((k) => canonical(before[k] as JsonValue | undefined) !== canonical(after[k] as JsonValue | undefined))
}

function changedFields(group: string, before: KubeObject, after: KubeObject): string[] {
  const key = `${group}/${after.kind}`
  if (key === '/Service') return serviceChanges(before, after)
  if (key === '/ConfigMap' || key === '/Secret') return immutableDataChanges(before, after)
  return (IMMUTABLE[key] ?? []).filter((p) => canonical(getPath(before, p)) !== canonical(getPath(after, p))).map((p) => p.join('.'))
}

/**
 * A change to a field the API server will not update: the apply fails unless the object
 * carries `kustomize.toolkit.fluxcd.io/force: enabled`, which recreates it (K-16).
 */
export const immutableFieldChange: GateRule = {
  id: 'immutable-field-change',
  description: 'An immutable field changes (workload selector, Service clusterIP, Job template, PVC storage class, binding roleRef...).',
  defaultLevel: 'fail',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      // Only ciphertext is known to differ (K-17): the decrypted data Flux applies may be the same.
      if (change.action !== 'changed' || !before || change.encrypted !== undefined) continue
      const fields = changedFields(change.id.group, before, after)
      if (fields.length === 0) continue
      const force = (after.metadata.annotations?.['kustomize.toolkit.fluxcd.io/force'] ?? after.metadata.labels?.['kustomize.toolkit.fluxcd.io/force'])?.toLowerCase() === 'enabled'
      const outcome = force ? 'Flux will delete and recreate it (force: enabled)' : 'the apply will be rejected'
      hits.push(hit(change, `${nameOf(change)} changes immutable ${fields.join(', ')}: ${outcome}`))
    }
    return hits
  },
}

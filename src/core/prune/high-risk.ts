import type { ResourceId } from '../model/resource-id.js'

/**
 * Kinds whose deletion loses data or takes other objects with it (P-12): a Namespace or CRD
 * deletion cascades, volumes and StatefulSets hold data, a Secret may hold the only copy of a
 * key. Matched by kind within the group that defines it.
 */
const HIGH_RISK: ReadonlySet<string> = new Set([
  '/Namespace',
  '/PersistentVolumeClaim',
  '/PersistentVolume',
  '/Secret',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apps/StatefulSet',
  'snapshot.storage.k8s.io/VolumeSnapshot',
  'snapshot.storage.k8s.io/VolumeSnapshotContent',
  'storage.k8s.io/StorageClass',
])

/** Database and storage operators whose custom resources hold data (CloudNativePG, Crunchy, Rook…). */
const DATA_GROUP = /(^|\.)(postgresql|cnpg|mysql|mariadb|mongodb|redis|rook|ceph|longhorn|velero|minio|cassandra|elasticsearch|clickhouse)(\.|$)/i

/** True when deleting (or recreating) an object of this id risks data or other objects. */
export function isHighRiskKind(id: ResourceId): boolean {
  return HIGH_RISK.has(`${id.group}/${id.kind}`) || DATA_GROUP.test(id.group)
}

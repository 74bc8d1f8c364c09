import { allChanges, hit, nameOf } from '../inspect.js'
import type { GateRule } from '../types.js'

const CRITICAL: ReadonlySet<string> = new Set([
  '/PersistentVolumeClaim',
  'apps/StatefulSet',
  '/Namespace',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'networking.k8s.io/NetworkPolicy',
])

/**
 * A PVC, StatefulSet, Namespace, CRD or NetworkPolicy disappears from the render. Reported
 * whether Flux deletes it or orphans it: an orphan is no longer managed either.
 */
export const removedCriticalObject: GateRule = {
  id: 'removed-critical-object',
  description: 'A PersistentVolumeClaim, StatefulSet, Namespace, CustomResourceDefinition or NetworkPolicy is removed.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    return allChanges(plan)
      .filter(({ change }) => change.action === 'removed' && CRITICAL.has(`${change.id.group}/${change.id.kind}`))
      .map(({ cluster, change }) =>
        hit(change, `${nameOf(change)} is removed from cluster ${cluster} (${change.prune === 'delete' ? 'Flux deletes it' : `orphaned${change.pruneReason ? `: ${change.pruneReason}` : ''}`})`),
      )
  },
}

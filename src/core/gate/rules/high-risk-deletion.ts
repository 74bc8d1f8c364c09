import { allChanges, hit, nameOf } from '../inspect.js'
import type { GateRule } from '../types.js'

/** Flux will delete an object that holds data or takes others with it (P-12): needs an approval. */
export const highRiskDeletion: GateRule = {
  id: 'high-risk-deletion',
  description: 'Flux garbage collection will delete a high-risk object (Namespace, CRD, PVC, StatefulSet, Secret, data operators).',
  defaultLevel: 'fail',
  needsApproval: true,
  evaluate({ plan }) {
    return allChanges(plan)
      .filter(({ change }) => change.action === 'removed' && change.prune === 'delete' && change.highRisk)
      .map(({ cluster, change }) => hit(change, `${nameOf(change)} will be deleted from cluster ${cluster}`))
  },
}

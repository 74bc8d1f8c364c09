import { ownerKey } from '../../model/render-result.js'
import { displayId } from '../../model/resource-id.js'
import type { GateRule, RuleHit } from '../types.js'

/**
 * Objects the base renders but the head cannot be compared for (its source became external,
 * a remote base was added, a chart can no longer be rendered): Flux may keep, change or prune
 * them, and the plan cannot say which. A pull request that makes its own content unreadable
 * must not pass as "no changes", so a person looks first (an approval clears it).
 */
export const unknownAfterChange: GateRule = {
  id: 'unknown-after-change',
  description: 'Objects the base branch renders can no longer be compared after the change (external source, remote base, unrenderable chart): what Flux does to them is unknown.',
  defaultLevel: 'fail',
  needsApproval: true,
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const cluster of plan.clusters) {
      for (const group of cluster.unknown) {
        if (group.state !== 'not-comparable') continue
        const first = group.objects.slice(0, 3).map((o) => displayId(o.id)).join(', ')
        const more = group.objects.length > 3 ? ` and ${group.objects.length - 3} more` : ''
        const location = group.objects.find((o) => o.source)?.source
        hits.push({ message: `${group.objects.length} object(s) of ${ownerKey(group.owner)} in cluster ${cluster.name} cannot be compared after this change (${first}${more}): ${group.reason}`, ...(location ? { location } : {}) })
      }
    }
    return hits
  },
}

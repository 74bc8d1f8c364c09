import { getPath, headObjects, hit, nameOf } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

/** A workload scaled to zero replicas (an outage unless intended). */
export const replicasZero: GateRule = {
  id: 'replicas-zero',
  description: 'A workload is set to zero replicas.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      if (getPath(after, ['spec', 'replicas']) !== 0) continue
      if (before && getPath(before, ['spec', 'replicas']) === 0) continue
      hits.push(hit(change, `${nameOf(change)} is set to 0 replicas`))
    }
    return hits
  },
}

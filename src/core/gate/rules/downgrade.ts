import { headObjects, hit, nameOf } from '../inspect.js'
import { versionChanges } from '../versions.js'
import type { GateRule, RuleHit } from '../types.js'

/** An image tag or chart version goes down. */
export const downgrade: GateRule = {
  id: 'downgrade',
  description: 'An image tag or HelmRelease chart version is downgraded.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      for (const v of versionChanges(before, after)) {
        if (v.direction < 0) hits.push(hit(change, `${nameOf(change)}: ${v.what} is downgraded from ${v.from} to ${v.to}`))
      }
    }
    return hits
  },
}

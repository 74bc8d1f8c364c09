import { ownerKey } from '../../model/render-result.js'
import type { GateRule, RuleHit } from '../types.js'

/** A dependsOn that names no Kustomization/HelmRelease of the cluster: Flux waits forever (K-19). */
export const danglingDependsOn: GateRule = {
  id: 'dangling-depends-on',
  description: 'A Kustomization or HelmRelease depends on an object that is not in the cluster render.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const cluster of plan.clusters) {
      const present = new Set(cluster.owners.filter((o) => o.state !== 'removed').map((o) => ownerKey(o.ref)))
      for (const owner of cluster.owners) {
        if (owner.state === 'removed') continue
        for (const dep of owner.dependsOn) {
          if (present.has(ownerKey(dep))) continue
          hits.push({ message: `${ownerKey(owner.ref)} in cluster ${cluster.name} depends on ${ownerKey(dep)}, which is not rendered` })
        }
      }
    }
    return hits
  },
}

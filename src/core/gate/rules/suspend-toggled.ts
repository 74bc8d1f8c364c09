import { isFluxKustomization, isHelmRelease } from '../../model/flux-kinds.js'
import { getPath, headObjects, hit, nameOf } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

/** A Kustomization or HelmRelease is suspended (Flux stops applying and pruning it, K-19) or resumed. */
export const suspendToggled: GateRule = {
  id: 'suspend-toggled',
  description: 'A Kustomization or HelmRelease is suspended or resumed.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      if (!before || !(isFluxKustomization(after.apiVersion, after.kind) || isHelmRelease(after.apiVersion, after.kind))) continue
      const was = getPath(before, ['spec', 'suspend']) === true
      const now = getPath(after, ['spec', 'suspend']) === true
      if (was !== now) hits.push(hit(change, `${nameOf(change)} is ${now ? 'suspended: Flux stops applying and pruning it' : 'resumed: Flux applies it again'}`))
    }
    return hits
  },
}

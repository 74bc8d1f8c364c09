import { headObjects, hit, nameOf } from '../inspect.js'
import { versionChanges } from '../versions.js'
import type { GateRule, RuleHit } from '../types.js'

/** An image tag or chart version moves to a new major version (likely breaking changes). */
export const majorVersionJump: GateRule = {
  id: 'major-version-jump',
  description: 'An image tag or HelmRelease chart version moves up a major version.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      for (const v of versionChanges(before, after)) {
        if (v.majorJump) hits.push(hit(change, `${nameOf(change)}: ${v.what} ${v.from} → ${v.to} is a major version jump`))
      }
    }
    return hits
  },
}

import { getPath, headObjects, hit, nameOf, parseQuantity } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

const STORAGE = ['spec', 'resources', 'requests', 'storage'] as const

/** The API server rejects shrinking a PVC: the apply fails (K-18). */
export const pvcShrink: GateRule = {
  id: 'pvc-shrink',
  description: "A PersistentVolumeClaim's storage request gets smaller, which the API server rejects.",
  defaultLevel: 'fail',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      if (after.kind !== 'PersistentVolumeClaim' || change.id.group !== '' || !before) continue
      const was = getPath(before, STORAGE)
      const now = getPath(after, STORAGE)
      const a = parseQuantity(was)
      const b = parseQuantity(now)
      if (a !== undefined && b !== undefined && b < a) hits.push(hit(change, `${nameOf(change)} shrinks from ${String(was)} to ${String(now)}`))
    }
    return hits
  },
}

import { headObjects, hit, nameOf, podSpecOf } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

const HOST_FIELDS = ['hostNetwork', 'hostPID', 'hostIPC'] as const

/** A pod starts sharing the node's network, PID or IPC namespace. */
export const hostNamespace: GateRule = {
  id: 'host-namespace',
  description: 'A pod template turns on hostNetwork, hostPID or hostIPC.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      const now = podSpecOf(after)
      const was = podSpecOf(before)
      const fields = HOST_FIELDS.filter((f) => now?.[f] === true && was?.[f] !== true)
      if (fields.length > 0) hits.push(hit(change, `${nameOf(change)} turns on ${fields.join(', ')}`))
    }
    return hits
  },
}

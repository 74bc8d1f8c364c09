import { containersOf, headObjects, hit, nameOf, podSpecOf } from '../inspect.js'
import type { JsonObject } from '../../model/object.js'
import type { GateRule, RuleHit } from '../types.js'

function privilegedNames(spec: JsonObject | undefined): Set<string> {
  const names = new Set<string>()
  for (const c of containersOf(spec)) {
    const sc = c['securityContext']
    const caps = typeof sc === 'object' && sc !== null && !Array.isArray(sc) ? sc['capabilities'] : undefined
    const add = typeof caps === 'object' && caps !== null && !Array.isArray(caps) && Array.isArray(caps['add']) ? caps['add'] : []
    const privileged =
      (typeof sc === 'object' && sc !== null && !Array.isArray(sc) && (sc['privileged'] === true || sc['allowPrivilegeEscalation'] === true)) ||
      add.some((x) => x === 'SYS_ADMIN' || x === 'ALL')
    if (privileged) names.add(String(c['name'] ?? '?'))
  }
  return names
}

/** A container that is privileged (or gains SYS_ADMIN/ALL or privilege escalation) appears in head. */
export const privilegedPod: GateRule = {
  id: 'privileged-pod',
  description: 'A container becomes privileged, allows privilege escalation or adds SYS_ADMIN/ALL capabilities.',
  defaultLevel: 'warn',
  evaluate({ plan }) {
    const hits: RuleHit[] = []
    for (const { change, before, after } of headObjects(plan)) {
      const now = privilegedNames(podSpecOf(after))
      const was = privilegedNames(podSpecOf(before))
      const added = [...now].filter((n) => !was.has(n))
      if (added.length > 0) hits.push(hit(change, `${nameOf(change)}: container(s) ${added.join(', ')} run privileged`))
    }
    return hits
  },
}

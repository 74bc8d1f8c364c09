import { containersOf, headObjects, hit, nameOf, podSpecOf } from '../inspect.js'
import { isJsonObject, type JsonObject } from '../../model/object.js'
import type { GateRule, RuleHit } from '../types.js'

function isPrivileged(container: JsonObject): boolean {
  const sc = container['securityContext']
  if (!isJsonObject(sc)) return false
  const caps = sc['capabilities']
  const add = isJsonObject(caps) && Array.isArray(caps['add']) ? caps['add'] : []
  return sc['privileged'] === true || sc['allowPrivilegeEscalation'] === true || add.some((x) => x === 'SYS_ADMIN' || x === 'ALL')
}

function privilegedNames(spec: JsonObject | undefined): Set<string> {
  return new Set(containersOf(spec).filter(isPrivileged).map((c) => String(c['name'] ?? '?')))
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

import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import type { ObjectChange, Plan } from '../model/plan.js'
import { displayId } from '../model/resource-id.js'
import type { RuleHit } from './types.js'
import { compileRe2 } from '../regex/index.js'

/** Every object change of every cluster, with its cluster name. */
export function allChanges(plan: Plan): { cluster: string; change: ObjectChange }[] {
  return plan.clusters.flatMap((c) => c.changes.map((change) => ({ cluster: c.name, change })))
}

/** The value at a path of plain keys / indexes, or undefined. */
export function getPath(obj: JsonValue | KubeObject | undefined, path: readonly (string | number)[]): JsonValue | undefined {
  let cur: unknown = obj
  for (const key of path) {
    if (typeof key === 'number') cur = Array.isArray(cur) ? cur[key] : undefined
    else cur = isJsonObject(cur) ? cur[key] : undefined
    if (cur === undefined) return undefined
  }
  return cur as JsonValue
}

/** `Kind/ns/name` of a change, for messages. */
export function nameOf(change: ObjectChange): string {
  return displayId(change.id)
}

/** A RuleHit about one change, located at its source when known. */
export function hit(change: ObjectChange, message: string): RuleHit {
  return change.source ? { message, location: change.source } : { message }
}

/** The changes whose head object exists: added, changed, moved. */
export function headObjects(plan: Plan): { change: ObjectChange; after: KubeObject; before?: KubeObject }[] {
  return allChanges(plan).flatMap(({ change }) =>
    change.action !== 'removed' && change.after ? [{ change, after: change.after, ...(change.before ? { before: change.before } : {}) }] : [],
  )
}

const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'],
}

/** The pod spec of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob). */
export function podSpecOf(obj: KubeObject | undefined): JsonObject | undefined {
  if (!obj) return undefined
  const path = TEMPLATE_PATHS[obj.kind]
  if (!path) return undefined
  const spec = getPath(obj, path)
  return isJsonObject(spec) ? spec : undefined
}

/** Containers, init containers and ephemeral containers of a pod spec. */
export function containersOf(spec: JsonObject | undefined): JsonObject[] {
  if (!spec) return []
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((k) => {
    const list = spec[k]
    return Array.isArray(list) ? list.filter(isJsonObject) : []
  })
}

const UNITS: Record<string, number> = {
  '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
}

/** A Kubernetes quantity (`10Gi`, `500M`, `1.5e3`) as a number, or undefined. */
export function parseQuantity(v: JsonValue | undefined): number | undefined {
  if (typeof v === 'number') return v
  if (typeof v !== 'string') return undefined
  const m = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/.exec(v.trim())
  if (!m || UNITS[m[2]!] === undefined) return undefined
  return Number(m[1]) * UNITS[m[2]!]!
}

/** Stable JSON for comparing sub-trees regardless of key order. */
export function canonical(v: JsonValue | undefined): string {
  if (v === undefined) return 'undefined'
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`
  if (isJsonObject(v)) return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`
  return JSON.stringify(v)
}

/** A glob over repository paths: `**` crosses folders, `*` and `?` do not (matched with RE2). */
export function globToRegExp(glob: string): { test(path: string): boolean } {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '*' && glob[i + 1] === '*') {
      out += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (c === '*') out += '[^/]*'
    else if (c === '?') out += '[^/]'
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  // a folder pattern (`clusters/prod/`) covers everything below it
  const re = compileRe2(`^${out}${glob.endsWith('/') ? '.*' : ''}$`)
  // Every special character is escaped above, so the pattern compiles; match nothing if not.
  return re.ok ? re.re : { test: () => false }
}

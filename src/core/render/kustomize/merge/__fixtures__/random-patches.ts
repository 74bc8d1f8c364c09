// Seeded random strategic-merge cases (target + patch) for checking against a real kustomize:
// Deployments (containers, ports, env, volumes, directives), Services (ports keyed by
// port+protocol, key-less entries, finalizers) and a schema-less custom resource of nested maps,
// lists and nulls. Shapes are chosen so that no case makes kustomize fail.
import type { JsonObject, JsonValue } from '../../../../model/object.js'

/** A target and the patch to apply to it; both carry the same apiVersion, kind and name. */
export interface RandomCase {
  target: JsonObject
  patch: JsonObject
}

function rng(seed: number): { pick<T>(xs: readonly T[]): T; maybe(p: number): boolean; upTo(n: number): number } {
  let s = seed
  const next = (): number => {
    s = (s * 1103515245 + 12345) % 2147483648
    return s / 2147483648
  }
  return {
    pick: (xs) => xs[Math.floor(next() * xs.length)] as (typeof xs)[number],
    maybe: (p) => next() < p,
    upTo: (n) => Math.floor(next() * (n + 1)),
  }
}

type Rng = ReturnType<typeof rng>

function times<T>(n: number, f: () => T): T[] {
  return Array.from({ length: n }, f)
}

function container(r: Rng, patch: boolean): JsonObject {
  const c: JsonObject = { name: r.pick(['a', 'b', 'c']) }
  if (r.maybe(0.5)) c['image'] = r.pick(['x:1', 'x:2', null])
  if (r.maybe(0.4)) {
    c['ports'] = times(r.upTo(2), () => {
      const p: JsonObject = { containerPort: r.pick([80, 443, 53]) }
      if (r.maybe(0.4)) p['protocol'] = r.pick(['TCP', 'UDP'])
      return p
    })
  }
  if (r.maybe(0.4)) {
    c['env'] = times(r.upTo(2), () => {
      const e: JsonObject = { name: r.pick(['A', 'B', 'C']) }
      if (r.maybe(0.7)) e['value'] = r.pick(['1', '2', null])
      if (patch && r.maybe(0.1)) e['$patch'] = 'delete'
      return e
    })
  }
  if (r.maybe(0.3)) c['args'] = r.pick([['x'], ['y', 'z'], []])
  if (patch && r.maybe(0.1)) c['$patch'] = r.pick(['delete', 'replace', 'merge'])
  return c
}

function deployment(r: Rng, name: string, patch: boolean): JsonObject {
  const spec: JsonObject = {}
  if (r.maybe(0.8)) {
    const cs: JsonValue[] = times(r.upTo(2) + (patch ? 0 : 1), () => container(r, patch))
    if (patch && r.maybe(0.1)) cs.unshift({ $patch: r.pick(['replace', 'delete']) })
    spec['containers'] = cs
  }
  if (r.maybe(0.3)) spec['volumes'] = times(r.upTo(2), () => ({ name: r.pick(['v1', 'v2']), ...(r.maybe(0.5) ? { emptyDir: {} } : { configMap: { name: 'cm' } }) }))
  if (r.maybe(0.3)) spec['tolerations'] = [{ key: r.pick(['k1', 'k2']), operator: 'Exists' }]
  if (r.maybe(0.2)) spec['nodeSelector'] = r.maybe(0.3) ? null : { a: r.pick(['1', '2']) }
  if (patch && r.maybe(0.05)) spec['$patch'] = r.pick(['replace', 'delete'])
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name }, spec: { template: { spec } } }
}

function service(r: Rng, name: string, patch: boolean): JsonObject {
  const ports: JsonValue[] = times(r.upTo(3) + (patch ? 0 : 1), () => {
    const p: JsonObject = {}
    if (r.maybe(0.9)) p['port'] = r.pick([80, 443, 53])
    if (r.maybe(0.5)) p['protocol'] = r.pick(['TCP', 'UDP'])
    if (r.maybe(0.5)) p['name'] = r.pick(['h', 'd', 'x'])
    if (r.maybe(0.3)) p['targetPort'] = r.pick([8080, 'web'])
    if (patch && r.maybe(0.1)) p['$patch'] = 'delete'
    return p
  })
  const meta: JsonObject = { name }
  if (!patch || r.maybe(0.4)) meta['finalizers'] = times(r.upTo(2), () => r.pick(['f1', 'f2', 'f3']))
  const spec: JsonObject = patch ? {} : { ports, selector: { a: '1' } }
  if (patch && r.maybe(0.7)) spec['ports'] = ports
  if (patch && r.maybe(0.2)) spec['selector'] = r.maybe(0.5) ? null : { b: '2' }
  return { apiVersion: 'v1', kind: 'Service', metadata: meta, spec }
}

// Field names fix the node kind (m… map, l… list, s… scalar), so target and patch never clash.
function value(r: Rng, key: string, depth: number, patch: boolean): JsonValue {
  if (r.maybe(patch ? 0.15 : 0.05)) return null
  if (key.startsWith('m') && depth < 4) return nested(r, depth + 1, patch)
  if (key.startsWith('l')) return times(r.upTo(2), () => (r.maybe(0.5) ? r.pick(['a', 'b', 1]) : nested(r, depth + 1, patch)))
  return r.pick(['x', 'y', 1, 2, true, '1'])
}

function nested(r: Rng, depth: number, patch: boolean): JsonObject {
  const o: JsonObject = {}
  for (const k of ['m1', 'm2', 's1', 's2', 'l1']) if (r.maybe(0.45)) o[k] = value(r, k, depth, patch)
  if (patch && depth > 0 && r.maybe(0.06)) o['$patch'] = r.pick(['delete', 'replace', 'merge'])
  return o
}

function custom(r: Rng, name: string, patch: boolean): JsonObject {
  return { apiVersion: 'ex.com/v1', kind: 'Foo', metadata: { name }, spec: nested(r, 0, patch) }
}

/** `n` cases of each family, named `<prefix>-<family>-<i>`, reproducible from `seed`. */
export function randomCases(seed: number, n: number, prefix: string): RandomCase[] {
  const r = rng(seed)
  const out: RandomCase[] = []
  for (const [family, make] of [['dep', deployment], ['svc', service], ['foo', custom]] as const) {
    for (let i = 0; i < n; i++) {
      const name = `${prefix}-${family}-${i}`
      out.push({ target: make(r, name, false), patch: make(r, name, true) })
    }
  }
  return out
}

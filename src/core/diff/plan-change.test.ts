import { cluster, fleet, ks, hr, objs } from './__fixtures__/fleet.js'
import { planChange } from './plan-change.js'
import { frozen } from '../model/frozen.js'

const entry = ks('flux-system')
const apps = ks('apps', { parent: entry.ref })
const infra = ks('infra', { parent: entry.ref })

describe('planChange', () => {
  it('reports added, changed, removed and moved objects per owner, ignoring noise', () => {
    const base = fleet('a'.repeat(40), [
      cluster('staging', [entry, apps, infra], [
        ...objs(apps, `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: apps, labels: {kustomize.toolkit.fluxcd.io/name: apps}}
data: {mode: blue}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: same, namespace: apps}
data: {x: "1"}
---
apiVersion: v1
kind: Service
metadata: {name: old, namespace: apps}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: mover, namespace: apps}
`),
      ]),
    ])
    const head = fleet('b'.repeat(40), [
      cluster('staging', [entry, apps, infra], [
        ...objs(apps, `
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: apps}
data: {mode: green}
---
apiVersion: v1
kind: ConfigMap
metadata: {namespace: apps, name: same}
data: {x: '1'}
---
apiVersion: v1
kind: Service
metadata: {name: new, namespace: apps}
spec: {ports: [{port: 80, protocol: TCP}]}
`),
        ...objs(infra, `{apiVersion: v1, kind: ServiceAccount, metadata: {name: mover, namespace: apps}}`),
      ]),
    ])

    const plan = planChange(base, head, { baseRef: 'main', headRef: 'feature' })

    const c = plan.clusters[0]!
    const summary = c.changes.map((x) => `${x.action} ${x.id.kind}/${x.id.name} ${x.prune ?? ''}`)
    expect(summary).toEqual([
      'changed ConfigMap/cfg ',
      'added Service/new ',
      'removed Service/old delete',
      'moved ServiceAccount/mover ',
    ])
    const cfg = c.changes[0]!
    expect(cfg.fields).toEqual([{ path: 'data/mode', before: 'blue', after: 'green' }])
    expect(cfg.diff).toContain('-  mode: blue\n+  mode: green')
    const moved = c.changes[3]!
    expect(moved.previousOwner).toEqual(apps.ref)
    expect(moved.owner).toEqual(infra.ref)
    expect(moved.note).toContain('P-16')
    expect(plan.base).toEqual({ ref: 'main', sha: 'a'.repeat(40) })
    const appsSummary = c.owners.find((o) => o.ref.name === 'apps')!
    expect(appsSummary.counts).toEqual({ added: 1, changed: 1, removed: 1, moved: 0 })
    expect(c.owners.find((o) => o.ref.name === 'infra')!.counts.moved).toBe(1)
  })

  it('compares objects a head shares with its base (an unchanged unit reused) as unchanged, and as moved under another owner', () => {
    const shared = frozen(objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: x}, data: {a: '1'}}\n---\n{apiVersion: v1, kind: ServiceAccount, metadata: {name: s, namespace: x}}`))
    const base = fleet('a', [cluster('prod', [entry, apps, infra], shared)])
    const same = fleet('b', [cluster('prod', [entry, apps, infra], [...shared])])
    expect(planChange(base, same).clusters[0]!.changes).toEqual([])
    // The very same object, now applied by another owner: a move (P-16), never skipped as the same.
    const moved = fleet('c', [cluster('prod', [entry, apps, infra], [shared[0]!, { ...shared[1]!, owner: infra.ref }])])
    expect(planChange(base, moved).clusters[0]!.changes.map((c) => `${c.action} ${c.id.kind}`)).toEqual(['moved ServiceAccount'])
  })

  it('plans shared objects as it plans equal copies when another owner of the cluster could not be compared', () => {
    // A HelmRelease rendered in the base and values-only in the head (its chart not rendered):
    // its objects are not compared, while the objects every other owner shares with the base
    // are still the same objects, and the one that changed is still found.
    const rendered = hr('db', 'db', { parent: apps.ref })
    const valuesOnly = hr('db', 'db', { parent: apps.ref, status: 'values-only' })
    const shared = frozen(objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: x}, data: {a: '1'}}\n---\n{apiVersion: v1, kind: ServiceAccount, metadata: {name: s, namespace: x}}`))
    const chart = objs(rendered, `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: db}}`)
    const before = objs(infra, `{apiVersion: v1, kind: ConfigMap, metadata: {name: tuned, namespace: x}, data: {a: '1'}}`)
    const after = objs(infra, `{apiVersion: v1, kind: ConfigMap, metadata: {name: tuned, namespace: x}, data: {a: '2'}}`)
    const base = fleet('a', [cluster('prod', [entry, apps, infra, rendered], [...shared, ...before, ...chart])])
    const head = fleet('b', [cluster('prod', [entry, apps, infra, valuesOnly], [...shared, ...after])])
    const copies = fleet('b', [cluster('prod', [entry, apps, infra, valuesOnly], [...(JSON.parse(JSON.stringify(shared)) as typeof shared), ...after])])

    const plan = planChange(base, head)

    expect(JSON.stringify(plan)).toBe(JSON.stringify(planChange(base, copies)))
    const c = plan.clusters[0]!
    expect(c.changes.map((x) => `${x.action} ${x.id.kind}/${x.id.name}`)).toEqual(['changed ConfigMap/tuned'])
    expect(c.unknown).toMatchObject([{ owner: rendered.ref, objects: [{ id: { kind: 'StatefulSet', name: 'db' } }] }])
  })

  it('plans the very same cluster render on both sides (a walk reused whole) as it plans an equal copy', () => {
    const failed = ks('broken', { parent: entry.ref, status: 'failed', note: 'kustomize build failed' })
    const objects = [
      ...objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: shared, namespace: x}, data: {a: '1'}}`),
      ...objs(infra, `{apiVersion: v1, kind: ConfigMap, metadata: {name: shared, namespace: x}, data: {a: '2'}}`),
    ]
    const render = cluster('prod', [entry, apps, infra, failed], objects)
    const copy = JSON.parse(JSON.stringify(render)) as typeof render
    const same = planChange(fleet('a', [render]), fleet('b', [render]))
    const equal = planChange(fleet('a', [render]), fleet('b', [copy]))
    expect(JSON.stringify(same)).toBe(JSON.stringify(equal))
    expect(same.clusters[0]!.changes).toEqual([])
    expect(same.clusters[0]!.diagnostics.filter((d) => d.code === 'diff/duplicate-object')).toHaveLength(2)
  })

  it('plans a kept (frozen) base render against push after push as it plans a fresh copy of it', () => {
    // A warm worker keeps the base's cluster walk whole and compares it with every push's head.
    const objects = [
      ...objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: shared, namespace: x}, data: {a: '1'}}`),
      ...objs(infra, `{apiVersion: v1, kind: ConfigMap, metadata: {name: shared, namespace: x}, data: {a: '2'}}\n---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: tuned, namespace: x}, data: {a: '1'}}`),
    ]
    const kept = frozen(cluster('prod', [entry, apps, infra], objects))
    const fresh = () => JSON.parse(JSON.stringify(kept)) as typeof kept
    const push = (a: string) => cluster('prod', [entry, apps, infra], [...objects.slice(0, 2), ...objs(infra, `{apiVersion: v1, kind: ConfigMap, metadata: {name: tuned, namespace: x}, data: {a: '${a}'}}`)])
    for (const a of ['2', '3', '2']) {
      const plan = planChange(fleet('a', [kept]), fleet('b', [push(a)]))
      expect(JSON.stringify(plan)).toBe(JSON.stringify(planChange(fleet('a', [fresh()]), fleet('b', [push(a)]))))
      expect(plan.clusters[0]!.changes.map((c) => `${c.action} ${c.id.name}`)).toEqual(['changed tuned'])
      // The base's duplicate and the head's, once each per plan.
      expect(plan.clusters[0]!.diagnostics.filter((d) => d.code === 'diff/duplicate-object')).toHaveLength(2)
    }
  })

  it('plans frozen renders planned before as it plans fresh copies: the same plan, unless the values masked or the options differ', () => {
    // A cluster a push does not reach: the same frozen base and head render, push after push.
    const base = frozen(cluster('prod', [entry, apps], objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, namespace: x}, data: {token: hunter2-old-value}}`)))
    const head = frozen(cluster('prod', [entry, apps], objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, namespace: x}, data: {token: hunter2-new-value}}\n---\n{apiVersion: v1, kind: ConfigMap, metadata: {name: added, namespace: x}}`)))
    const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T
    const plans = (opts: Parameters<typeof planChange>[2]) => [planChange(fleet('a', [base]), fleet('b', [head]), opts), planChange(fleet('a', [copy(base)]), fleet('b', [copy(head)]), opts)] as const

    const [first] = plans({})
    const [again, fresh] = plans({})
    expect(again.clusters[0]).toBe(first.clusters[0])
    expect(JSON.stringify(again)).toBe(JSON.stringify(fresh))

    const [masked, maskedFresh] = plans({ secretValues: ['hunter2-new-value'] })
    expect(masked.clusters[0]).not.toBe(first.clusters[0])
    expect(JSON.stringify(masked)).toBe(JSON.stringify(maskedFresh))
    expect(JSON.stringify(masked)).not.toContain('hunter2-new-value')
    expect(JSON.stringify(first)).toContain('hunter2-new-value')

    const [bare, bareFresh] = plans({ diffAddedRemoved: false })
    expect(JSON.stringify(bare)).toBe(JSON.stringify(bareFresh))
    expect(JSON.stringify(bare)).not.toBe(JSON.stringify(first))
    // What is kept is frozen: a caller that changed a plan would change every later one.
    expect(Object.isFrozen(first.clusters[0]!.changes)).toBe(true)
  })

  it('does not list the objects of an owner whose head fails to apply as removed: they stay as they are (P-5)', () => {
    const failed = ks('apps', { parent: entry.ref, status: 'failed', note: 'kustomize build failed' })
    const base = fleet('a', [cluster('prod', [entry, apps], objs(apps, `{apiVersion: v1, kind: ConfigMap, metadata: {name: c, namespace: x}}`))])
    const head = fleet('b', [cluster('prod', [entry, failed], [])])

    const plan = planChange(base, head)

    expect(plan.clusters[0]!.changes.filter((c) => c.id.kind === 'ConfigMap')).toEqual([])
    const s = plan.clusters[0]!.owners.find((o) => o.ref.name === 'apps')!
    expect(s.status).toBe('failed')
    expect(s.note).toContain('nothing of it is applied or pruned')
    expect(plan.clusters[0]!.unknown).toEqual([{ owner: apps.ref, state: 'apply-fails', reason: expect.stringContaining('kustomize build failed') as unknown as string, objects: [{ id: { group: '', kind: 'ConfigMap', namespace: 'x', name: 'c' }, apiVersion: 'v1' }] }])
  })

  it('lists the base objects of an owner whose head source became external as unknown, never as removed or unchanged', () => {
    const external = ks('apps', { parent: entry.ref, status: 'external', note: 'GitRepository flux-system/other points at https://example.com/other; not rendered' })
    const base = fleet('a', [cluster('prod', [entry, apps], objs(apps, `{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data, namespace: x}}`))])
    const head = fleet('b', [cluster('prod', [entry, external], [])])

    const c = planChange(base, head).clusters[0]!

    expect(c.changes).toEqual([])
    expect(c.unknown).toMatchObject([{ owner: apps.ref, state: 'not-comparable', objects: [{ id: { kind: 'PersistentVolumeClaim', name: 'data' } }] }])
    expect(c.unknown[0]!.reason).toContain('https://example.com/other')
  })

  it('records the owner of values-only HelmReleases and their spec change', () => {
    const r1 = hr('podinfo', 'podinfo', { parent: apps.ref, status: 'values-only', values: { replicas: 1 } })
    const r2 = hr('podinfo', 'podinfo', { parent: apps.ref, status: 'values-only', values: { replicas: 2 } })
    const plan = planChange(fleet('a', [cluster('s', [entry, apps, r1], [])]), fleet('b', [cluster('s', [entry, apps, r2], [])]))

    const change = plan.clusters[0]!.changes.find((c) => c.id.kind === 'HelmRelease')!
    expect(change.action).toBe('changed')
    expect(change.fields).toEqual([{ path: 'spec/values/replicas', before: 1, after: 2 }])
    expect(plan.clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')!.state).toBe('changed')
  })

  it('does not call a chart that could not be fetched in head a removal of all its objects', () => {
    const rendered = hr('db', 'db', { parent: apps.ref })
    const valuesOnly = hr('db', 'db', { parent: apps.ref, status: 'values-only' })
    const base = fleet('a', [cluster('s', [entry, apps, rendered], objs(rendered, `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: db, namespace: db}}`))])
    const head = fleet('b', [cluster('s', [entry, apps, valuesOnly], [])])

    const plan = planChange(base, head)

    expect(plan.clusters[0]!.changes).toEqual([])
    expect(plan.clusters[0]!.owners.find((o) => o.ref.name === 'db')!.note).toContain('values-only')
  })
})

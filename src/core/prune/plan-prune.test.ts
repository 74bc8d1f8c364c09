import { cluster, fleet, hr, ks, objs } from '../diff/__fixtures__/fleet.js'
import { planChange } from '../diff/plan-change.js'
import type { ObjectChange } from '../model/plan.js'

const entry = ks('flux-system')

function removedOf(changes: ObjectChange[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (const c of changes) if (c.action === 'removed') out[`${c.id.kind}/${c.id.name}`] = `${c.prune}${c.highRisk ? ' high-risk' : ''}`
  return out
}

describe('planPrune', () => {
  it('deletes under prune: true, orphans under prune: false, honours P-9 from the base object', () => {
    const on = ks('on', { parent: entry.ref })
    const off = ks('off', { parent: entry.ref, prune: false })
    const base = fleet('a', [
      cluster('c', [entry, on, off], [
        ...objs(on, `
{apiVersion: v1, kind: ConfigMap, metadata: {name: gone, namespace: x}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: kept, namespace: x, annotations: {kustomize.toolkit.fluxcd.io/prune: Disabled}}}
---
{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: data, namespace: x}}
`),
        ...objs(off, `{apiVersion: v1, kind: ConfigMap, metadata: {name: left, namespace: y}}`),
      ]),
    ])
    const head = fleet('b', [cluster('c', [entry, on, off], [])])

    const plan = planChange(base, head)

    const changes = plan.clusters[0]!.changes
    expect(removedOf(changes)).toEqual({
      'ConfigMap/gone': 'delete',
      'ConfigMap/kept': 'orphan',
      'PersistentVolumeClaim/data': 'delete high-risk',
      'ConfigMap/left': 'orphan',
    })
    expect(changes.find((c) => c.id.name === 'kept')!.pruneReason).toContain('P-9')
    expect(changes.find((c) => c.id.name === 'left')!.pruneReason).toContain('prune: false (P-6)')
  })

  it('cascades through a removed Kustomization tree and uninstalls its HelmReleases (P-13, P-15)', () => {
    const parent = ks('apps', { parent: entry.ref })
    const child = ks('podinfo', { parent: parent.ref, prune: false })
    const grandchild = ks('redis', { parent: parent.ref })
    const release = hr('podinfo', 'podinfo', { parent: grandchild.ref })
    const base = fleet('a', [
      cluster('c', [entry, parent, child, grandchild, release], [
        ...objs(child, `{apiVersion: v1, kind: ConfigMap, metadata: {name: child-cm, namespace: p}}`),
        ...objs(grandchild, `{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: redis, namespace: p}}`),
        ...objs(release, `{apiVersion: apps/v1, kind: Deployment, metadata: {name: podinfo, namespace: p}}`),
      ]),
    ])
    const head = fleet('b', [cluster('c', [entry], [])])

    const plan = planChange(base, head)

    expect(removedOf(plan.clusters[0]!.changes)).toEqual({
      'Kustomization/apps': 'delete',
      'Kustomization/podinfo': 'delete',
      'Kustomization/redis': 'delete',
      'HelmRelease/podinfo': 'delete',
      'ConfigMap/child-cm': 'orphan',
      'StatefulSet/redis': 'delete high-risk',
      'Deployment/podinfo': 'delete',
    })
    const deploy = plan.clusters[0]!.changes.find((c) => c.id.kind === 'Deployment')!
    expect(deploy.pruneReason).toContain('uninstalls the release (P-15)')
  })

  it('keeps a removed Kustomization alive when its parent does not prune (P-14)', () => {
    const parent = ks('apps', { parent: entry.ref, prune: false })
    const child = ks('web', { parent: parent.ref })
    const base = fleet('a', [cluster('c', [entry, parent, child], objs(child, `{apiVersion: v1, kind: ConfigMap, metadata: {name: w, namespace: w}}`))])
    const head = fleet('b', [cluster('c', [entry, parent], [])])

    const plan = planChange(base, head)

    const cm = plan.clusters[0]!.changes.find((c) => c.id.kind === 'ConfigMap')!
    expect(cm.prune).toBe('orphan')
    expect(cm.pruneReason).toContain('P-14')
  })

  it('deletes everything in a deleted Namespace, protected or not, and warns about survivors (P-12)', () => {
    const a = ks('a', { parent: entry.ref })
    const b = ks('b', { parent: entry.ref, prune: false })
    const base = fleet('a', [
      cluster('c', [entry, a, b], [
        ...objs(a, `{apiVersion: v1, kind: Namespace, metadata: {name: ingress}}`),
        ...objs(b, `
{apiVersion: v1, kind: ConfigMap, metadata: {name: orphan-me, namespace: ingress}}
---
{apiVersion: v1, kind: ConfigMap, metadata: {name: still-here, namespace: ingress}}
`),
      ]),
    ])
    const head = fleet('b', [cluster('c', [entry, a, b], objs(b, `{apiVersion: v1, kind: ConfigMap, metadata: {name: still-here, namespace: ingress}}`))])

    const plan = planChange(base, head)

    const c = plan.clusters[0]!
    expect(removedOf(c.changes)).toEqual({ 'Namespace/ingress': 'delete high-risk', 'ConfigMap/orphan-me': 'delete' })
    expect(c.changes.find((x) => x.id.name === 'orphan-me')!.pruneReason).toContain('P-12')
    expect(c.diagnostics.map((d) => d.code)).toContain('prune/cascade-deletes-kept-objects')
  })

  it('orphans chart objects Helm is told to keep, and the inventory of a suspended removed Kustomization', () => {
    const release = hr('db', 'db', { parent: entry.ref })
    const paused = ks('paused', { parent: entry.ref, suspended: true })
    const base = fleet('a', [
      cluster('c', [entry, release, paused], [
        ...objs(release, `{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: pg, namespace: db, annotations: {helm.sh/resource-policy: keep}}}`),
        ...objs(paused, `{apiVersion: v1, kind: ConfigMap, metadata: {name: p, namespace: p}}`),
      ]),
    ])
    const head = fleet('b', [cluster('c', [entry, release], [])])

    const plan = planChange(base, head)

    expect(removedOf(plan.clusters[0]!.changes)).toEqual({ 'PersistentVolumeClaim/pg': 'orphan', 'Kustomization/paused': 'delete', 'ConfigMap/p': 'orphan' })
  })

  it('deletes every custom resource of a deleted CRD, even under an owner without prune (P-12)', () => {
    const crds = ks('crds', { parent: entry.ref })
    const widgets = ks('widgets', { parent: entry.ref, prune: false })
    const base = fleet('a', [
      cluster('c', [entry, crds, widgets], [
        ...objs(crds, `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: Namespaced}
`),
        ...objs(widgets, `{apiVersion: example.com/v1, kind: Widget, metadata: {name: w1, namespace: a}}`),
      ]),
    ])
    const head = fleet('b', [cluster('c', [entry, crds, widgets], [])])

    const plan = planChange(base, head)

    expect(removedOf(plan.clusters[0]!.changes)).toEqual({ 'CustomResourceDefinition/widgets.example.com': 'delete high-risk', 'Widget/w1': 'delete' })
    expect(plan.clusters[0]!.changes.find((c) => c.id.kind === 'Widget')!.pruneReason).toBe(
      'deleted with CustomResourceDefinition/widgets.example.com (P-12), although Kustomization/flux-system/widgets has prune: false (P-6)',
    )
  })
})

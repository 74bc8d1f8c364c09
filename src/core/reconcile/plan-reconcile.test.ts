import type { KubeObject } from '../model/object.js'
import type { ClusterPlan } from '../model/plan.js'
import type { ClusterRender, OwnerRef, RenderedOwner } from '../model/render-result.js'
import { planReconcile } from './plan-reconcile.js'

const K = (name: string): OwnerRef => ({ kind: 'Kustomization', namespace: 'flux-system', name })

function owner(ref: OwnerRef, parent?: OwnerRef, dependsOn: OwnerRef[] = [], source = 'flux-system'): RenderedOwner {
  const object = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: ref.kind, metadata: { name: ref.name, namespace: ref.namespace }, spec: { sourceRef: { kind: 'GitRepository', name: source } } } as unknown as KubeObject
  return { ref, object, ...(parent ? { parent } : {}), status: 'rendered', prune: true, suspended: false, dependsOn }
}

function plan(changed: OwnerRef[], removedOwner?: OwnerRef): ClusterPlan {
  const changes = changed.map((o) => ({ action: 'changed' as const, id: { group: '', kind: 'ConfigMap', namespace: 'x', name: o.name }, apiVersion: 'v1', owner: o, prune: null, highRisk: false, fields: [], diff: '' }))
  const owners = removedOwner ? [{ ref: removedOwner, dependsOn: [], state: 'removed' as const, status: 'rendered' as const, counts: { added: 0, changed: 0, removed: 1, moved: 0 }, suspended: false }] : []
  return { name: 'prod', path: 'clusters/prod', changes: removedOwner ? [...changes, { ...changes[0]!, action: 'removed', owner: removedOwner }] : changes, unknown: [], owners, diagnostics: [] }
}

describe('planReconcile', () => {
  it('orders by dependsOn and parent, keeps only affected owners and collects their sources', () => {
    const root = K('flux-system')
    const head: ClusterRender = {
      name: 'prod',
      path: 'clusters/prod',
      owners: [owner(root), owner(K('apps'), root, [K('db'), K('infra')]), owner(K('db'), root, [K('infra')], 'other-repo'), owner(K('infra'), root), owner(K('idle'), root)],
      objects: [],
      diagnostics: [],
    }

    const p = planReconcile(plan([K('apps'), K('db'), K('infra')]), head)

    expect(p.targets.map((t) => t.ref.name)).toEqual(['infra', 'db', 'apps'])
    expect(p.targets[2]?.after).toEqual(['Kustomization/flux-system/db', 'Kustomization/flux-system/infra'])
    expect(p.sources.map((s) => s.ref.name)).toEqual(['flux-system', 'other-repo'])
  })

  it('notes an owner the merge removes instead of asking it', () => {
    const head: ClusterRender = { name: 'prod', path: 'clusters/prod', owners: [owner(K('apps'))], objects: [], diagnostics: [] }

    const p = planReconcile(plan([K('apps')], K('gone')), head)

    expect(p.targets.map((t) => t.ref.name)).toEqual(['apps'])
    expect(p.notes).toEqual([{ ref: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'gone' }, note: 'removed by the merge: its parent prunes it' }])
  })
})

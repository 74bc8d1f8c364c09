/**
 * Acceptance of the live diff on the demo fleet (flux2-kustomize-helm-example, envoy-before →
 * envoy-after, cluster staging): with the API double loaded with the base render, the live view
 * shows exactly the plan's changes and no drift; with one object changed behind Flux's back,
 * that object shows as drift, apart.
 */
import { join } from 'node:path'
import { planChange } from '../../src/core/diff/plan-change.js'
import { liveDiff } from '../../src/core/live/live-diff.js'
import type { ClusterPlan, Plan } from '../../src/core/model/plan.js'
import type { ClusterRender, FleetRender } from '../../src/core/model/render-result.js'
import { displayId, groupOf, inventoryId, resourceIdOf, versionOf } from '../../src/core/model/resource-id.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { DiskTree } from '../../src/infra/disk-tree.js'
import { DEFAULT_RESOURCES, startKubeApiServer, type KubeApiServer, type ResourceType, type StoredObject } from '../support/kube-apiserver/index.js'
import { clientFor } from './fleet.js'

const example = join(process.cwd(), '..', 'shared', 'examples', 'flux2-kustomize-helm-example')

/** Rows for every kind the renders hold that the double does not serve yet. */
function kindsOf(renders: FleetRender[]): ResourceType[] {
  const out = new Map<string, ResourceType>()
  for (const f of renders) {
    for (const c of f.clusters) {
      for (const { object } of c.objects) {
        const group = groupOf(object.apiVersion)
        const version = versionOf(object.apiVersion)
        if (DEFAULT_RESOURCES.some((r) => r.group === group && r.kind === object.kind)) continue
        const key = `${group}/${object.kind}`
        const prev = out.get(key)
        const versions = [...new Set([...(prev?.versions ?? []), version])]
        const plural = object.kind.toLowerCase().endsWith('s') ? `${object.kind.toLowerCase()}es` : object.kind.toLowerCase().endsWith('y') ? `${object.kind.toLowerCase().slice(0, -1)}ies` : `${object.kind.toLowerCase()}s`
        out.set(key, { group, versions, kind: object.kind, plural, namespaced: object.metadata.namespace !== undefined, status: true, builtin: !group.includes('.'), shortNames: [] })
      }
    }
  }
  return [...out.values()]
}

function load(server: KubeApiServer, cluster: ClusterRender): void {
  for (const { object } of cluster.objects) server.seed(object as unknown as StoredObject)
  for (const owner of cluster.owners) {
    if (owner.ref.kind !== 'Kustomization') continue
    const entries = cluster.objects.filter((o) => o.owner.kind === 'Kustomization' && o.owner.name === owner.ref.name && o.owner.namespace === owner.ref.namespace).map((o) => ({ id: inventoryId(resourceIdOf(o.object)), v: versionOf(o.object.apiVersion) }))
    const live = server.get(owner.object.apiVersion, 'Kustomization', owner.ref.namespace, owner.ref.name)
    if (live) server.writeStatus(live, { inventory: { entries } }, 'kustomize-controller')
  }
}

function keys(list: { action: string; id: Parameters<typeof displayId>[0] }[]): string[] {
  return list.map((c) => `${c.action} ${displayId(c.id)}`).sort()
}

describe('live diff of the demo fleet against the API double', () => {
  let base: FleetRender
  let head: FleetRender
  let plan: Plan
  let staging: ClusterPlan
  let server: KubeApiServer

  beforeAll(async () => {
    base = await renderFleet(new DiskTree(join(example, 'envoy-before')), { revision: 'envoy-before' })
    head = await renderFleet(new DiskTree(join(example, 'envoy-after')), { revision: 'envoy-after' })
    plan = planChange(base, head)
    staging = plan.clusters.find((c) => c.name === 'staging')!
  })

  beforeEach(async () => {
    server = await startKubeApiServer({ resources: [...DEFAULT_RESOURCES, ...kindsOf([base, head])] })
    load(server, base.clusters.find((c) => c.name === 'staging')!)
  })

  afterEach(async () => {
    await server.stop()
  })

  it('shows exactly the pull request\'s changes and no drift', async () => {
    const { cluster } = clientFor(server)

    const v = await liveDiff(cluster, staging, base.clusters.find((c) => c.name === 'staging'), head.clusters.find((c) => c.name === 'staging'))

    expect(v.diagnostics).toEqual([])
    expect(v.drift).toEqual([])
    const planned = staging.changes.filter((c) => c.action !== 'moved').map((c) => ({ action: c.action, id: c.id }))
    expect(planned.length).toBeGreaterThan(0)
    expect(keys(v.changes)).toEqual(keys(planned))
    expect(v.inventory).toEqual([])
  })

  it('shows one object changed behind Flux\'s back as drift, apart from the change', async () => {
    const hr = base.clusters.find((c) => c.name === 'staging')!.objects.find((o) => o.object.kind === 'HelmRelease')!.object
    const live = server.get(hr.apiVersion, hr.kind, hr.metadata.namespace, hr.metadata.name)!
    const interval = (live['spec'] as { interval: string }).interval
    server.seed({ ...live, spec: { ...(live['spec'] as object), interval: '99m' } } as StoredObject, 'kubectl-edit')
    const { cluster } = clientFor(server)

    const v = await liveDiff(cluster, staging, base.clusters.find((c) => c.name === 'staging'), head.clusters.find((c) => c.name === 'staging'))

    expect(keys(v.drift)).toEqual([`changed ${displayId(resourceIdOf(hr))}`])
    expect(v.drift[0]?.fields).toEqual([{ path: 'spec/interval', before: '99m', after: interval }])
    expect(keys(v.changes)).toEqual(keys(staging.changes.filter((c) => c.action !== 'moved')))
  })
})

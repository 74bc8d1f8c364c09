import { planChange } from '../../src/core/diff/plan-change.js'
import { liveDiff } from '../../src/core/live/live-diff.js'
import type { LiveView } from '../../src/core/model/plan.js'
import type { FleetRender } from '../../src/core/model/render-result.js'
import { inventoryId, resourceIdOf } from '../../src/core/model/resource-id.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { GitRepo } from '../../src/infra/git-repo.js'
import { startKubeApiServer, type KubeApiServer, type StoredObject } from '../support/kube-apiserver/index.js'
import { clientFor } from './fleet.js'
import { createFleetRepo, type FleetRepo } from './fleet-repo.js'

let repo: FleetRepo
let base: FleetRender
let head: FleetRender
let server: KubeApiServer

beforeAll(async () => {
  repo = createFleetRepo()
  const git = new GitRepo(repo.dir)
  base = await renderFleet(await git.tree(repo.baseSha), { revision: repo.baseSha })
  head = await renderFleet(await git.tree(repo.mergeSha), { revision: repo.mergeSha })
})

beforeEach(async () => {
  server = await startKubeApiServer()
  loadBase(server)
})

afterEach(async () => {
  await server.stop()
})

/** The cluster as Flux left it at the base commit: every object applied, inventories recorded. */
function loadBase(s: KubeApiServer, extraInventory: Record<string, string[]> = {}, dropInventory: string[] = []): void {
  const cluster = base.clusters[0]!
  for (const o of cluster.objects) {
    if (o.object.kind === 'Kustomization' && o.object.apiVersion.startsWith('kustomize.toolkit')) continue
    s.seed(o.object as unknown as StoredObject)
  }
  for (const owner of cluster.owners) {
    if (owner.ref.kind !== 'Kustomization') continue
    const ids = cluster.objects.filter((o) => o.owner.name === owner.ref.name).map((o) => inventoryId(resourceIdOf(o.object)))
    const entries = [...ids, ...(extraInventory[owner.ref.name] ?? [])].filter((id) => !dropInventory.includes(id)).map((id) => ({ id, v: 'v1' }))
    s.seed({ ...(owner.object as unknown as StoredObject), status: { inventory: { entries } } } as unknown as StoredObject)
  }
}

async function view(renders: { base: FleetRender; head: FleetRender } = { base, head }): Promise<LiveView> {
  const plan = planChange(renders.base, renders.head)
  const { cluster } = clientFor(server)
  return liveDiff(cluster, plan.clusters[0]!, renders.base.clusters[0], renders.head.clusters[0])
}

/** The renders with `spec.ignore` set on the `apps` Kustomization (as its parent rendered it). */
function withIgnore(r: FleetRender, ignore: unknown[]): FleetRender {
  const copy = structuredClone(r)
  const apps = copy.clusters[0]!.owners.find((o) => o.ref.name === 'apps')!
  ;(apps.object['spec'] as Record<string, unknown>)['ignore'] = ignore
  return copy
}

function names(list: LiveView['changes']): string[] {
  return list.map((c) => `${c.action} ${c.id.kind}/${c.id.name}`).sort()
}

describe('live diff against the API double', () => {
  it('shows exactly the change of the merge, with server defaults on both sides', async () => {
    const v = await view()

    expect(v.diagnostics).toEqual([])
    expect(names(v.changes)).toEqual(['changed ConfigMap/settings', 'changed Deployment/web', 'removed ConfigMap/old'])
    expect(v.changes.find((c) => c.id.kind === 'Deployment')?.fields).toEqual([{ path: 'spec/template/spec/containers/0/image', before: 'ghcr.io/example/web:1.0.0', after: 'ghcr.io/example/web:1.1.0' }])
    expect(v.drift).toEqual([])
    expect(v.inventory).toEqual([])
    const dryRuns = server.log.filter((e) => e.method === 'PATCH')
    expect(dryRuns.length).toBeGreaterThan(0)
    for (const e of dryRuns) expect(e.query).toMatchObject({ dryRun: 'All', fieldManager: 'fluxgate', force: 'true' })
  })

  it('shows a change made behind Flux\'s back as drift, apart from the merge\'s change', async () => {
    const web = server.get('apps/v1', 'Deployment', 'apps', 'web')!
    server.seed({ ...web, spec: { ...(web['spec'] as object), replicas: 5 } } as StoredObject, 'kubectl-scale')

    const v = await view()

    expect(names(v.drift)).toEqual(['changed Deployment/web'])
    expect(v.drift[0]?.fields).toEqual([{ path: 'spec/replicas', before: 5, after: 2 }])
    expect(names(v.changes)).toEqual(['changed ConfigMap/settings', 'changed Deployment/web', 'removed ConfigMap/old'])
    expect(v.changes.find((c) => c.id.kind === 'Deployment')?.fields.map((f) => f.path)).toEqual(['spec/template/spec/containers/0/image'])
  })

  it('leaves paths under spec.ignore out of drift and out of the change: the apply keeps the live value', async () => {
    const web = server.get('apps/v1', 'Deployment', 'apps', 'web')!
    server.seed({ ...web, spec: { ...(web['spec'] as object), replicas: 5 } } as StoredObject, 'hpa-controller')
    const rule = [{ paths: ['/spec/replicas'], target: { kind: 'Deployment' } }]

    const v = await view({ base: withIgnore(base, rule), head: withIgnore(head, rule) })

    // (The Kustomization itself differs from the seeded one by the rule: not what is asserted here.)
    expect(names(v.drift).filter((n) => !n.includes('Kustomization/'))).toEqual([])
    expect(v.changes.find((c) => c.id.kind === 'Deployment')?.fields.map((f) => f.path)).toEqual(['spec/template/spec/containers/0/image'])
    // Without the rule the same cluster shows the scaled replicas as drift.
    const plain = await view()
    expect(plain.drift.find((c) => c.id.kind === 'Deployment')?.fields).toEqual([{ path: 'spec/replicas', before: 5, after: 2 }])
  })

  it('masks a Secret that drifted, naming only the key', async () => {
    const creds = server.get('v1', 'Secret', 'apps', 'creds')!
    server.seed({ ...creds, data: { password: Buffer.from('rotated-by-hand-5521').toString('base64') } } as StoredObject, 'kubectl-edit')

    const v = await view()

    expect(names(v.drift)).toEqual(['changed Secret/creds'])
    const text = JSON.stringify(v)
    expect(text).not.toContain('rotated-by-hand-5521')
    expect(text).not.toContain(Buffer.from('rotated-by-hand-5521').toString('base64'))
    expect(text).not.toContain('git-side-password-9931')
    expect(v.drift[0]?.fields.map((f) => f.path)).toEqual(['data/password'])
  })

  it('flags a planned prune the inventory does not hold', async () => {
    await server.stop()
    server = await startKubeApiServer()
    loadBase(server, {}, ['apps_old__ConfigMap'])

    const v = await view()

    expect(v.inventory.map((f) => `${f.type} ${f.inventoryId}`)).toEqual(['not-in-inventory apps_old__ConfigMap'])
  })

  it('flags an inventory entry Flux will prune that the plan does not list', async () => {
    await server.stop()
    server = await startKubeApiServer()
    loadBase(server, { apps: ['apps_stray__ConfigMap'] })

    const v = await view()

    expect(v.inventory.map((f) => `${f.type} ${f.inventoryId}`)).toEqual(['unplanned-prune apps_stray__ConfigMap'])
    expect(v.inventory[0]?.message).toMatch(/Flux will prune it/)
  })
})

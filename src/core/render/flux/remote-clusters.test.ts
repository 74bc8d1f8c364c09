import { planChange } from '../../diff/plan-change.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { renderFleet } from '../render-fleet.js'

const gotk = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/acme/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./hub, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`

/** A spoke's Kustomization, as the Flux hub-and-spoke example writes them: same Secret name, one namespace per spoke. */
const spoke = (env: string, name: string, path: string, extra = ''): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: ${name}, namespace: ${env}}
spec:
  interval: 1h
  prune: true
  path: ${path}
  sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
  kubeConfig: {secretRef: {name: cluster-kubeconfig}}
  postBuild: {substitute: {CLUSTER_NAME: ${env}}}
${extra}`

const release = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: production}
spec:
  interval: 1h
  kubeConfig: {secretRef: {name: cluster-kubeconfig}}
  chart: {spec: {chart: podinfo, version: 6.5.0, sourceRef: {kind: HelmRepository, name: podinfo}}}
  values: {replicaCount: 2}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: podinfo, namespace: production}
spec: {interval: 1h, url: https://stefanprodan.github.io/podinfo}
`

const tenant = (replicas: string): string => `apiVersion: v1
kind: Namespace
metadata: {name: podinfo}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: podinfo}
data: {cluster: "\${CLUSTER_NAME}", replicas: "${replicas}"}
`

const files = (replicas: string): Record<string, string> => ({
  'hub/flux-system/gotk-sync.yaml': gotk,
  'hub/production.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: production}\n---\n${spoke('production', 'tenants', './deploy/tenants')}`,
  'hub/staging.yaml': `apiVersion: v1\nkind: Namespace\nmetadata: {name: staging}\n---\n${spoke('staging', 'tenants', './deploy/tenants')}`,
  'hub/releases.yaml': release,
  'deploy/tenants/podinfo.yaml': tenant(replicas),
})

describe('remote clusters (spec.kubeConfig)', () => {
  it('makes each distinct kubeConfig a cluster of its own, named by the Secret\'s namespace and name, with no duplicates across spokes', async () => {
    const r = await renderFleet(MemoryTree.fromRecord(files('1')), { revision: 'abc' })
    expect(r.clusters.map((c) => [c.name, c.path, c.remote ? `${c.remote.hub} ${c.remote.kubeConfig.kind}/${c.remote.kubeConfig.namespace}/${c.remote.kubeConfig.name}` : 'entry'])).toEqual([
      ['hub', 'hub', 'entry'],
      ['production/cluster-kubeconfig', 'hub', 'hub Secret/production/cluster-kubeconfig'],
      ['staging/cluster-kubeconfig', 'hub', 'hub Secret/staging/cluster-kubeconfig'],
    ])
    for (const c of r.clusters) expect(c.diagnostics.filter((d) => d.severity === 'error' || d.code === 'render/duplicate-object')).toEqual([])
    const [hub, production, staging] = r.clusters
    // The Flux objects live in the hub; what they apply lands in the spoke.
    expect(hub!.objects.map((o) => `${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`)).toContain('Kustomization/production/tenants')
    expect(hub!.objects.map((o) => o.object.metadata.name)).not.toContain('settings')
    expect(production!.owners.map((o) => `${o.ref.kind}/${o.ref.namespace}/${o.ref.name} <- ${o.parent?.name}`)).toEqual(['Kustomization/production/tenants <- flux-system', 'HelmRelease/production/podinfo <- flux-system'])
    expect(production!.objects.find((o) => o.object.metadata.name === 'settings')!.object['data']).toEqual({ cluster: 'production', replicas: '1' })
    expect(staging!.objects.find((o) => o.object.metadata.name === 'settings')!.object['data']).toEqual({ cluster: 'staging', replicas: '1' })
    // A HelmRelease with a kubeConfig reads its chart source where it lives (the hub) and renders into the spoke.
    expect(production!.owners.find((o) => o.ref.kind === 'HelmRelease')).toMatchObject({ status: 'values-only', helm: { chart: 'podinfo', version: '6.5.0' } })
  })

  it('takes the names the settings give, and plans a change to a shared file on every spoke that applies it', async () => {
    const clusterNames = new Map([['production/cluster-kubeconfig', 'production'], ['staging/cluster-kubeconfig', 'staging']])
    const base = await renderFleet(MemoryTree.fromRecord(files('1')), { revision: 'base', clusterNames })
    const head = await renderFleet(MemoryTree.fromRecord(files('2')), { revision: 'head', clusterNames })
    const plan = planChange(base, head)
    const changed = plan.clusters.flatMap((c) => c.changes.map((ch) => `${c.name} ${ch.action} ${ch.id.kind} ${ch.id.namespace}/${ch.id.name}`))
    expect(changed).toEqual(['production changed ConfigMap podinfo/settings', 'staging changed ConfigMap podinfo/settings'])
    expect(plan.clusters.map((c) => [c.name, c.path, c.remote?.kubeConfig.namespace])).toEqual([
      ['hub', 'hub', undefined],
      ['production', 'hub', 'production'],
      ['staging', 'hub', 'staging'],
    ])
  })

  it('prunes what a removed spoke Kustomization applied, following its owner into the hub', async () => {
    const base = await renderFleet(MemoryTree.fromRecord(files('1')), { revision: 'base' })
    const without = files('1')
    without['hub/staging.yaml'] = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: staging}\n'
    const head = await renderFleet(MemoryTree.fromRecord(without), { revision: 'head' })
    const plan = planChange(base, head)
    const staging = plan.clusters.find((c) => c.name === 'staging/cluster-kubeconfig')!
    expect(staging.changes.map((ch) => [ch.action, ch.id.kind, ch.prune])).toEqual([
      ['removed', 'ConfigMap', 'delete'],
      ['removed', 'Namespace', 'delete'],
    ])
    expect(staging.changes[0]!.pruneReason).toContain('Kustomization/staging/tenants is removed with prune: true')
    expect(staging.diagnostics.filter((d) => d.code === 'diff/cluster-removed')).toEqual([])
  })
})

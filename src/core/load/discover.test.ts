import { MemoryTree } from '../tree/memory-tree.js'
import { discoverClusters, rootOf } from './discover.js'
import { goDuration, instanceSync } from './flux-instance.js'

const gitRepo = (name: string, url: string, ns = 'flux-system'): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {interval: 1m, url: ${url}, ref: {branch: main}}\n`
const ks = (name: string, path: string, source = 'flux-system', ns = 'flux-system', kind = 'GitRepository'): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {interval: 10m, path: ${path}, prune: true, sourceRef: {kind: ${kind}, name: ${source}}}\n`
const instance = (path: string, extra = ''): string => `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution: {version: 2.x, registry: ghcr.io/fluxcd}
  sync:
    kind: GitRepository
    url: https://github.com/acme/renamed-fleet.git
    ref: refs/heads/main
    path: ${path}
${extra}`
const rset = (name: string): string =>
  `apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  resources:\n    - {apiVersion: v1, kind: Namespace, metadata: {name: ${name}}}\n`
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {a: "1"}\n`

const found = (files: Record<string, string>, repoUrl?: string): { name: string; path: string; from?: string }[] =>
  discoverClusters(MemoryTree.fromRecord(files), repoUrl ? { repoUrl } : {}).entries.map((e) => ({ name: e.name, path: e.path, ...(e.root ? { from: e.root.from } : {}) }))

describe('cluster discovery without --path', () => {
  it('finds flux bootstrap sync files outside clusters/, with the root and source they write', () => {
    const files = {
      'fleet/prod/flux-system/gotk-sync.yaml': `${gitRepo('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', './fleet/prod')}`,
      'fleet/prod/apps.yaml': ks('apps', './apps'),
      'apps/cm.yaml': cm('app'),
    }
    expect(found(files)).toEqual([{ name: 'prod', path: 'fleet/prod', from: 'bootstrap' }])
    const entry = discoverClusters(MemoryTree.fromRecord(files)).entries[0]!
    expect(entry.root?.kustomization).toMatchObject({ file: 'fleet/prod/flux-system/gotk-sync.yaml', line: 6 })
    expect(entry.root?.source).toMatchObject({ file: 'fleet/prod/flux-system/gotk-sync.yaml', line: 1 })
  })

  it('takes a root bootstrapped under another name (kubectl apply -k) when its source is this repository', () => {
    const files = {
      'kubernetes/flux/config/cluster.yaml': `${gitRepo('home-kubernetes', 'https://github.com/me/home.git')}---\n${ks('cluster', './kubernetes/flux', 'home-kubernetes')}`,
      'kubernetes/flux/apps.yaml': ks('apps', './kubernetes/apps', 'home-kubernetes'),
      'kubernetes/apps/cm.yaml': cm('x'),
    }
    expect(found(files, 'git@github.com:me/home.git')).toEqual([{ name: 'flux', path: 'kubernetes/flux', from: 'kustomization' }])
    // The root's own source declared in the folder it applies is this repository even under another URL (a fork, a mirror).
    expect(found(files, 'https://github.com/someone-else/fork')).toEqual([{ name: 'flux', path: 'kubernetes/flux', from: 'kustomization' }])
  })

  it('finds a FluxInstance sync path, even when its URL is not the remote, and a folder of FluxInstance and ResourceSets only', () => {
    const files = {
      'clusters/staging/flux-system/flux-instance.yaml': instance('clusters/staging'),
      'clusters/staging/tenants.yaml': rset('tenants'),
      'clusters/edge/flux-instance.yaml': instance('clusters/edge').replace('sync:', 'notSync:'),
      'clusters/edge/tenants.yaml': rset('edge'),
    }
    expect(found(files, 'https://github.com/acme/fleet')).toEqual([
      { name: 'edge', path: 'clusters/edge' },
      { name: 'staging', path: 'clusters/staging', from: 'flux-instance' },
    ])
  })

  it('finds a FluxInstance inside the flux-instance chart values of a HelmRelease (home-lab layout)', () => {
    const hr = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: flux-instance}
spec:
  targetNamespace: flux-system
  chartRef: {kind: OCIRepository, name: flux-instance}
  values:
    instance:
      sync: {kind: GitRepository, url: "https://github.com/me/home-ops", ref: refs/heads/main, path: kubernetes/flux/cluster, interval: 1h}
`
    const files = {
      'kubernetes/apps/flux-system/flux-instance/app/helmrelease.yaml': hr,
      'kubernetes/apps/flux-system/flux-instance/ks.yaml': ks('flux-instance', './kubernetes/apps/flux-system/flux-instance/app'),
      'kubernetes/flux/cluster/ks.yaml': ks('cluster-apps', './kubernetes/apps'),
    }
    expect(found(files)).toEqual([{ name: 'cluster', path: 'kubernetes/flux/cluster', from: 'flux-instance' }])
    const inst = discoverClusters(MemoryTree.fromRecord(files)).entries[0]!.root!.instance!
    expect(inst.via).toBe('helm-values')
    expect(inst.object.metadata).toEqual({ name: 'flux', namespace: 'flux-system' })
    expect(instanceSync(inst.object)).toMatchObject({ kind: 'GitRepository', ref: 'refs/heads/main', name: 'flux-system', interval: '1h0m0s' })
  })

  it('finds a FluxInstance whose sync path a kustomize patch sets, per cluster overlay', () => {
    const files = {
      'infrastructure/flux/instance.yaml': instance('clusters/base'),
      'infrastructure/flux/kustomization.yaml': 'resources: [instance.yaml]\n',
      'clusters/eu/kustomization.yaml': `resources: [../../infrastructure/flux]
patches:
  - target: {kind: FluxInstance, name: flux}
    patch: |
      - op: replace
        path: /spec/sync/path
        value: clusters/eu
`,
      'clusters/us/kustomization.yaml': 'resources: [../../infrastructure/flux]\npatches:\n  - path: sync-patch.yaml\n',
      'clusters/us/sync-patch.yaml': 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata: {name: flux}\nspec:\n  sync: {path: clusters/us}\n',
    }
    const d = discoverClusters(MemoryTree.fromRecord(files))
    expect(d.entries.map((e) => [e.name, e.root?.from, e.root?.instance?.via])).toEqual([
      ['eu', 'flux-instance', 'patch'],
      ['us', 'flux-instance', 'patch'],
    ])
    // The patch keeps the base instance's source: only the path changes.
    expect(instanceSync(d.entries[1]!.root!.instance!.object)).toMatchObject({ url: 'https://github.com/acme/renamed-fleet.git', path: 'clusters/us' })
    expect(d.candidates).toContainEqual(expect.objectContaining({ path: 'clusters/base', accepted: false, reason: expect.stringContaining('not a folder of this repository') }))
  })

  it('finds nested clusters/ folders (kubernetes/clusters/<name>)', () => {
    expect(
      found({
        'kubernetes/clusters/main/apps.yaml': ks('apps', './kubernetes/apps'),
        'kubernetes/clusters/lab/flux-system/gotk-components.yaml': '# placeholder\n',
        'kubernetes/clusters/lab/infra.yaml': ks('infra', './kubernetes/infra'),
      }),
    ).toEqual([
      { name: 'lab', path: 'kubernetes/clusters/lab' },
      { name: 'main', path: 'kubernetes/clusters/main' },
    ])
  })

  it('does not take a hub\'s overlay folders, or a folder of patches only, for clusters, and says why', () => {
    const spoke = (env: string): string =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: ${env}}\nspec:\n  interval: 1h\n  prune: true\n  path: ./clusters/${env}/apps\n  sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}\n  kubeConfig: {secretRef: {name: cluster-kubeconfig}}\n`
    const files = {
      'hub/flux-system/gotk-sync.yaml': '# made by flux bootstrap\n',
      'hub/production.yaml': spoke('production'),
      'hub/staging.yaml': spoke('staging'),
      'deploy/apps/podinfo.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\nspec: {interval: 1h, chart: {spec: {chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo}}}}\n',
      'clusters/production/apps/kustomization.yaml': 'resources: [../../../deploy/apps]\npatches:\n  - path: podinfo-values.yaml\n    target: {kind: HelmRelease, name: podinfo}\n',
      'clusters/production/apps/podinfo-values.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\nspec: {values: {replicas: 2}}\n',
      'clusters/staging/apps/kustomization.yaml': 'resources: [../../../deploy/apps]\npatches:\n  - path: podinfo-values.yaml\n',
      'clusters/staging/apps/podinfo-values.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\nspec: {values: {replicas: 1}}\n',
      'clusters/lab/kustomization.yaml': 'resources: [../../deploy/apps]\npatches:\n  - path: values.yaml\n',
      'clusters/lab/values.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo}\nspec: {values: {replicas: 0}}\n',
    }
    const d = discoverClusters(MemoryTree.fromRecord(files))
    expect(d.entries.map((e) => e.path)).toEqual(['hub'])
    const why = Object.fromEntries(d.candidates.filter((c) => !c.accepted).map((c) => [c.path, c.reason]))
    expect(why['clusters/production']).toMatch(/^applied by Kustomization production\/apps \(hub\/production\.yaml:1\)/)
    expect(why['clusters/staging']).toMatch(/^applied by Kustomization staging\/apps/)
    expect(why['clusters/lab']).toBe('holds no Flux object (only kustomize overlays or patches)')
  })

  it('does not take a Kustomization of the repository root that syncs another source for a root', () => {
    const files = {
      'infrastructure/kyverno/sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: kyverno, namespace: flux-system}\nspec: {interval: 1h, url: oci://ghcr.io/kyverno/manifests/kyverno}\n---\n${ks('kyverno', './', 'kyverno', 'flux-system', 'OCIRepository')}`,
      'clusters/prod/infra.yaml': ks('infra', './infrastructure'),
    }
    expect(found(files)).toEqual([{ name: 'prod', path: 'clusters/prod' }])
  })

  it('does not take a Kustomization that re-applies a folder its parent applies for a root', () => {
    const files = {
      'clusters/staging/apps.yaml': ks('apps', './apps/staging'),
      'apps/staging/loop.yaml': ks('loop', './apps/staging'),
      'apps/staging/cm.yaml': cm('app'),
    }
    const d = discoverClusters(MemoryTree.fromRecord(files))
    expect(d.entries.map((e) => e.path)).toEqual(['clusters/staging'])
    expect(d.candidates).toContainEqual(expect.objectContaining({ path: 'apps/staging', accepted: false, reason: expect.stringContaining('Kustomization flux-system/apps (clusters/staging/apps.yaml:1) applies that folder too') }))
  })

  it('rejects a self-applying Kustomization whose Git source, declared elsewhere, is another repository', () => {
    const files = {
      'tenants/sources.yaml': gitRepo('team', 'https://github.com/acme/team-apps', 'team'),
      'tenants/team/sync.yaml': ks('team', './tenants/team', 'team', 'team'),
      'clusters/prod/tenants.yaml': ks('tenants', './tenants'),
    }
    const d = discoverClusters(MemoryTree.fromRecord(files), { repoUrl: 'https://github.com/acme/fleet' })
    expect(d.entries.map((e) => e.path)).toEqual(['clusters/prod'])
    expect(d.candidates).toContainEqual(expect.objectContaining({ path: 'tenants/team', accepted: false, reason: expect.stringContaining('points at https://github.com/acme/team-apps') }))
  })
})

describe('cluster discovery reads what Flux reads', () => {
  it('finds a root whose apiVersion is spelled with a YAML escape', () => {
    const files = {
      'clusters/prod/flux-system/gotk-source.yaml': gitRepo('flux-system', 'https://github.com/acme/fleet'),
      'clusters/prod/flux-system/gotk-sync.yaml': ks('flux-system', './clusters/prod').replace('kustomize.toolkit.fluxcd.io/v1', '"kustomize.toolkit.fluxcd\\x2eio/v1"'),
    }
    const [entry] = discoverClusters(MemoryTree.fromRecord(files)).entries
    expect(entry).toMatchObject({ path: 'clusters/prod', root: { from: 'bootstrap', kustomization: { file: 'clusters/prod/flux-system/gotk-sync.yaml', object: { apiVersion: 'kustomize.toolkit.fluxcd.io/v1' } } } })
  })

  it('leaves out patch files a kustomization names through an escaped key', () => {
    const files = {
      'clusters/edge/kustomization.yaml': '"\\x70atches": [{path: ks-edit.yaml}]\n',
      'clusters/edge/ks-edit.yaml': ks('apps', './apps'),
    }
    const d = discoverClusters(MemoryTree.fromRecord(files))
    expect(d.entries).toEqual([])
    expect(d.candidates).toEqual([expect.objectContaining({ path: 'clusters/edge', accepted: false })])
  })

  it('scans a tree that shares bytes with an earlier one as it scans fresh bytes (the scan of a file is kept by its bytes)', () => {
    const sync = `${gitRepo('flux-system', 'https://github.com/acme/fleet')}---\n${ks('flux-system', './clusters/prod')}`
    const before = MemoryTree.fromRecord({ 'clusters/prod/flux-system/gotk-sync.yaml': sync })
    const bytes = before.readFile('clusters/prod/flux-system/gotk-sync.yaml')!
    const first = discoverClusters(before)
    // The same bytes again, and at a second path, where they make a second Kustomization of clusters/prod.
    const after = new MemoryTree()
    after.addFile('clusters/prod/flux-system/gotk-sync.yaml', bytes)
    after.addFile('clusters/prod/apps/cm.yaml', cm('x'))
    const again = discoverClusters(after)
    expect(again).toEqual(discoverClusters(MemoryTree.fromRecord({ 'clusters/prod/flux-system/gotk-sync.yaml': sync, 'clusters/prod/apps/cm.yaml': cm('x') })))
    expect(again.entries[0]!.root!.kustomization!.object).toEqual(first.entries[0]!.root!.kustomization!.object)
    expect(again.entries[0]!.root!.kustomization!.object).not.toBe(first.entries[0]!.root!.kustomization!.object)
    const moved = new MemoryTree()
    moved.addFile('clusters/prod/flux-system/gotk-sync.yaml', bytes)
    moved.addFile('clusters/stage/flux-system/gotk-sync.yaml', bytes)
    expect(discoverClusters(moved)).toEqual(discoverClusters(MemoryTree.fromRecord({ 'clusters/prod/flux-system/gotk-sync.yaml': sync, 'clusters/stage/flux-system/gotk-sync.yaml': sync })))
  })
})

describe('the root of an entry given by path', () => {
  it('is the Kustomization of the entry folder whose path is that folder, whatever its name, with its source', () => {
    const tree = MemoryTree.fromRecord({
      'clusters/c/flux-system/gotk-sync.yaml': `${gitRepo('fleet', 'https://github.com/acme/fleet')}---\n${ks('cluster', './clusters/c', 'fleet')}`,
      'clusters/c/apps.yaml': ks('apps', './clusters/c/apps', 'fleet'),
    })
    const root = rootOf(tree, { name: 'c', path: 'clusters/c' })
    expect(root).toMatchObject({ from: 'bootstrap', kustomization: { object: { metadata: { name: 'cluster' } } }, source: { object: { metadata: { name: 'fleet' } } } })
  })

  it('is undefined when nothing in Git defines it', () => {
    expect(rootOf(MemoryTree.fromRecord({ 'clusters/c/apps.yaml': ks('apps', './apps') }), { name: 'c', path: 'clusters/c' })).toBeUndefined()
  })
})

describe('goDuration', () => {
  it.each([
    ['1m', '1m0s'],
    ['10m', '10m0s'],
    ['1h', '1h0m0s'],
    ['90s', '1m30s'],
    ['1h30m', '1h30m0s'],
  ])('%s is printed %s, as time.Duration prints it', (input, out) => {
    expect(goDuration(input)).toBe(out)
  })
})

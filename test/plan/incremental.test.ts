/**
 * Incremental planning changes nothing: random edits of generated fleets are planned both
 * ways, the head rendered from scratch and the head rendered reusing the base's unit renders,
 * and the plans and renders (provenance included) must be identical, byte for byte. Helm
 * renders the fleet's local chart for real.
 */
import { jest } from '@jest/globals'
import { resolve } from 'node:path'
import { planChange } from '../../src/core/diff/plan-change.js'
import type { ClusterValues } from '../../src/core/load/cluster-values.js'
import type { FleetRender } from '../../src/core/model/render-result.js'
import { VolatileRecords } from '../../src/core/render/flux/volatile-records.js'
import { ClusterMemo } from '../../src/core/render/cluster-memo.js'
import { UnitMemo } from '../../src/core/render/flux/unit-memo.js'
import { renderFleet, type RenderOptions, type RenderPorts } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { planTrees } from '../../src/flows/plan.js'
import type { RenderCache } from '../../src/ports/render-cache.js'
import { createHash } from 'node:crypto'
import { describeWith } from '../support/components.js'
import { FLEET_REPO_URL, generateFleet } from '../support/fleet-generator.js'
import { SerializingCache } from '../support/serializing-cache.js'

type Files = Record<string, string>
type Rng = () => number

/** mulberry32: a small seeded generator, so a failing case can be replayed by its seed. */
function rng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
const paths = (f: Files, re: RegExp): string[] => Object.keys(f).filter((p) => re.test(p))
const replaceIn = (f: Files, re: RegExp, from: RegExp, to: (r: Rng) => string, r: Rng): string => {
  const p = pick(r, paths(f, re))
  f[p] = f[p]!.replace(from, () => to(r))
  return p
}

/** Edits a pull request could make, each named for the failure message. */
const EDITS: [string, (f: Files, r: Rng) => string][] = [
  ['replicas in one overlay', (f, r) => replaceIn(f, /overlays\/c\d+\/replicas\.yaml$/, /replicas: \d+/, (x) => `replicas: ${2 + Math.floor(x() * 9)}`, r)],
  ['a shared base', (f, r) => replaceIn(f, /^platform\/bases\/\w+\/deployment\.yaml$/, /:1\.0\.0/, (x) => `:1.${1 + Math.floor(x() * 5)}.0`, r)],
  ['a cluster variable behind substituteFrom', (f, r) => replaceIn(f, /cluster-vars\.yaml$/, /region: .*/, (x) => `region: moved-${Math.floor(x() * 3)}`, r)],
  ['a parent patch reaching every child', (f, r) => replaceIn(f, /^clusters\/c\d+\/tenants\.yaml$/, /value: 5m/, () => 'value: 7m', r)],
  ['a new file in a folder listed by a generated kustomization', (f, r) => {
    const c = pick(r, paths(f, /^clusters\/c\d+\/cluster-vars\.yaml$/)).split('/')[1]
    const p = `clusters/${c}/extra-${Math.floor(r() * 1000)}.yaml`
    f[p] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: flux-system\ndata:\n  a: "1"\n`
    return p
  }],
  ['a new sub-folder in a generated kustomization', (f, r) => {
    const c = pick(r, paths(f, /^clusters\/c\d+\/cluster-vars\.yaml$/)).split('/')[1]
    const p = `clusters/${c}/more/ns.yaml`
    f[p] = `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: more-${Math.floor(r() * 100)}\n`
    return p
  }],
  ['a .sourceignore', (f, r) => {
    f['.sourceignore'] = pick(r, ['tenants/team1/\n', '*.properties\n', 'platform/components/disruption-budget/\n', 'replicas.yaml\n', '# nothing\n'])
    return '.sourceignore'
  }],
  ['a deleted file', (f, r) => {
    const p = pick(r, Object.keys(f))
    delete f[p]
    return p
  }],
  ['a chart template', (f) => {
    f['charts/webapp/templates/service.yaml'] = f['charts/webapp/templates/service.yaml']!.replace('port: 80', 'port: 8081')
    return 'charts/webapp/templates/service.yaml'
  }],
  ['a values file behind valuesFrom', (f, r) => replaceIn(f, /overlays\/c\d+\/values\.yaml$/, /memory: 64Mi/, (x) => `memory: ${64 + Math.floor(x() * 64)}Mi`, r)],
  ['a generator file', (f, r) => replaceIn(f, /config\/app\.properties$/, /pool\.size=\d+/, (x) => `pool.size=${Math.floor(x() * 50)}`, r)],
  ['a Kustomization pointed at another app', (f, r) => {
    const p = pick(r, paths(f, /^fleet\/c\d+\/tenants\/team\d+\.yaml$/))
    f[p] = f[p]!.replace(/overlays\/(c\d+)/, (_, c: string) => `overlays/${c === 'c0' ? 'c1' : 'c0'}`)
    return p
  }],
  ['a CustomResourceDefinition', (f) => {
    f['infrastructure/base/servicemonitor-crd.yaml'] = f['infrastructure/base/servicemonitor-crd.yaml']!.replace('interval:\n                      type: string', 'interval:\n                      type: integer')
    return 'infrastructure/base/servicemonitor-crd.yaml'
  }],
  ['a secretGenerator literal', (f, r) => replaceIn(f, /overlays\/c\d+\/kustomization\.yaml$/, /token=[\w-]+|REPLICA_HINT=\d+/, (x) => (x() < 0.5 ? `token=t${Math.floor(x() * 99)}` : `REPLICA_HINT=${Math.floor(x() * 9)}`), r)],
  ['variables from a Secret instead', (f, r) => {
    const p = pick(r, paths(f, /cluster-vars\.yaml$/))
    f[p] = f[p]!.replace('kind: ConfigMap', 'kind: Secret\ntype: Opaque').replace('data:', 'stringData:')
    const c = p.split('/')[1]
    f[`clusters/${c}/tenants.yaml`] = f[`clusters/${c}/tenants.yaml`]!.replace('- kind: ConfigMap', '- kind: Secret')
    return p
  }],
  ['a component patch', (f) => {
    f['platform/components/monitoring/kustomization.yaml'] = f['platform/components/monitoring/kustomization.yaml']!.replace('"9090"', '"9191"')
    return 'platform/components/monitoring/kustomization.yaml'
  }],
  ['a resource dropped from a shared base', (f, r) => replaceIn(f, /^platform\/bases\/\w+\/kustomization\.yaml$/, /- hpa\.yaml\n/, () => '', r)],
  ['a file that no longer parses', (f, r) => replaceIn(f, /overlays\/c\d+\/replicas\.yaml$/, /spec:/, () => 'spec: [', r)],
  ['a suspended Kustomization', (f, r) => replaceIn(f, /^fleet\/c\d+\/tenants\/team\d+\.yaml$/, /prune: true/, () => 'prune: true\n  suspend: true', r)],
  ['a new CRD-backed object', (f, r) => {
    const p = pick(r, paths(f, /overlays\/c\d+\/kustomization\.yaml$/).filter((k) => f[k]!.includes('components:')))
    f[p] = f[p]!.replace('resources:\n', 'resources:\n- monitor.yaml\n')
    f[p.replace('kustomization.yaml', 'monitor.yaml')] = 'apiVersion: monitoring.example.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: extra\nspec:\n  endpoints:\n  - port: http\n    interval: 15\n'
    return p
  }],
  // Inputs of the current walker: remote clusters, sources left to the cluster, SOPS files.
  ['a Kustomization sent to a remote cluster', (f, r) => {
    const p = pick(r, paths(f, /^fleet\/c\d+\/tenants\/team\d+\.yaml$/))
    f[p] = f[p]!.replace('  prune: true\n', `  prune: true\n  kubeConfig:\n    secretRef:\n      name: spoke-${Math.floor(r() * 2)}\n`)
    return p
  }],
  ['cluster variables left to the cluster', (f, r) => {
    const p = pick(r, paths(f, /^clusters\/c\d+\/cluster-vars\.yaml$/))
    delete f[p]
    return p
  }],
  ['a SOPS-encrypted Secret in an overlay', (f, r) => {
    const p = pick(r, paths(f, /overlays\/c\d+\/kustomization\.yaml$/).filter((k) => f[k]!.includes('resources:\n')))
    f[p] = f[p]!.replace('resources:\n', 'resources:\n- creds.enc.yaml\n')
    f[p.replace('kustomization.yaml', 'creds.enc.yaml')] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  token: ENC[AES256_GCM,data:a${Math.floor(r() * 9)}c,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:def,type:str]\n  version: 3.8.1\n`
    return p
  }],
]

/** Values of the cluster variables as given for the cluster only (`clusterValues`). */
const supplied = (region: string): ClusterValues => [{ clusters: [], kind: 'ConfigMap', namespace: 'flux-system', name: 'cluster-vars', data: new Map([['cluster', 'cx'], ['region', region]]), keys: ['environment'], from: 'test' }]


/**
 * A tree named by its contents, as GitRepo names a commit's tree by its tree id: records read
 * back from the cache are then checked against a tree of the same name without asking it.
 */
const named = (f: Files): MemoryTree => MemoryTree.fromRecord(f).identify(`test tree ${createHash('sha256').update(JSON.stringify(Object.entries(f).sort())).digest('hex')}`)

const OPTS = (revision: string): RenderOptions => ({ revision, repoUrl: FLEET_REPO_URL, branch: 'main' })
const json = (f: FleetRender): string => JSON.stringify(f)
const plan = (base: FleetRender, head: FleetRender): string => JSON.stringify(planChange(base, head, { baseRef: 'base', headRef: 'head', durationMs: 0 }))

describeWith(['helm'], 'incremental planning', () => {
  jest.setTimeout(600_000)
  const helm = new HelmCli({ helmPath: resolve('.tools/helm4/helm') })
  afterAll(() => helm.dispose())
  const ports: RenderPorts = { helm }
  const files = generateFleet({ clusters: 2, apps: 12, helmEvery: 6, secretEvery: 4 })
  const baseTree = named(files)
  const shared = new SerializingCache()

  it('renders random edits of generated fleets both ways (incremental and full) and requires identical plans', async () => {
    const full = await renderFleet(baseTree, OPTS('base'), ports)
    let reused = 0
    let fromCache = 0
    // A warm plan worker's: records of units that hold a Secret kept in memory from plan to plan.
    const volatile = new VolatileRecords()
    const warmStore = new SerializingCache()
    const warmClusters = new ClusterMemo()
    let wholeClusters = 0
    let renderedCold = 0
    let renderedWarm = 0
    for (let seed = 1; seed <= 24; seed++) {
      const r = rng(seed)
      const edited = { ...files }
      const made = Array.from({ length: 1 + Math.floor(r() * 3) }, () => {
        const [name, edit] = pick(r, EDITS)
        return `${name} (${edit(edited, r)})`
      })
      const headTree = named(edited)
      const headFull = await renderFleet(headTree, OPTS('head'), ports)

      const memo = new UnitMemo()
      const base1 = await renderFleet(baseTree, OPTS('base'), { ...ports, units: memo })
      const head1 = await renderFleet(headTree, OPTS('head'), { ...ports, units: memo })
      // Through a RenderCache filled by the earlier seeds, as a later run reads it back: its
      // trees are read anew (the repository scan too comes from the cache, by the tree's name).
      // A plan's own ClusterMemo: the head walks only the clusters the edit reaches.
      const clusters = new ClusterMemo()
      const cached = new UnitMemo({ store: shared })
      const base2 = await renderFleet(named(files), OPTS('base'), { ...ports, units: cached, clusters })
      const head2 = await renderFleet(headTree, OPTS('head'), { ...ports, units: cached, clusters })
      wholeClusters += cached.stats.wholeClusters ?? 0
      reused += memo.stats.reused
      fromCache += cached.stats.fromCache
      const warm = new UnitMemo({ store: warmStore, volatile })
      const base3 = await renderFleet(named(files), OPTS('base'), { ...ports, units: warm, clusters: warmClusters })
      const head3 = await renderFleet(headTree, OPTS('head'), { ...ports, units: warm, clusters: warmClusters })
      volatile.endRun()
      if (seed > 1) {
        renderedCold += cached.stats.rendered
        renderedWarm += warm.stats.rendered
      }

      const why = `seed ${seed}: ${made.join(', ')}`
      expect({ why, base: json(base1) }).toEqual({ why, base: json(full) })
      expect({ why, head: json(head1) }).toEqual({ why, head: json(headFull) })
      expect({ why, plan: plan(base1, head1) }).toEqual({ why, plan: plan(full, headFull) })
      expect({ why, base: json(base2) }).toEqual({ why, base: json(full) })
      expect({ why, head: json(head2) }).toEqual({ why, head: json(headFull) })
      expect({ why, base: json(base3) }).toEqual({ why, base: json(full) })
      expect({ why, head: json(head3) }).toEqual({ why, head: json(headFull) })
    }
    // Units that hold a Secret were kept in memory, and reused: no render cache has them.
    expect(volatile.size).toBeGreaterThan(0)
    // Edits that leave a cluster alone let its head reuse the base's walk of it.
    expect(wholeClusters).toBeGreaterThan(5)
    expect(renderedWarm).toBeLessThan(renderedCold)
    // The comparison means something only if units were in fact reused, from memory and from
    // the cache (each seed after the first reads its base back from it).
    expect(reused).toBeGreaterThan(24 * 15)
    expect(fromCache).toBeGreaterThan(23 * 15)
  })

  it('keeps records of units that hold a Secret for the next plan, unless the change is untrusted', async () => {
    const edited = named({ ...files, 'tenants/team3/app3/overlays/c1/replicas.yaml': files['tenants/team3/app3/overlays/c1/replicas.yaml']!.replace(/replicas: \d+/, 'replicas: 7') })
    const planOnce = async (volatile: VolatileRecords, readOnly: boolean) => {
      const memo = new UnitMemo({ volatile, readOnly })
      await renderFleet(baseTree, OPTS('base'), { ...ports, units: memo })
      const head = await renderFleet(edited, OPTS('head'), { ...ports, units: memo })
      volatile.endRun()
      return { head, stats: memo.stats }
    }
    const untrusted = new VolatileRecords()
    await planOnce(untrusted, true)
    expect(untrusted.size).toBe(0)
    const kept = new VolatileRecords()
    const first = await planOnce(kept, false)
    expect(kept.size).toBeGreaterThan(0)
    const second = await planOnce(kept, false)
    // The second plan renders only what no record covers: the edited unit's head, once per side at most.
    expect(second.stats.rendered).toBeLessThan(first.stats.rendered)
    expect(json(second.head)).toBe(json(first.head))
    // Unused for eight runs, they go.
    for (let run = 0; run < 8; run++) kept.endRun()
    expect(kept.size).toBe(0)
  })

  it('re-renders what reads cluster-only values when they differ between the two renders', async () => {
    const files2: Files = { ...files }
    for (const p of paths(files2, /^clusters\/c\d+\/cluster-vars\.yaml$/)) delete files2[p]
    const tree = MemoryTree.fromRecord(files2)
    const edited = MemoryTree.fromRecord({ ...files2, 'tenants/team3/app3/overlays/c1/replicas.yaml': files2['tenants/team3/app3/overlays/c1/replicas.yaml']!.replace(/replicas: \d+/, 'replicas: 9') })
    for (const [a, b] of [[undefined, supplied('r1')], [supplied('r1'), supplied('r2')], [supplied('r1'), supplied('r1')], [supplied('r1'), undefined]] as const) {
      const opts = (rev: string, v: ClusterValues | undefined): RenderOptions => ({ ...OPTS(rev), ...(v ? { clusterValues: v } : {}) })
      const memo = new UnitMemo()
      const base = await renderFleet(tree, opts('base', a), { ...ports, units: memo })
      const head = await renderFleet(edited, opts('head', b), { ...ports, units: memo })
      expect(json(base)).toBe(json(await renderFleet(tree, opts('base', a), ports)))
      expect(json(head)).toBe(json(await renderFleet(edited, opts('head', b), ports)))
      expect(memo.stats.reused).toBeGreaterThan(0)
    }
  })

  it('an untrusted change reads the render cache and never writes to it', async () => {
    const edited = MemoryTree.fromRecord({ ...files, 'tenants/team3/app3/overlays/c1/replicas.yaml': files['tenants/team3/app3/overlays/c1/replicas.yaml']!.replace(/replicas: \d+/, 'replicas: 9') })
    const planWith = (trusted: boolean, renderCache: RenderCache) =>
      planTrees({
        origin: trusted ? { kind: 'local' } : { kind: 'local-untrusted' },
        from: { tree: baseTree, revision: 'a'.repeat(40), label: 'main' },
        to: { tree: edited, revision: 'b'.repeat(40), label: 'feature' },
        settings: baseTree,
        repoUrl: FLEET_REPO_URL,
        branch: 'main',
        offline: true,
        helm,
        renderCache,
      })
    const cache = new SerializingCache()
    const cold = await planWith(false, cache)
    expect(cache.map.size).toBe(0)
    expect(cold.units).toMatchObject({ stored: 0, fromCache: 0 })

    const trusted = await planWith(true, cache)
    expect(trusted.units!.stored).toBeGreaterThan(0)
    const filled = new Map(cache.map)
    const warm = await planWith(false, cache)
    expect(warm.units!.fromCache).toBeGreaterThan(0)
    expect(warm.units).toMatchObject({ stored: 0 })
    expect(cache.map).toEqual(filled)
    expect(JSON.stringify(warm.plan)).toBe(JSON.stringify(cold.plan))
    expect(warm.plan.clusters.flatMap((c) => c.changes.map((x) => `${x.action} ${x.id.kind}/${x.id.name}`))).toEqual(['changed Deployment/gateway-app3'])
  })

  it('re-renders exactly the units whose read-set a one-line change meets', async () => {
    const edited = { ...files, 'tenants/team3/app3/overlays/c1/replicas.yaml': files['tenants/team3/app3/overlays/c1/replicas.yaml']!.replace(/replicas: \d+/, 'replicas: 9') }
    const memo = new UnitMemo()
    await renderFleet(baseTree, OPTS('base'), { ...ports, units: memo })
    const before = { ...memo.stats }
    const head = await renderFleet(MemoryTree.fromRecord(edited), OPTS('head'), { ...ports, units: memo })

    expect(memo.stats.rendered - before.rendered).toBe(1)
    const owners = head.clusters.flatMap((c) => c.owners)
    expect(memo.stats.reused - before.reused).toBe(owners.length - 1)
    const deployment = head.clusters[1]!.objects.find((o) => o.object.kind === 'Deployment' && o.object.metadata.name === 'gateway-app3')
    expect(deployment?.object['spec']).toMatchObject({ replicas: 9 })
  })
})

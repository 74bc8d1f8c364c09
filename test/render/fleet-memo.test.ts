/**
 * Whole fleet renders kept between plans by tree name and options (FleetMemo): a tree rendered
 * before with the same options, helm and name is not walked again; anything else is, and a
 * render that asked a registry is never kept.
 */
import type { SuppliedValues } from '../../src/core/load/cluster-values.js'
import { FleetMemo } from '../../src/core/render/fleet-memo.js'
import { UnitMemo } from '../../src/core/render/flux/unit-memo.js'
import { renderFleets, type RenderOptions } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import type { HelmRunner } from '../../src/ports/helm.js'
import { unitsLine } from '../../src/report/timings.js'
import { configMap, fluxKs, gotkSync, helmRelease } from './fixtures.js'

const FILES: Record<string, string> = {
  'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
  'clusters/dev/apps.yaml': fluxKs('apps', './apps', '  postBuild:\n    substitute:\n      tier: gold\n'),
  'apps/kustomization.yaml': 'resources: [settings.yaml]\n',
  'apps/settings.yaml': configMap('settings', 'default', { tier: '${tier}' }),
}

const named = (files: Record<string, string>, id: string): MemoryTree => MemoryTree.fromRecord(files).identify(id)
const OPTS: RenderOptions = { revision: 'abc', repoUrl: 'https://github.com/example/fleet' }
const supplied = (a: string): SuppliedValues => ({ clusters: [], kind: 'ConfigMap', namespace: 'default', name: 'cluster-settings', data: new Map([['a', a]]), keys: [], from: 'values.yaml' })

/** Renders `tree` with a fresh UnitMemo and `fleets`; how many units that walked. */
async function render(fleets: FleetMemo, tree: MemoryTree, opts: RenderOptions = OPTS, helm?: HelmRunner) {
  const units = new UnitMemo()
  const [fleet] = await renderFleets([{ tree, opts }], { units, fleets, ...(helm ? { helm } : {}) })
  return { fleet: fleet!, walked: units.stats.rendered + units.stats.reused, stats: units.stats }
}

describe('FleetMemo', () => {
  it('gives back the render of a tree of the same name, options and helm, frozen, without walking it', async () => {
    const fleets = new FleetMemo()
    const first = await render(fleets, named(FILES, 'tree A'))
    expect(first.walked).toBeGreaterThan(0)
    expect(first.fleet.clusters[0]!.objects.filter((o) => o.object.kind === 'ConfigMap').map((o) => o.object['data'])).toEqual([{ tier: 'gold' }])
    const again = await render(fleets, named(FILES, 'tree A'))
    expect(again.walked).toBe(0)
    expect(unitsLine(again.stats)).toBe("units: 0 rendered, 0 reused (0 from the render cache), 0 stored, 0 not reusable; 1 tree's render reused whole")
    expect(again.fleet).toBe(first.fleet)
    expect(Object.isFrozen(again.fleet.clusters[0]!.objects)).toBe(true)
  })

  it('walks again a tree of another name, one without a name, and other options (Maps compared by their entries)', async () => {
    const fleets = new FleetMemo(10)
    await render(fleets, named(FILES, 'tree A'), { ...OPTS, sources: new Map([['GitRepository/flux-system/other', 'apps']]) })
    const cases: [MemoryTree, RenderOptions][] = [
      [named({ ...FILES, 'apps/settings.yaml': configMap('settings', 'default', { tier: 'silver' }) }, 'tree B'), OPTS],
      [MemoryTree.fromRecord(FILES), OPTS],
      [named(FILES, 'tree A'), { ...OPTS, sources: new Map([['GitRepository/flux-system/other', 'platform']]) }],
      [named(FILES, 'tree A'), { ...OPTS, strictSubstitution: false }],
      [named(FILES, 'tree A'), { ...OPTS, clusterValues: [supplied('1')] }],
      [named(FILES, 'tree A'), { ...OPTS, clusterValues: [supplied('2')] }],
    ]
    for (const [tree, opts] of cases) expect((await render(fleets, tree, opts)).walked).toBeGreaterThan(0)
    expect((await render(fleets, named(FILES, 'tree A'), { ...OPTS, sources: new Map([['GitRepository/flux-system/other', 'apps']]) })).walked).toBe(0)
  })

  it('keeps no render made with a helm that cannot name itself, or one that asked a registry', async () => {
    const release = helmRelease('web', 'default', '  chart:\n    spec:\n      chart: web\n      version: 1.0.0\n      sourceRef: {kind: HelmRepository, name: charts, namespace: default}\n')
    const repository = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: default\nspec:\n  url: https://charts.example.com\n'
    const files = { ...FILES, 'apps/kustomization.yaml': 'resources: [settings.yaml, repository.yaml, web.yaml]\n', 'apps/repository.yaml': repository, 'apps/web.yaml': release }
    const registry: HelmRunner = {
      cacheIdentity: 'helm double 1',
      fetchIndex: () => Promise.resolve({ ok: false, error: 'the registry is down' }),
      listTags: () => Promise.resolve({ ok: false, error: 'the registry is down' }),
      template: () => Promise.resolve({ ok: false, error: 'not reached' }),
    }
    const { cacheIdentity: _id, ...nameless } = registry
    for (const helm of [registry, nameless]) {
      const fleets = new FleetMemo()
      const opts = { ...OPTS, allowRemoteCharts: true }
      const first = await render(fleets, named(files, 'tree R'), opts, helm)
      expect(first.walked).toBeGreaterThan(0)
      expect((await render(fleets, named(files, 'tree R'), opts, helm)).walked).toBeGreaterThan(0)
      expect(fleets.size).toBe(0)
    }
    // The same tree without a registry's answer in it is kept.
    const fleets = new FleetMemo()
    await render(fleets, named(files, 'tree R'), OPTS, registry)
    expect((await render(fleets, named(files, 'tree R'), OPTS, registry)).walked).toBe(0)
  })

  it('keeps at most its size, the least recently used let go first', async () => {
    const fleets = new FleetMemo(2)
    for (const id of ['one', 'two']) await render(fleets, named(FILES, id))
    expect((await render(fleets, named(FILES, 'one'))).walked).toBe(0)
    await render(fleets, named(FILES, 'three'))
    expect(fleets.size).toBe(2)
    expect((await render(fleets, named(FILES, 'one'))).walked).toBe(0)
    expect((await render(fleets, named(FILES, 'two'))).walked).toBeGreaterThan(0)
  })
})

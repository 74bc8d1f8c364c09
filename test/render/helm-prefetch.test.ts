/**
 * HelmReleases of Git charts start rendering as soon as a Kustomization places them, while the
 * walk goes on (UnitMemo.prefetchHelmRelease). Their turn comes after every Kustomization and
 * replays what the early render read, so the render must be exactly the one a walk without
 * prefetching makes, even when something a release reads (a valuesFrom ConfigMap, a CRD for
 * `.Capabilities.APIVersions`) is placed after it started; helm runs once per release when
 * nothing changed. Real helm, counted through the HelmRunner port.
 */
import type { ClusterRender } from '../../src/core/model/render-result.js'
import { UnitMemo } from '../../src/core/render/flux/unit-memo.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import type { HelmRunner } from '../../src/ports/helm.js'
import { describeWith } from '../support/components.js'
import { configMap, fluxKs, gotkSync, helmRelease } from './fixtures.js'
import { chartFiles, fleet, HELM } from './support.js'

const gitChart = `  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}\n`

/** Kustomization `apps` places the releases; `late`, which depends on it, places what they read. */
function files(late: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {
    'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
    'clusters/dev/apps.yaml': fluxKs('apps', './apps'),
    'clusters/dev/late.yaml': fluxKs('late', './late', '  dependsOn: [{name: apps}]\n'),
    'apps/kustomization.yaml': 'resources: [web.yaml, api.yaml]\n',
    'apps/web.yaml': helmRelease('web', 'default', gitChart, '  valuesFrom:\n    - {kind: ConfigMap, name: web-values, optional: true}\n'),
    'apps/api.yaml': helmRelease('api', 'default', gitChart, '  values:\n    message: api\n'),
    'late/kustomization.yaml': `resources: [${Object.keys(late).join(', ')}]\n`,
  }
  for (const [name, text] of Object.entries(late)) out[`late/${name}`] = text
  for (const [p, t] of Object.entries(chartFiles('web', '0.4.0'))) out[`charts/web/${p}`] = t
  return out
}

const widgetCrd = 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n'

/** Everything a render shows, as text. */
const shown = (c: ClusterRender): string => JSON.stringify({ owners: c.owners, objects: c.objects, diagnostics: c.diagnostics })

describeWith(['helm'], 'HelmReleases rendered ahead of their turn', () => {
  let helm: HelmCli
  let templated: string[]
  let counting: HelmRunner

  beforeAll(() => {
    helm = new HelmCli({ helmPath: HELM })
    counting = {
      ...(helm.cacheIdentity ? { cacheIdentity: helm.cacheIdentity } : {}),
      fetchIndex: (url) => helm.fetchIndex(url),
      listTags: (ref, insecure) => helm.listTags(ref, insecure),
      template: (req) => {
        templated.push(req.releaseName)
        return helm.template(req)
      },
    }
  })
  beforeEach(() => (templated = []))
  afterAll(() => helm.dispose())

  /** The render with a UnitMemo (releases prefetched) and without one (each at its turn only). */
  async function both(tree: Record<string, string>): Promise<{ ahead: ClusterRender; plain: ClusterRender; memo: UnitMemo; aheadCalls: string[] }> {
    const memo = new UnitMemo()
    const ahead = (await renderFleet(fleet(tree), { revision: 'head' }, { helm: counting, units: memo })).clusters[0]!
    const aheadCalls = templated.sort()
    templated = []
    const plain = (await renderFleet(fleet(tree), { revision: 'head' }, { helm: counting })).clusters[0]!
    return { ahead, plain, memo, aheadCalls }
  }

  it('runs helm once per release when nothing it reads changes after it was placed', async () => {
    const { ahead, plain, memo, aheadCalls } = await both(files({ 'other.yaml': configMap('other', 'default', { a: '1' }) }))
    expect(shown(ahead)).toBe(shown(plain))
    expect(ahead.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(aheadCalls).toEqual(['api', 'web'])
    expect(memo.stats).toMatchObject({ rendered: 5, reused: 0 })
  })

  it('counts a release found again (the head of a pull request) once, as reused, and runs no helm for it', async () => {
    const tree = files({ 'other.yaml': configMap('other', 'default', { a: '1' }) })
    const memo = new UnitMemo()
    const first = (await renderFleet(fleet(tree), { revision: 'head' }, { helm: counting, units: memo })).clusters[0]!
    templated = []
    const again = (await renderFleet(fleet(tree), { revision: 'head' }, { helm: counting, units: memo })).clusters[0]!
    expect(shown(again)).toBe(shown(first))
    expect(templated).toEqual([])
    expect(memo.stats).toMatchObject({ rendered: 5, reused: 5 })
  })

  it('renders a release again when a valuesFrom ConfigMap is placed after it started, as a walk without prefetching does', async () => {
    const { ahead, plain, aheadCalls } = await both(files({ 'values.yaml': configMap('web-values', 'default', { 'values.yaml': 'message: from-late\n' }) }))
    expect(shown(ahead)).toBe(shown(plain))
    const web = ahead.objects.find((o) => o.owner.name === 'web' && o.object.kind === 'Deployment')!
    expect(JSON.stringify(web.object)).toContain('from-late')
    expect(aheadCalls).toEqual(['api', 'web', 'web'])
  })

  it('renders releases again when a CRD they could use is placed after they started', async () => {
    const { ahead, plain, aheadCalls } = await both(files({ 'crd.yaml': widgetCrd }))
    expect(shown(ahead)).toBe(shown(plain))
    expect(ahead.objects.filter((o) => o.object.kind === 'Widget').map((o) => o.object.metadata.name).sort()).toEqual(['api', 'web'])
    expect(aheadCalls).toEqual(['api', 'api', 'web', 'web'])
  })
})

describe('helm beside the walk', () => {
  /**
   * A runner whose renders finish only on a turn of the event loop, as a helm process's do:
   * a walk that never gives the loop a turn gets its results only when it has walked every
   * Kustomization. Events: `template`, `done` (a render finished) and `yield` (the walk gave a turn).
   */
  function eventLoopHelm(events: string[]): HelmRunner {
    return {
      fetchIndex: () => Promise.resolve({ ok: false, error: 'offline' }),
      listTags: () => Promise.resolve({ ok: false, error: 'offline' }),
      template: async (req) => {
        events.push(`template ${req.releaseName}`)
        await new Promise((resolve) => setImmediate(resolve))
        events.push(`done ${req.releaseName}`)
        return { ok: true, manifest: configMap(`${req.releaseName}-rendered`, req.namespace, { a: '1' }), crds: '', chartName: 'web', chartVersion: '0.4.0' }
      },
      yieldToRenders: () => {
        events.push('yield')
        return new Promise((resolve) => setImmediate(resolve))
      },
    }
  }

  /** `apps` places two releases; forty Kustomizations that depend on it are walked after it. */
  function tree(): Record<string, string> {
    const out = files({ 'other.yaml': configMap('other', 'default', { a: '1' }) })
    for (let i = 0; i < 40; i++) {
      out[`clusters/dev/after-${i}.yaml`] = fluxKs(`after-${i}`, `./after/${i}`, '  dependsOn: [{name: apps}]\n')
      out[`after/${i}/cm.yaml`] = configMap(`after-${i}`, 'default', { i: String(i) })
    }
    return out
  }

  it('finishes releases placed early while later Kustomizations are still walked, with the same render', async () => {
    const events: string[] = []
    const memo = new UnitMemo()
    const kustomization = memo.kustomization.bind(memo)
    memo.kustomization = (ks, ctx) => (events.push(`walk ${ks.metadata.name}`), kustomization(ks, ctx))
    const ahead = (await renderFleet(fleet(tree()), { revision: 'head' }, { helm: eventLoopHelm(events), units: memo })).clusters[0]!
    const plain = (await renderFleet(fleet(tree()), { revision: 'head' }, { helm: eventLoopHelm([]) })).clusters[0]!
    expect(shown(ahead)).toBe(shown(plain))
    expect(ahead.objects.map((o) => o.object.metadata.name)).toEqual(expect.arrayContaining(['api-rendered', 'web-rendered', 'after-39']))
    // Both renders ended while most Kustomizations were still to walk: helm ran beside the walk.
    const walkedAfter = (e: string): number => events.slice(events.indexOf(e)).filter((x) => x.startsWith('walk after-')).length
    expect(events.filter((e) => e.startsWith('template')).sort()).toEqual(['template api', 'template web'])
    expect(walkedAfter('done api')).toBeGreaterThan(30)
    expect(walkedAfter('done web')).toBeGreaterThan(30)
  })

  it('keeps no result beyond a release\'s turn in a memo for one render (retain: false), with the same render and one helm run per release', async () => {
    const events: string[] = []
    const memo = new UnitMemo({ retain: false })
    const repo = fleet(tree())
    const helm = eventLoopHelm(events)
    const once = (await renderFleet(repo, { revision: 'head' }, { helm, units: memo })).clusters[0]!
    const plain = (await renderFleet(fleet(tree()), { revision: 'head' }, { helm: eventLoopHelm([]) })).clusters[0]!
    expect(shown(once)).toBe(shown(plain))
    expect(events.filter((e) => e.startsWith('template')).sort()).toEqual(['template api', 'template web'])
    // Asked again, it renders again: nothing was kept.
    events.length = 0
    const again = (await renderFleet(repo, { revision: 'head' }, { helm, units: memo })).clusters[0]!
    expect(shown(again)).toBe(shown(plain))
    expect(events.filter((e) => e.startsWith('template')).sort()).toEqual(['template api', 'template web'])
    // Twice: 43 Kustomizations (flux-system, apps, late, after-0 to after-39) and 2 releases.
    expect(memo.stats).toMatchObject({ reused: 0, rendered: 2 * (43 + 2) })
  })

  it('gives the loop no turns when no release is rendering', async () => {
    const events: string[] = []
    const noReleases: Record<string, string> = { ...tree() }
    for (const k of Object.keys(noReleases)) if (k.startsWith('apps/') || k.startsWith('charts/')) delete noReleases[k]
    noReleases['apps/kustomization.yaml'] = 'resources: [cm.yaml]\n'
    noReleases['apps/cm.yaml'] = configMap('apps', 'default', { a: '1' })
    await renderFleet(fleet(noReleases), { revision: 'head' }, { helm: eventLoopHelm(events), units: new UnitMemo() })
    expect(events).toEqual([])
  })
})

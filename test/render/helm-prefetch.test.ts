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

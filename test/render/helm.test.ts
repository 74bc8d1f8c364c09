import { resolve } from 'node:path'
import { stringify } from 'yaml'
import { collectSecretValues, maskRenderedObject, Redactor } from '../../src/core/mask/index.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import type { ClusterRender } from '../../src/core/model/render-result.js'
import type { KubeObject } from '../../src/core/model/object.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { describeWith } from '../support/components.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { configMap, fluxKs, gotkSync, helmRelease } from './fixtures.js'
import { cleanup, fleet, HELM, indexRepo, packageCharts, pushChart, serveDir } from './support.js'

function objectsOf(c: ClusterRender, owner: string): KubeObject[] {
  return c.objects.filter((o) => `${o.owner.kind}/${o.owner.namespace}/${o.owner.name}` === owner).map((o) => o.object)
}

function find(objs: KubeObject[], kind: string, name: string): KubeObject | undefined {
  return objs.find((o) => o.kind === kind && o.metadata.name === name)
}

const chartBlock = (version: string, source: string): string => `  chart:
    spec:
      chart: web
      version: "${version}"
      sourceRef: {kind: ${source}, name: charts}
`

function httpFleet(url: string, values: { replicas: number; message: string }): Record<string, string> {
  return {
    'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
    'clusters/dev/apps.yaml': fluxKs('apps', './apps'),
    'apps/kustomization.yaml': 'resources: [namespace.yaml, repository.yaml, release.yaml, values.yaml]\n',
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n',
    'apps/repository.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: web\nspec:\n  url: ${url}\n`,
    'apps/values.yaml': configMap('web-values', 'web', { 'values.yaml': `message: ${values.message}\nreplicas: 5\n` }),
    'apps/release.yaml': helmRelease(
      'web',
      'web',
      chartBlock('>=1.0.0 <2.0.0', 'HelmRepository'),
      `  valuesFrom:\n    - {kind: ConfigMap, name: web-values}\n  values:\n    replicas: ${values.replicas}\n  postRenderers:\n    - kustomize:\n        images:\n          - {name: ghcr.io/example/web, newTag: "9.9"}\n`,
    ),
  }
}

describeWith(['helm'], 'HelmRelease rendering with the real helm', () => {
  let repoDir = ''
  let server: Awaited<ReturnType<typeof serveDir>>
  let helm: HelmCli

  beforeAll(async () => {
    repoDir = packageCharts([
      { name: 'web', version: '1.0.0' },
      { name: 'web', version: '1.1.0' },
      { name: 'web', version: '2.0.0' },
    ])
    server = await serveDir(repoDir)
    // Relative entry URLs, as many repositories publish them: resolved against the repository URL (H-17).
    indexRepo(repoDir)
    helm = new HelmCli({ helmPath: HELM })
  })

  afterAll(async () => {
    await server.stop()
    helm.dispose()
    cleanup(repoDir)
  })

  it('renders a chart from a Helm HTTP repository: version range, values merge, post-renderer, CRDs, origin labels', async () => {
    const r = await renderFleet(fleet(httpFleet(server.url, { replicas: 2, message: 'hello' })), { revision: 'head', allowRemoteCharts: true }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const owner = c.owners.find((o) => o.ref.kind === 'HelmRelease')!
    expect(owner).toMatchObject({ status: 'rendered', parent: { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, prune: true })
    expect(owner.helm).toMatchObject({ chart: 'web', version: '1.1.0', releaseName: 'web', namespace: 'web', values: { message: 'hello', replicas: 2 } })
    const objs = objectsOf(c, 'HelmRelease/web/web')
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['CustomResourceDefinition/widgets.example.com', 'Service/web', 'Deployment/web'])
    const dep = find(objs, 'Deployment', 'web')!
    expect(dep.metadata.namespace).toBe('web')
    expect(dep.metadata.labels).toMatchObject({ chart: 'web-1.1.0', 'helm.toolkit.fluxcd.io/name': 'web', 'helm.toolkit.fluxcd.io/namespace': 'web' })
    expect(stringify(dep)).toContain('image: ghcr.io/example/web:9.9')
    expect(stringify(dep)).toContain('value: hello')
    expect((dep['spec'] as { replicas: number }).replicas).toBe(2)
  })

  it('shows a values change as a change of the rendered Deployment, fetching the chart once', async () => {
    const before = await renderFleet(fleet(httpFleet(server.url, { replicas: 2, message: 'hello' })), { revision: 'a', allowRemoteCharts: true }, { helm })
    const after = await renderFleet(fleet(httpFleet(server.url, { replicas: 3, message: 'bye' })), { revision: 'b', allowRemoteCharts: true }, { helm })
    const d1 = find(objectsOf(before.clusters[0]!, 'HelmRelease/web/web'), 'Deployment', 'web')!
    const d2 = find(objectsOf(after.clusters[0]!, 'HelmRelease/web/web'), 'Deployment', 'web')!
    expect(stringify(d1)).not.toEqual(stringify(d2))
    expect(stringify(d2)).toContain('value: bye')
    expect(server.hits.get('/web-1.1.0.tgz')).toBe(1)
  })

  it('masks values that come from a Secret in the report values and in every shown copy of the objects', async () => {
    const files = httpFleet(server.url, { replicas: 2, message: 'hello' })
    files['apps/kustomization.yaml'] = 'resources: [namespace.yaml, repository.yaml, release.yaml, values.yaml, secret.yaml]\n'
    files['apps/secret.yaml'] = 'apiVersion: v1\nkind: Secret\nmetadata: {name: web-secret, namespace: web}\nstringData: {msg: top-secret-message}\n'
    files['apps/release.yaml'] = helmRelease('web', 'web', chartBlock('1.0.0', 'HelmRepository'), '  valuesFrom:\n    - {kind: Secret, name: web-secret, valuesKey: msg, targetPath: message}\n')
    const r = await renderFleet(fleet(files), { revision: 'h', allowRemoteCharts: true }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const owner = c.owners.find((o) => o.ref.kind === 'HelmRelease')!
    expect(JSON.stringify(owner.helm)).not.toContain('top-secret')
    const dep = c.objects.find((o) => o.owner.kind === 'HelmRelease' && o.object.kind === 'Deployment')!
    expect(stringify(dep.object)).toContain('value: top-secret-message')
    const shown = maskRenderedObject(dep, new Redactor(collectSecretValues([r])))
    expect(stringify(shown)).not.toContain('top-secret')
    expect(stringify(shown)).toMatch(/value: "?\*\*\*"?/)
  })

  it('builds file:// dependencies of a Git chart and honours install.crds Skip (H-6a, H-14)', async () => {
    const { chartFiles } = await import('./support.js')
    const files: Record<string, string> = {
      'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
      'clusters/dev/release.yaml': helmRelease(
        'dep',
        'flux-system',
        `  install: {crds: Skip}\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef: {kind: GitRepository, name: flux-system}\n`,
      ),
      'charts/common/Chart.yaml': 'apiVersion: v2\nname: common\nversion: 0.1.0\n',
      'charts/common/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-common\ndata: {from: subchart}\n',
    }
    for (const [p, t] of Object.entries(chartFiles('web', '0.4.0'))) files[`charts/web/${p}`] = t
    files['charts/web/Chart.yaml'] += 'dependencies:\n  - {name: common, version: 0.1.0, repository: "file://../common"}\n'
    const r = await renderFleet(fleet(files), { revision: 'head' }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const objs = objectsOf(c, 'HelmRelease/flux-system/dep')
    expect(find(objs, 'ConfigMap', 'dep-common')?.metadata.namespace).toBe('flux-system')
    expect(objs.filter((o) => o.kind === 'CustomResourceDefinition')).toEqual([])
  })

  it('renders the same objects with Helm 3 (helm-controller < 1.5) when selected', async () => {
    const helm3 = new HelmCli({ helmPath: resolve('.tools/helm3/helm') })
    try {
      const files = fleet(httpFleet(server.url, { replicas: 2, message: 'hello' }))
      const a = await renderFleet(files, { revision: 'h', allowRemoteCharts: true }, { helm })
      const b = await renderFleet(files, { revision: 'h', allowRemoteCharts: true }, { helm: helm3 })
      expect(b.clusters[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
      expect(objectsOf(b.clusters[0]!, 'HelmRelease/web/web')).toEqual(objectsOf(a.clusters[0]!, 'HelmRelease/web/web'))
    } finally {
      helm3.dispose()
    }
  })

  it('falls back to values and chart version when remote charts are not allowed', async () => {
    const r = await renderFleet(fleet(httpFleet(server.url, { replicas: 2, message: 'hello' })), { revision: 'head' }, { helm })
    const c = r.clusters[0]!
    const owner = c.owners.find((o) => o.ref.kind === 'HelmRelease')!
    expect(owner.status).toBe('values-only')
    expect(owner.helm).toMatchObject({ chart: 'web', version: '>=1.0.0 <2.0.0', values: { replicas: 2 } })
    expect(c.diagnostics.find((d) => d.code === 'helm/values-only')?.severity).toBe('warning')
    expect(objectsOf(c, 'HelmRelease/web/web')).toEqual([])
  })

  it('falls back with a warning when the repository cannot be reached', async () => {
    const r = await renderFleet(fleet(httpFleet('http://127.0.0.1:9', { replicas: 2, message: 'x' })), { revision: 'head', allowRemoteCharts: true }, { helm })
    const c = r.clusters[0]!
    expect(c.owners.find((o) => o.ref.kind === 'HelmRelease')!.status).toBe('values-only')
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  })

  it('renders a chart folder from the Git source with valuesFiles relative to the artifact root (H-4, H-6a)', async () => {
    const files: Record<string, string> = {
      'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
      'clusters/dev/release.yaml': helmRelease(
        'local',
        'flux-system',
        `  targetNamespace: team\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef: {kind: GitRepository, name: flux-system}\n      valuesFiles: [./charts/web/values.yaml, ./env/prod-values.yaml]\n`,
      ),
      'env/prod-values.yaml': 'message: prod\n',
      'clusters/dev/crd.yaml': (await import('./support.js')).chartFiles('web', '0.3.0')['crds/widgets.yaml']!,
    }
    for (const [p, t] of Object.entries((await import('./support.js')).chartFiles('web', '0.3.0'))) files[`charts/web/${p}`] = t
    const r = await renderFleet(fleet(files), { revision: 'head' }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const owner = c.owners.find((o) => o.ref.kind === 'HelmRelease')!
    expect(owner.helm).toMatchObject({ releaseName: 'team-local', namespace: 'team', version: '0.3.0' })
    const dep = find(objectsOf(c, 'HelmRelease/flux-system/local'), 'Deployment', 'team-local')!
    expect(dep.metadata.namespace).toBe('team')
    expect(stringify(dep)).toContain('value: prod')
    // The fleet installs the Widget CRD, so .Capabilities.APIVersions has it.
    expect(find(objectsOf(c, 'HelmRelease/flux-system/local'), 'Widget', 'team-local')?.metadata.namespace).toBe('team')
  })
})

describeWith(['helm', 'docker-registry'], 'HelmRelease charts from a real OCI registry', () => {
  let registry: TestRegistry
  let helm: HelmCli
  let dir = ''

  beforeAll(async () => {
    registry = await startRegistry('none')
    dir = packageCharts([
      { name: 'web', version: '1.0.0' },
      { name: 'web', version: '1.2.0' },
    ])
    pushChart(`${dir}/web-1.0.0.tgz`, `oci://${registry.host}/charts`)
    pushChart(`${dir}/web-1.2.0.tgz`, `oci://${registry.host}/charts`)
    helm = new HelmCli({ helmPath: HELM })
  }, 60_000)

  afterAll(async () => {
    await registry.stop()
    helm.dispose()
    cleanup(dir)
  })

  function ociFleet(source: string): Record<string, string> {
    return {
      'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
      'clusters/dev/sources.yaml': source,
    }
  }

  it('resolves a HelmRepository of type oci with a version range by listing tags', async () => {
    const files = ociFleet(
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: flux-system\nspec:\n  type: oci\n  url: oci://${registry.host}/charts\n---\n${helmRelease('web', 'flux-system', chartBlock('1.x', 'HelmRepository'))}`,
    )
    const r = await renderFleet(fleet(files), { revision: 'h', allowRemoteCharts: true }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(c.owners.find((o) => o.ref.kind === 'HelmRelease')!.helm).toMatchObject({ version: '1.2.0' })
    expect(find(objectsOf(c, 'HelmRelease/flux-system/web'), 'Deployment', 'web')!.metadata.labels?.['chart']).toBe('web-1.2.0')
  })

  it('resolves an OCIRepository chartRef with ref.semver (H-18)', async () => {
    const files = ociFleet(
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: oci://${registry.host}/charts/web\n  ref: {semver: "<1.1.0"}\n  layerSelector: {mediaType: application/vnd.cncf.helm.chart.content.v1.tar+gzip, operation: copy}\n---\n${helmRelease('web', 'flux-system', '  chartRef: {kind: OCIRepository, name: web}\n')}`,
    )
    const r = await renderFleet(fleet(files), { revision: 'h', allowRemoteCharts: true }, { helm })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(c.owners.find((o) => o.ref.kind === 'HelmRelease')).toMatchObject({ status: 'rendered', helm: { version: expect.stringMatching(/^1\.0\.0\+[0-9a-f]{12}$/) } })
    expect(find(objectsOf(c, 'HelmRelease/flux-system/web'), 'Service', 'web')).toBeDefined()
    // H-5: the chart version carries the first 12 hex of the OCI manifest digest.
    expect(find(objectsOf(c, 'HelmRelease/flux-system/web'), 'Deployment', 'web')!.metadata.labels?.['chart']).toMatch(/^web-1\.0\.0\+[0-9a-f]{12}$/)
  })

  it('filters OCIRepository tags with semverFilter as a Go regexp (RE2)', async () => {
    const oci = (filter: string) => ociFleet(
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: oci://${registry.host}/charts/web\n  ref: {semver: ">=1.0.0", semverFilter: '${filter}'}\n---\n${helmRelease('web', 'flux-system', '  chartRef: {kind: OCIRepository, name: web}\n')}`,
    )
    const version = async (filter: string) => {
      const r = await renderFleet(fleet(oci(filter)), { revision: 'h', allowRemoteCharts: true }, { helm })
      return r.clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')?.helm?.version
    }
    expect(await version('^1\\.0\\.')).toMatch(/^1\.0\.0\+/)
    // Lookahead is not RE2: the CRD's Go regexp would not compile, so here it filters nothing.
    expect(await version('^(?=1\\.0)')).toMatch(/^1\.2\.0\+/)
  })
})

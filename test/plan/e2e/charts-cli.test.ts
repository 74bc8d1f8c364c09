import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeWith } from '../../support/components.js'
import { startRegistry, type TestRegistry } from '../../support/registry.js'
import { fluxKs, gotkSync, helmRelease } from '../../render/fixtures.js'
import { cleanup, HELM, indexRepo, packageCharts, pushChart, serveDir } from '../../render/support.js'
import { commitTree, fluxgate, git, newRepo } from '../support/git-fixture.js'

interface JsonOwner {
  kind: string
  name: string
  status: string
  note: string | null
  chart: { chart: string; before: string; after: string; bump: string; via: string | null } | null
}
interface JsonReport {
  clusters: {
    changes: { action: string; kind: string; name: string; fields: { path: string }[]; ignored: unknown[] }[]
    ignored: { kind: string; name: string; owner: string; fields: unknown[] }[]
    owners: JsonOwner[]
    diagnostics: { code: string; severity: string; message: string }[]
  }[]
}

const deployment = (replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "ghcr.io/example/web:1.0.0"}]
`

function ignoreFleet(replicas: number, rule: boolean): Record<string, string> {
  return {
    'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
    'clusters/dev/apps.yaml': fluxKs('apps', './apps', rule ? '  ignore:\n    - paths: ["/spec/replicas"]\n      target: {kind: Deployment}\n' : ''),
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    'apps/web.yaml': deployment(replicas),
  }
}

describeWith(['git'], 'fluxgate diff: spec.ignore and --detailed-exitcode', () => {
  const dirs: string[] = []
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

  async function replicasChange(rule: boolean): Promise<{ code: number; report: JsonReport; text: string }> {
    const dir = newRepo()
    dirs.push(dir)
    commitTree(dir, ignoreFleet(1, rule), 'base')
    git(dir, 'checkout', '-q', '-b', 'scale')
    commitTree(dir, ignoreFleet(2, rule), 'scale to 2')
    const json = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'scale', '--format', 'json', '--detailed-exitcode'])
    const text = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'scale', '--format', 'text'])
    return { code: json.code, report: JSON.parse(json.stdout) as JsonReport, text: text.stdout }
  }

  it('plans no change for a commit that changes only spec.replicas under an ignore rule, and says why', async () => {
    const r = await replicasChange(true)
    expect(r.code).toBe(0)
    expect(r.report.clusters[0]!.changes).toEqual([])
    expect(r.report.clusters[0]!.ignored).toEqual([expect.objectContaining({ kind: 'Deployment', name: 'web', owner: 'Kustomization/flux-system/apps', fields: [{ path: 'spec/replicas', before: 1, after: 2 }] })])
    expect(r.text).toContain('= Deployment/apps/web (Kustomization/flux-system/apps): spec/replicas (1 → 2 in Git) ignored by spec.ignore (the cluster keeps its value)')
    expect(r.text).toContain('Plan: no changes.')
  })

  it('plans the change without the rule, and --detailed-exitcode exits 2', async () => {
    const r = await replicasChange(false)
    expect(r.code).toBe(2)
    expect(r.report.clusters[0]!.changes.map((c) => [c.action, c.kind, c.fields.map((f) => f.path)])).toEqual([['changed', 'Deployment', ['spec/replicas']]])
  })

  it('exits 1 with --detailed-exitcode on a render error and on a usage error', async () => {
    const dir = newRepo()
    dirs.push(dir)
    commitTree(dir, ignoreFleet(1, false), 'base')
    git(dir, 'checkout', '-q', '-b', 'broken')
    commitTree(dir, { ...ignoreFleet(1, false), 'apps/kustomization.yaml': 'resources: [missing.yaml]\n' }, 'broken')
    const broken = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'broken', '--format', 'json', '--detailed-exitcode'])
    expect(broken.code).toBe(1)
    expect((await fluxgate(['diff', '--repo', dir, '--detailed-exitcode'])).code).toBe(1)
    expect((await fluxgate(['diff', '--repo', dir])).code).toBe(2)
  })
})

describeWith(['git', 'helm', 'docker-registry'], 'fluxgate diff: remote charts by default, from a real Helm repository and a real OCI registry', () => {
  let registry: TestRegistry
  let charts = ''
  let server: Awaited<ReturnType<typeof serveDir>>
  let dir = ''
  let cacheDir = ''

  const sources = (host: string, url: string, tag: string, httpVersion: string): Record<string, string> => ({
    'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
    'clusters/dev/apps.yaml': fluxKs('apps', './apps'),
    'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
    'apps/oci.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: web, namespace: apps}\nspec:\n  interval: 10m\n  url: oci://${host}/charts/web\n  ref: {tag: "${tag}"}\n---\n${helmRelease('web', 'apps', '  chartRef: {kind: OCIRepository, name: web}\n')}`,
    'apps/http.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: charts, namespace: apps}\nspec: {interval: 1h, url: ${url}}\n---\n${helmRelease('api', 'apps', `  chart:\n    spec:\n      chart: web\n      version: "${httpVersion}"\n      sourceRef: {kind: HelmRepository, name: charts}\n`)}`,
  })

  beforeAll(async () => {
    registry = await startRegistry('none')
    charts = packageCharts([
      { name: 'web', version: '1.0.0' },
      { name: 'web', version: '1.2.0' },
    ])
    pushChart(`${charts}/web-1.0.0.tgz`, `oci://${registry.host}/charts`)
    pushChart(`${charts}/web-1.2.0.tgz`, `oci://${registry.host}/charts`)
    server = await serveDir(charts)
    indexRepo(charts)
    cacheDir = mkdtempSync(join(tmpdir(), 'fluxgate-cli-charts-'))
    dir = newRepo()
    commitTree(dir, sources(registry.host, server.url, '1.0.0', '1.0.0'), 'base')
    git(dir, 'checkout', '-q', '-b', 'bump')
    commitTree(dir, sources(registry.host, server.url, '1.2.0', '1.2.0'), 'bump both charts')
  }, 90_000)

  afterAll(async () => {
    await registry.stop()
    await server.stop()
    cleanup(charts)
    cleanup(cacheDir)
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const diff = (...extra: string[]) => fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'bump', '--format', 'json', '--helm', HELM, '--cache-dir', cacheDir, ...extra])
  const owner = (r: JsonReport, name: string): JsonOwner => r.clusters[0]!.owners.find((o) => o.kind === 'HelmRelease' && o.name === name)!

  it('fetches and renders both charts, shows each bump on its HelmRelease, and keeps the archives in the cache', async () => {
    const run = await diff()
    expect(run.stderr).not.toMatch(/^error /m)
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as JsonReport
    expect(owner(report, 'web')).toMatchObject({ status: 'rendered', chart: { chart: 'web', before: '1.0.0', after: '1.2.0', bump: 'minor', via: 'OCIRepository apps/web' } })
    expect(owner(report, 'api')).toMatchObject({ status: 'rendered', chart: { chart: 'web', before: '1.0.0', after: '1.2.0', bump: 'minor', via: null } })
    // The chart's own objects changed with it (the chart label carries the version).
    expect(report.clusters[0]!.changes.filter((c) => c.kind === 'Deployment').map((c) => c.name).sort()).toEqual(['api', 'web'])
    // helm push stores the packaged archive as the chart layer: the same bytes, one entry each version.
    expect(readdirSync(join(cacheDir, 'fluxgate-charts-v1', 'blobs', 'sha256'))).toHaveLength(2)

    const text = await diff('--format', 'text')
    expect(text.stdout).toContain('HelmRelease/apps/web: chart web 1.0.0 → 1.2.0, minor (via OCIRepository apps/web)')
    const markdown = await diff('--format', 'markdown')
    expect(markdown.stdout).toContain('chart web 1.0.0 → 1.2.0, minor (via OCIRepository apps/web)')

    const tgzHits = server.hits.get('/web-1.2.0.tgz')
    await diff()
    expect(server.hits.get('/web-1.2.0.tgz')).toBe(tgzHits)
  }, 120_000)

  it('--offline compares values and chart version only, still shows the bump, with one warning per cluster and exit 0', async () => {
    const run = await diff('--offline')
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as JsonReport
    expect(owner(report, 'web')).toMatchObject({ status: 'values-only', chart: { before: '1.0.0', after: '1.2.0', bump: 'minor' } })
    const warnings = report.clusters[0]!.diagnostics.filter((d) => d.code === 'helm/values-only')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toMatch(/^2 HelmReleases are compared by values and chart version only \(apps\/(api|web), apps\/(api|web)\): offline: remote charts are not fetched/)
    expect(owner(report, 'api').note).toMatch(/not fetched: offline/)
  })

  it('an untrusted head fetches and runs nothing: one warning that says why', async () => {
    const hits = [...server.hits.values()].reduce((a, b) => a + b, 0)
    const run = await diff('--untrusted')
    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as JsonReport
    expect(report.clusters[0]!.owners.filter((o) => o.kind === 'HelmRelease').map((o) => o.status)).toEqual(['values-only', 'values-only'])
    expect(report.clusters[0]!.diagnostics.filter((d) => d.code === 'helm/values-only').map((d) => d.message)).toEqual([expect.stringMatching(/untrusted/)])
    expect([...server.hits.values()].reduce((a, b) => a + b, 0)).toBe(hits)
  })

  it('accepts the deprecated --allow-remote-charts with a note', async () => {
    const run = await diff('--allow-remote-charts')
    expect(run.code).toBe(0)
    expect(run.stderr).toContain('--allow-remote-charts is deprecated')
  })
})

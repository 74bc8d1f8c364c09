/**
 * Acceptance of "values that live only in the cluster", through the CLI on a real Git
 * repository and the real helm: a Kustomization whose substituteFrom Secret is not in Git still
 * shows an image bump in its HelmRelease (and in the chart's Deployment), with one warning and
 * exit 0; values supplied in the base branch's .github/fluxgate.yml or with --values-file are used.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeWith } from '../support/components.js'
import { commitTree, fluxgate, git, newRepo } from './support/git-fixture.js'

const HELM = join(process.cwd(), '.tools/helm4/helm')

function fleet(tag: string, settings?: string): Record<string, string> {
  return {
    'clusters/prod/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/acme/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
    'clusters/prod/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - kind: Secret
        name: cluster-secrets
`,
    'apps/web.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
  values:
    image: {repository: ghcr.io/acme/web, tag: "${tag}"}
    host: web.\${CLUSTER_DOMAIN}
`,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'image: {repository: ghcr.io/acme/web, tag: latest}\nhost: example.com\n',
    'charts/web/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  annotations:
    host: {{ .Values.host | quote }}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
`,
    ...(settings ? { '.github/fluxgate.yml': settings } : {}),
  }
}

interface Report {
  totals: { warnings: number; errors: number }
  clusters: { changes: { action: string; kind: string; name: string; fields: { path: string; before?: unknown; after?: unknown }[] }[]; diagnostics: { code: string; severity: string; message: string }[] }[]
}

describeWith(['git', 'helm'], 'a Kustomization whose substituteFrom Secret lives only in the cluster', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function repo(settings?: string): string {
    const dir = newRepo()
    dirs.push(dir)
    commitTree(dir, fleet('1.0.0', settings), 'base')
    git(dir, 'checkout', '-q', '-b', 'bump')
    commitTree(dir, fleet('1.1.0', settings), 'bump web to 1.1.0')
    return dir
  }

  async function diff(dir: string, ...extra: string[]): Promise<{ code: number; report: Report; stderr: string }> {
    const run = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'bump', '--format', 'json', '--helm', HELM, ...extra])
    return { code: run.code, report: JSON.parse(run.stdout) as Report, stderr: run.stderr }
  }

  it('still shows the image bump in its HelmRelease, with one warning, exit 0', async () => {
    const { code, report } = await diff(repo())
    expect(code).toBe(0)
    const changes = report.clusters[0]!.changes
    expect(changes.map((c) => `${c.action} ${c.kind} ${c.name}`).sort()).toEqual(['changed Deployment web', 'changed HelmRelease web'])
    expect(changes.find((c) => c.kind === 'HelmRelease')!.fields).toEqual([{ path: 'spec/values/image/tag', before: '1.0.0', after: '1.1.0' }])
    expect(changes.find((c) => c.kind === 'Deployment')!.fields).toEqual([{ path: 'spec/template/spec/containers/0/image', before: 'ghcr.io/acme/web:1.0.0', after: 'ghcr.io/acme/web:1.1.0' }])
    expect(report.totals).toMatchObject({ errors: 0, warnings: 1 })
    const warning = report.clusters[0]!.diagnostics.find((d) => d.severity === 'warning')!
    expect(warning.code).toBe('render/cluster-only-values')
    expect(warning.message).toContain('Secret flux-system/cluster-secrets (substituteFrom of Kustomization flux-system/apps) is not in the repository')
    expect(warning.message).toContain('${CLUSTER_DOMAIN} stay placeholders')
  })

  it('plans the same with --timings, which prints phases and the units the head reused', async () => {
    const dir = repo()
    const plain = await diff(dir)
    const timed = await diff(dir, '--timings')
    expect(JSON.stringify({ ...timed.report, durationMs: 0 })).toBe(JSON.stringify({ ...plain.report, durationMs: 0 }))
    expect(timed.stderr).toMatch(/^timings: \d+ ms wall, \d+ objects/m)
    // Three units (root, apps, the HelmRelease): base renders all; the head re-renders the
    // Kustomization whose file changed and the HelmRelease it yields, and reuses the root's.
    expect(timed.stderr).toMatch(/^units: 5 rendered, 1 reused \(0 from the render cache\), 0 stored, 0 not reusable$/m)
    expect(plain.stderr).not.toMatch(/^timings:/m)
  })

  it('uses the values of the base branch .github/fluxgate.yml, and --values-file over them', async () => {
    const settings = 'clusterValues:\n  - cluster: prod\n    kind: Secret\n    namespace: flux-system\n    name: cluster-secrets\n    data:\n      CLUSTER_DOMAIN: prod.acme.example\n'
    const dir = repo(settings)
    const fromConfig = await diff(dir)
    expect(fromConfig.code).toBe(0)
    expect(fromConfig.report.totals.warnings).toBe(0)
    const file = join(tmpdir(), `fluxgate-values-${process.pid}.yaml`)
    writeFileSync(file, settings.replace('prod.acme.example', 'override.acme.example'))
    dirs.push(file)
    const fromFile = await diff(dir, '--values-file', file)
    expect(fromFile.code).toBe(0)
    expect(fromFile.report.totals.warnings).toBe(0)
    expect(JSON.stringify(fromConfig.report)).not.toContain('CLUSTER_DOMAIN')
    // The Secret's values are masked like Secret data: neither domain shows in either report.
    expect(JSON.stringify(fromConfig.report)).not.toContain('prod.acme.example')
    expect(JSON.stringify(fromFile.report)).not.toContain('override.acme.example')

    writeFileSync(file, 'clusterValues:\n  - kind: Secret\n')
    const bad = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'bump', '--format', 'json', '--values-file', file])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('clusterValues[0] needs a namespace and a name')
  })
})

import { rmSync } from 'node:fs'
import { describeWith } from '../../support/components.js'
import { CANARIES, b64, leaksIn } from '../support/canary.js'
import { commitTree, fluxgate, git, newRepo, type CliRun } from '../support/git-fixture.js'

/** A small fleet in which every place a secret can come from holds a canary (`v` tells base from head). */
function fleetFiles(v: string): Record<string, string> {
  return {
    'clusters/dev/flux-system/gotk-sync.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {url: https://github.com/example/fleet, ref: {branch: main}, interval: 1m}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/dev, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`,
    'clusters/dev/cluster-secrets.yaml': `apiVersion: v1
kind: Secret
metadata: {name: cluster-secrets, namespace: flux-system}
stringData: {DB_PASSWORD: ${CANARIES.substituted}${v}}
`,
    'clusters/dev/apps.yaml': `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  postBuild:
    substituteFrom:
      - {kind: Secret, name: cluster-secrets}
`,
    'apps/app.yaml': `apiVersion: v1
kind: Secret
metadata: {name: app-credentials, namespace: apps}
data: {token: ${b64(CANARIES.secretData + v)}}
stringData: {api-key: ${CANARIES.secretStringData}${v}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: apps}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
        - name: api
          image: ghcr.io/example/api:1.0.0
          env:
            - {name: DATABASE_URL, value: "postgres://api:\${DB_PASSWORD}@db:5432/api"}
`,
    'apps/web.yaml': `apiVersion: v1
kind: Secret
metadata: {name: web-values, namespace: web}
stringData:
  values.yaml: |
    auth:
      password: ${CANARIES.helmValues}${v}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: web}
spec:
  interval: 1h
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
  valuesFrom:
    - {kind: Secret, name: web-values, valuesKey: values.yaml}
`,
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'auth:\n  password: ""\n',
    'charts/web/templates/config.yaml': `apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  config.yaml: "password={{ .Values.auth.password }}"
---
apiVersion: v1
kind: Secret
metadata: {name: web-auth}
data:
  password: {{ .Values.auth.password | b64enc | quote }}
`,
  }
}

describeWith(['git', 'helm'], 'canary through the CLI: no secret in any output, log or error message', () => {
  let dir = ''
  const runs: Record<string, CliRun> = {}

  beforeAll(async () => {
    dir = newRepo()
    commitTree(dir, fleetFiles(''), 'base')
    git(dir, 'checkout', '-q', '-b', 'rotate')
    commitTree(dir, fleetFiles('-v2'), 'rotate every secret')
    for (const format of ['markdown', 'comment', 'json', 'text']) {
      runs[format] = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'rotate', '--format', format, '--repo-url', 'https://github.com/example/fleet'], {}, format === 'text')
    }
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('renders the plan', () => {
    const report = JSON.parse(runs['json']!.stdout) as { clusters: { changes: { kind: string; name: string; action: string }[] }[] }
    const changed = report.clusters[0]!.changes.map((c) => `${c.action} ${c.kind}/${c.name}`)

    expect(changed).toEqual(expect.arrayContaining(['changed Secret/app-credentials', 'changed Deployment/api', 'changed ConfigMap/web-config']))
  })

  it.each(['markdown', 'comment', 'json', 'text'])('%s: stdout and stderr hold no canary in plain or base64 form', (format) => {
    const run = runs[format]!

    expect(leaksIn(run.stdout)).toEqual([])
    expect(leaksIn(run.stderr)).toEqual([])
  })
})

/**
 * The fleet behind the parity table: one cluster `prod` bootstrapped from this repository
 * (https://github.com/acme/fleet, branch main) with
 * - `apps`: a Deployment, a ConfigMap, a Secret and a PersistentVolumeClaim (prune: true);
 * - `web`: a HelmRelease of the chart `charts/web` in this repository;
 * - `side`: a second GitRepository of this same repository (branch main), path ./side;
 * - `staging-apps`: a GitRepository of this repository tracking branch `staging`, path ./staging-apps.
 * Each scenario edits it on a `feature` branch (and sometimes on main after branching).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export const REPO_URL = 'https://github.com/acme/fleet'

export type Files = Record<string, string | null>

/** A Flux Kustomization of this fleet (`extra` lines go at the end of its spec). */
export const fluxKsOf = (name: string, path: string, source = 'flux-system', extra = ''): string => fluxKs(name, path, source, extra)

const fluxKs = (name: string, path: string, source = 'flux-system', extra = ''): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ${path}
  prune: true
  sourceRef:
    kind: GitRepository
    name: ${source}
${extra}`

const gitRepo = (name: string, url: string, branch: string): string => `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 1m
  url: ${url}
  ref:
    branch: ${branch}
`

export const configMap = (name: string, data: Record<string, string>, ns = 'apps'): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: ${ns}\ndata:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join('\n')}\n`

export const secret = (password: string): string => `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: ${password}\n`

export const webRelease = (replicas: number): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  values:
    replicas: ${replicas}
`

export const chartTemplate = (port: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: {{ .Release.Name }}}
  template:
    metadata:
      labels: {app: {{ .Release.Name }}}
    spec:
      containers:
        - name: web
          image: "nginx:{{ .Values.tag }}"
          ports:
            - containerPort: ${port}
`

const BASE: Files = {
  'clusters/prod/flux-system/gotk-sync.yaml': `${gitRepo('flux-system', REPO_URL, 'main')}---\n${fluxKs('flux-system', './clusters/prod')}`,
  'clusters/prod/apps.yaml': fluxKs('apps', './apps'),
  'clusters/prod/web.yaml': fluxKs('web', './web'),
  'clusters/prod/side.yaml': `${gitRepo('side', `${REPO_URL}.git`, 'main')}---\n${fluxKs('side', './side', 'side')}`,
  'clusters/prod/staging.yaml': `${gitRepo('staging', REPO_URL, 'staging')}---\n${fluxKs('staging-apps', './staging-apps', 'staging')}`,
  'apps/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
  'apps/settings.yaml': configMap('settings', { level: 'info' }),
  'apps/other.yaml': configMap('other', { color: 'blue' }),
  'apps/secret.yaml': secret('correct-horse-battery'),
  'apps/pvc.yaml': 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n  namespace: apps\nspec:\n  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: 1Gi\n',
  'web/release.yaml': webRelease(2),
  'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
  'charts/web/values.yaml': 'replicas: 1\ntag: "1.27"\n',
  'charts/web/templates/deployment.yaml': chartTemplate(80),
  'side/cm.yaml': configMap('side', { a: '1' }, 'default'),
  'staging-apps/cm.yaml': configMap('staging-only', { a: '1' }, 'default'),
  '.github/fluxgate.yml': 'policies:\n  high-risk-deletion: fail\n',
}

/** The repository of one scenario: `main` (base), `feature` (head) and both SHAs. */
export interface ScenarioRepo {
  dir: string
  baseSha: string
  headSha: string
  cleanup(): void
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=Fleet Test', '-c', 'user.email=fleet@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim()
}

function commit(dir: string, files: Files, message: string): string {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path)
    if (text === null) rmSync(full, { recursive: true, force: true })
    else {
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, text)
    }
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '--allow-empty', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/** Base on main, `head` on feature, then `mainAfter` on main (so the merge base is not main's tip). */
export function scenarioRepo(head: Files, opts: { base?: Files; mainAfter?: Files } = {}): ScenarioRepo {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-parity-'))
  execFileSync('git', ['init', '-q', '-b', 'main', dir])
  git(dir, 'remote', 'add', 'origin', `${REPO_URL}.git`)
  commit(dir, { ...BASE, ...(opts.base ?? {}) }, 'base')
  git(dir, 'checkout', '-q', '-b', 'feature')
  const headSha = commit(dir, head, 'the change')
  git(dir, 'checkout', '-q', 'main')
  const baseSha = opts.mainAfter ? commit(dir, opts.mainAfter, 'main moves on') : git(dir, 'rev-parse', 'HEAD')
  return { dir, baseSha, headSha, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

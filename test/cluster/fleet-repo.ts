/**
 * A real Git repository with a bootstrap-style fleet for the CLI tests: `clusters/staging`
 * holds the flux-system GitRepository and Kustomization, and Kustomizations `infra` and `apps`
 * (apps dependsOn infra). Commit 1 is the base; commit 2 (the "merge") changes one object
 * under each of them.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parseAllDocuments } from 'yaml'
import type { StoredObject } from '../support/kube-apiserver/index.js'

const SYNC = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  ref:
    branch: main
  url: https://github.com/example/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/staging
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const ks = (name: string, dependsOn?: string): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${dependsOn ? `  dependsOn:\n    - name: ${dependsOn}\n` : ''}`

const deployment = (image: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: apps
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ${image}
          ports:
            - containerPort: 8080
`

const BASE: Record<string, string> = {
  'clusters/staging/flux-system/gotk-sync.yaml': SYNC,
  'clusters/staging/flux-system/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-sync.yaml\n',
  'clusters/staging/infra.yaml': ks('infra'),
  'clusters/staging/apps.yaml': ks('apps', 'infra'),
  'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
  'infra/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  level: info\n',
  'apps/web.yaml': deployment('ghcr.io/example/web:1.0.0', 2),
  'apps/web-svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  selector: {app: web}\n  ports:\n    - port: 80\n      targetPort: 8080\n',
  'apps/creds.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: apps\nstringData:\n  password: git-side-password-9931\n',
  'apps/old.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: old\n  namespace: apps\ndata:\n  a: b\n',
}

/** The head commit: a new image, a changed ConfigMap, one ConfigMap removed (pruned). */
const HEAD: Record<string, string | null> = {
  'infra/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  level: debug\n',
  'apps/web.yaml': deployment('ghcr.io/example/web:1.1.0', 2),
  'apps/old.yaml': null,
}

export interface FleetRepo {
  dir: string
  baseSha: string
  mergeSha: string
  /** Every object of a commit's tree, parsed (for seeding the double). */
  files: Record<string, string>
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e', GIT_AUTHOR_DATE: '2026-11-29T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-29T10:00:00Z' } }).trim()
}

function write(dir: string, files: Record<string, string | null>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path)
    if (text === null) execFileSync('rm', ['-f', full])
    else {
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, text)
    }
  }
}

/** Creates the repository: base commit, then the merge commit on main. */
export function createFleetRepo(): FleetRepo {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-fleet-'))
  git(dir, 'init', '-q', '-b', 'main')
  write(dir, BASE)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'base')
  const baseSha = git(dir, 'rev-parse', 'HEAD')
  write(dir, HEAD)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'merge')
  return { dir, baseSha, mergeSha: git(dir, 'rev-parse', 'HEAD'), files: BASE }
}

/** The objects of the base commit, as plain objects (Flux objects and workloads). */
export function baseObjects(): StoredObject[] {
  return Object.entries(BASE)
    .filter(([p]) => !p.endsWith('kustomization.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((d) => d.toJS() as StoredObject))
}

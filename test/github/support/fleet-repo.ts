/**
 * A small Flux fleet as a real git repository in a temp dir: `main` holds the base commit,
 * `feature` the head commit. The head bumps an image tag and removes a PersistentVolumeClaim
 * from a pruning Kustomization, so the gate sees a high-risk deletion that needs approval.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface FleetRepo {
  dir: string
  baseSha: string
  headSha: string
  /** Adds a commit on `feature` (a new push) and returns its SHA. */
  pushHead(files: Record<string, string | null>, message: string): string
  /** Adds a commit on `main` and returns its SHA. */
  commitBase(files: Record<string, string | null>, message: string): string
  /** Merges `feature` into `main` with a merge commit (first parent: main) and returns its SHA. */
  mergeFeature(message?: string): string
  cleanup(): void
}

const SYNC = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  ref:
    branch: main
  url: https://github.com/acme/fleet
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  path: ./clusters/prod
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const APPS = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`

const deployment = (tag: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: default
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:${tag}
`

const PVC = `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  namespace: default
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 1Gi
`

/** The base branch's gate config used by default: high-risk deletions need an approval. */
export const BASE_GATE_CONFIG = `policies:
  high-risk-deletion: fail
`

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=Fleet Test', '-c', 'user.email=fleet@example.com', '-c', 'commit.gpgsign=false', ...args], { encoding: 'utf8' }).trim()
}

function write(dir: string, files: Record<string, string | null>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(dir, path)
    if (text === null) rmSync(full, { force: true })
    else {
      mkdirSync(dirname(full), { recursive: true })
      writeFileSync(full, text)
    }
  }
}

function commit(dir: string, branch: string, files: Record<string, string | null>, message: string): string {
  if (git(dir, 'branch', '--list', branch)) git(dir, 'checkout', '-q', branch)
  write(dir, files)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '--allow-empty', '-m', message)
  return git(dir, 'rev-parse', 'HEAD')
}

/**
 * Creates the fleet repository. `baseConfig` is `.github/fluxgate.yml` on main (null: none);
 * `headConfig` is what the pull request writes there (a PR trying to loosen its own gate).
 */
export function makeFleetRepo(opts: { baseConfig?: string | null; headConfig?: string } = {}): FleetRepo {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-fleet-'))
  execFileSync('git', ['init', '-q', '-b', 'main', dir])
  const baseConfig = opts.baseConfig === undefined ? BASE_GATE_CONFIG : opts.baseConfig
  const baseSha = commit(dir, 'main', {
    'clusters/prod/flux-system/gotk-sync.yaml': SYNC,
    'clusters/prod/apps.yaml': APPS,
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - pvc.yaml\n',
    'apps/deployment.yaml': deployment('1.25'),
    'apps/pvc.yaml': PVC,
    ...(baseConfig === null ? {} : { '.github/fluxgate.yml': baseConfig }),
  }, 'base')
  git(dir, 'checkout', '-q', '-b', 'feature')
  const headSha = commit(dir, 'feature', {
    'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n',
    'apps/deployment.yaml': deployment('1.26'),
    'apps/pvc.yaml': null,
    ...(opts.headConfig ? { '.github/fluxgate.yml': opts.headConfig } : {}),
  }, 'bump web, drop the data volume')
  return {
    dir,
    baseSha,
    headSha,
    pushHead: (files, message) => commit(dir, 'feature', files, message),
    commitBase: (files, message) => commit(dir, 'main', files, message),
    mergeFeature: (message = 'Merge pull request from acme/feature') => {
      git(dir, 'checkout', '-q', 'main')
      git(dir, 'merge', '-q', '--no-ff', '-m', message, 'feature')
      return git(dir, 'rev-parse', 'HEAD')
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** The apps folder as the base commit has it: a push of these undoes the pull request's change. */
export const BASE_APPS: Readonly<Record<string, string>> = Object.freeze({
  'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - pvc.yaml\n',
  'apps/deployment.yaml': deployment('1.25'),
  'apps/pvc.yaml': PVC,
})

/** The deployment manifest with another tag, for follow-up pushes. */
export function webDeployment(tag: string): string {
  return deployment(tag)
}

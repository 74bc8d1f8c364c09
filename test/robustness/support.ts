import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Diagnostic } from '../../src/core/diagnostics/diagnostic.js'
import type { FleetRender } from '../../src/core/model/render-result.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { GitRepo } from '../../src/infra/git-repo.js'
import { HelmCli } from '../../src/infra/helm-cli.js'

/** The canary planted in a Secret of every fleet: it must never reach any output. */
export const CANARY = 'CANARY-robustness-7c41e9b2d05a'

/**
 * A canary that lives only in the broken file of a case (a Secret's env file, a patch of a
 * Secret): no rendered Secret holds it, so only a build that quotes nothing keeps it out.
 */
export const LOCAL_CANARY = 'LOCALCANARY-e3a91f70b6c2'

/** Every form the canaries can leak in: plain, base64, and base64 at the three byte alignments. */
export function leakForms(): string[] {
  const b64 = (t: string): string => Buffer.from(t, 'utf8').toString('base64')
  const forms: string[] = []
  for (const canary of [CANARY, LOCAL_CANARY]) {
    forms.push(canary, b64(canary))
    for (let k = 0; k < 3; k++) {
      const encoded = b64('\0'.repeat(k) + canary)
      forms.push(encoded.slice(Math.ceil((k * 4) / 3) + 1, encoded.length - 4))
    }
  }
  return forms
}

/** The canary forms found in `text`. */
export function leaks(text: string): string[] {
  return leakForms().filter((f) => text.includes(f))
}

function ks(name: string, path: string, extra = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
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
    name: flux-system
${extra}`
}

function sync(cluster: string): string {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  ref: {branch: main}
  url: https://github.com/example/fleet
---
${ks('flux-system', `./clusters/${cluster}`)}`
}

/** postBuild that reads the canary Secret, so every Kustomization has a secret value in play. */
const SUBSTITUTE = `  postBuild:
    substitute:
      cluster_name: CLUSTER
    substituteFrom:
      - kind: Secret
        name: cluster-secrets
`

/** Builds a Flux Kustomization YAML (exported for tests that add their own). */
export const fluxKs = ks

/**
 * A small two-cluster fleet: each cluster has `infra` (./infra), `apps` (./apps/<cluster>, which
 * holds a HelmRelease of the chart in ./charts/web) and a Secret `cluster-secrets` whose value is
 * the canary and is substituted into the apps.
 */
export function baseFleet(): Record<string, string> {
  const files: Record<string, string> = {
    'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'charts/web/values.yaml': 'message: hello\npassword: ""\n',
    'charts/web/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  message: {{ .Values.message | quote }}\n',
    'infra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespace.yaml\n',
    'infra/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n',
  }
  for (const c of ['staging', 'production']) {
    files[`clusters/${c}/flux-system/gotk-sync.yaml`] = sync(c)
    files[`clusters/${c}/infra.yaml`] = ks('infra', './infra')
    files[`clusters/${c}/apps.yaml`] = ks('apps', `./apps/${c}`, SUBSTITUTE.replace('CLUSTER', c))
    files[`clusters/${c}/cluster-secrets.yaml`] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  db_password: ${CANARY}\n`
    files[`apps/${c}/app.yaml`] = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
  namespace: apps
data:
  cluster: \${cluster_name}
  dsn: postgres://app:\${db_password}@db/app
`
    files[`apps/${c}/web.yaml`] = `apiVersion: helm.toolkit.fluxcd.io/v2
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
    message: \${cluster_name}
`
  }
  return files
}

/** Runs git in `dir` with a fixed identity. */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.email=t@fluxgate.invalid', '-c', 'user.name=t', ...args], { encoding: 'utf8' })
}

/** What a file becomes: text, a symlink target, or removed. */
export type Entry = string | Buffer | { symlink: string } | null

/** A fresh repository holding the base fleet, committed; returns its dir and base SHA. */
export function newFleetRepo(): { dir: string; base: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-robust-'))
  git(dir, 'init', '-q', '-b', 'main')
  const base = commit(dir, baseFleet(), 'base')
  return { dir, base }
}

/** Replaces the work tree with `files` (`null` entries dropped) and commits; returns the SHA. */
export function commit(dir: string, files: Record<string, Entry>, message: string): string {
  for (const e of readdirSync(dir)) if (e !== '.git') rmSync(join(dir, e), { recursive: true, force: true })
  for (const [path, content] of Object.entries(files)) {
    if (content === null) continue
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    if (typeof content === 'object' && !Buffer.isBuffer(content)) symlinkSync(content.symlink, join(dir, path))
    else writeFileSync(join(dir, path), content)
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '--allow-empty', '-m', message)
  return git(dir, 'rev-parse', 'HEAD').trim()
}

/** The base fleet with some files changed, added or removed. */
export function broken(changes: Record<string, Entry>): Record<string, Entry> {
  return { ...baseFleet(), ...changes }
}

/** renderFleet of a commit, with the real helm. */
export async function renderCommit(dir: string, sha: string): Promise<FleetRender> {
  const repo = new GitRepo(dir)
  const helm = new HelmCli({ helmPath: resolve('.tools/helm4/helm') })
  try {
    return await renderFleet(await repo.tree(sha), { revision: sha, repoUrl: 'https://github.com/example/fleet', branch: 'main' }, { helm })
  } finally {
    helm.dispose()
  }
}

/** Every diagnostic of a fleet render. */
export function allDiagnostics(f: FleetRender): Diagnostic[] {
  return [...f.diagnostics, ...f.clusters.flatMap((c) => c.diagnostics)]
}

/** One CLI run of the built bundle. */
export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/** Runs `node bin/fluxgate.js …` (the bundle, as a user would). */
export function cli(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [resolve('bin/fluxgate.js'), ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } })
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr }
}

/** Builds lib/ once (the CLI runs from the bundle). */
export function buildCli(): void {
  execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' })
}

/** Names of the objects one cluster rendered, as `owner kind/name`. */
export function rendered(f: FleetRender, cluster: string): string[] {
  const c = f.clusters.find((x) => x.name === cluster)
  if (!c) return []
  return c.objects.map((o) => `${o.owner.kind}/${o.owner.name} ${o.object.kind}/${o.object.metadata.name}`)
}

/**
 * One change, three front doors, one answer (issue: one flow behind every front door). Each
 * scenario is a real Git repository; the CLI (`fluxgate diff --format json`), the Action bundle
 * (dist/index.js against the GitHub double) and the App (Probot `receive`, its JSON report) plan
 * it, and all three must report the same changed objects and the same gate conclusion, which
 * the table also states as Flux would have it.
 */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import app, { reviewQueueOf } from '../../src/adapters/app/index.js'
import { main } from '../../src/adapters/cli/main.js'
import { describeWith } from '../support/components.js'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'
import { pullRequestEvent, type PrTarget } from '../github/support/payloads.js'
import { runAction } from '../github/support/run-action.js'
import { chartTemplate, configMap, fluxKsOf, REPO_URL, scenarioRepo, secret, webRelease, type Files, type ScenarioRepo } from './fleet.js'
import { sopsDotenv, sopsYaml } from '../support/sops.js'

jest.setTimeout(600_000)

const HELM = resolve('.tools/helm4/helm')
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

interface Scenario {
  name: string
  /** Changes to the common base fleet, on main before branching. */
  base?: Files
  head: Files
  mainAfter?: Files
  fork?: boolean
  /** What Flux would do, as `cluster action Kind namespace/name` lines (objects not compared: `cluster state Kind namespace/name`). */
  expected: string[]
  conclusion: 'success' | 'failure' | 'neutral'
}

const APPS_DECRYPTING = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n'
const WEB_WITH_CLUSTER_SECRETS = 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: web\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./web\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: cluster-secrets\n'
const bumpedRelease = (tag: string): string => `${webRelease(2)}    tag: "${tag}"\n    domain: web.\${CLUSTER_DOMAIN}\n`
const GENERATED_TOKEN = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [namespace.yaml, settings.yaml, other.yaml, secret.yaml, pvc.yaml]\nsecretGenerator:\n  - name: token\n    namespace: apps\n    envs: [token.env]\n'
const DB_SECRET = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-admin', namespace: 'apps' }, stringData: { password: 'tr0ub4dor-and-3' } }

const SCENARIOS: Scenario[] = [
  {
    name: 'a Kustomization whose substituteFrom Secret lives only in the cluster still plans an image bump in its HelmRelease',
    base: { 'clusters/prod/web.yaml': WEB_WITH_CLUSTER_SECRETS, 'web/release.yaml': bumpedRelease('1.27') },
    head: { 'web/release.yaml': bumpedRelease('1.28') },
    expected: ['prod changed Deployment apps/web', 'prod changed HelmRelease apps/web'],
    conclusion: 'success',
  },
  {
    name: 'a re-encrypted SOPS generator file is one changed Secret, not a deletion the gate stops',
    base: { 'clusters/prod/apps.yaml': APPS_DECRYPTING, 'apps/kustomization.yaml': GENERATED_TOKEN, 'apps/token.env': sopsDotenv({ TOKEN: 'plain-token-value' }) },
    head: { 'apps/token.env': sopsDotenv({ TOKEN: 'plain-token-value' }) },
    expected: ['prod changed Secret apps/token-***'],
    conclusion: 'success',
  },
  {
    name: 'a re-encrypted whole-file SOPS Secret is one changed encrypted entry, not a removal plus an addition',
    base: { 'clusters/prod/apps.yaml': APPS_DECRYPTING, 'apps/db.sops.yaml': sopsYaml(DB_SECRET) },
    head: { 'apps/db.sops.yaml': sopsYaml(DB_SECRET) },
    expected: ['prod changed (encrypted) apps/db.sops.yaml'],
    conclusion: 'success',
  },
  {
    name: 'a GitRepository of this repository tracking another branch is not touched by a pull request to main (G-10)',
    head: { 'staging-apps/cm.yaml': configMap('staging-only', { a: '2' }, 'default') },
    expected: [],
    conclusion: 'success',
  },
  {
    name: 'a second GitRepository of this repository on the same branch is rendered from the change',
    head: { 'side/cm.yaml': configMap('side', { a: '2' }, 'default') },
    expected: ['prod changed ConfigMap default/side'],
    conclusion: 'success',
  },
  {
    name: 'a HelmRelease values change re-renders its chart',
    head: { 'web/release.yaml': webRelease(3) },
    expected: ['prod changed Deployment apps/web', 'prod changed HelmRelease apps/web'],
    conclusion: 'success',
  },
  {
    name: 'a chart template change in the repository',
    head: { 'charts/web/templates/deployment.yaml': chartTemplate(8080) },
    expected: ['prod changed Deployment apps/web'],
    conclusion: 'success',
  },
  {
    name: 'a pruned PersistentVolumeClaim is a high-risk deletion the gate stops',
    head: { 'apps/pvc.yaml': null },
    expected: ['prod removed PersistentVolumeClaim apps/data'],
    conclusion: 'failure',
  },
  {
    name: 'a Secret change',
    head: { 'apps/secret.yaml': secret('another-horse-staple') },
    expected: ['prod changed Secret apps/db'],
    conclusion: 'success',
  },
  {
    name: 'a Kustomization switched to a source outside the repository',
    head: { 'clusters/prod/side.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: side\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://github.com/elsewhere/other\n  ref:\n    branch: main\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: side\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./side\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: side\n` },
    // Its objects can no longer be compared: never "no changes", and the gate asks a person (#14).
    expected: ['prod changed GitRepository flux-system/side', 'prod not-comparable ConfigMap default/side'],
    conclusion: 'failure',
  },
  {
    name: 'a fork: nothing is run, the HelmRelease compares by values',
    head: { 'web/release.yaml': webRelease(4), 'apps/settings.yaml': configMap('settings', { level: 'debug' }) },
    fork: true,
    expected: ['prod changed ConfigMap apps/settings', 'prod changed HelmRelease apps/web'],
    conclusion: 'success',
  },
  {
    name: 'main moved on after the branch: only the change itself, against the merge base',
    head: { 'apps/settings.yaml': configMap('settings', { level: 'debug' }) },
    mainAfter: { 'apps/other.yaml': configMap('other', { color: 'green' }) },
    expected: ['prod changed ConfigMap apps/settings'],
    conclusion: 'success',
  },
  {
    // The cluster's own Kustomization still points at the folder: Flux fails with "kustomization
    // path not found" and prunes nothing, so nothing is listed as removed and the gate stops.
    name: 'a deleted cluster folder',
    head: { 'clusters/prod': null },
    expected: [],
    conclusion: 'failure',
  },
  {
    // kustomize-controller's SSA apply keeps the in-cluster value of an ignored path.
    name: 'a change only to a path the Kustomization now ignores (spec.ignore) changes nothing but the Kustomization',
    head: {
      'clusters/prod/apps.yaml': `${fluxKsOf('apps', './apps')}  ignore:\n    - paths: [/data/level]\n      target: {kind: ConfigMap, name: settings}\n`,
      'apps/settings.yaml': configMap('settings', { level: 'debug' }),
    },
    expected: ['prod changed Kustomization flux-system/apps'],
    conclusion: 'success',
  },
  {
    name: "a chart version bump in the repository shows on its HelmRelease",
    head: { 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.1.0\n' },
    expected: ['prod chart HelmRelease apps/web web 1.0.0 → 1.1.0 minor via GitRepository flux-system/flux-system'],
    conclusion: 'success',
  },
  {
    name: 'a Kustomization with spec.kubeConfig applies to a cluster of its own, named by the base branch settings',
    base: { '.github/fluxgate.yml': 'policies:\n  high-risk-deletion: fail\nclusterNames:\n  flux-system/edge-kubeconfig: edge\n' },
    head: { 'clusters/prod/edge.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: edge\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./side\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  kubeConfig:\n    secretRef:\n      name: edge-kubeconfig\n' },
    expected: ['edge added ConfigMap default/side', 'prod added Kustomization flux-system/edge'],
    conclusion: 'success',
  },
  {
    name: 'a pull request cannot loosen its own gate',
    head: { 'apps/pvc.yaml': null, '.github/fluxgate.yml': 'policies:\n  high-risk-deletion: off\n' },
    expected: ['prod removed PersistentVolumeClaim apps/data'],
    conclusion: 'failure',
  },
]

interface Outcome {
  changes: string[]
  conclusion: string
}

interface JsonReport {
  clusters: {
    name: string
    changes: { action: string; kind: string; namespace: string | null; name: string }[]
    unknown: { state: string; objects: { kind: string; namespace: string | null; name: string }[] }[]
    owners: { kind: string; namespace: string; name: string; chart: { chart: string; before: string; after: string; bump: string; via: string | null } | null }[]
  }[]
  gate: { conclusion: string } | null
}

/** Object changes, and chart version changes on HelmReleases (`prod chart HelmRelease apps/web web 1.0.0 → 1.1.0 minor`). */
function outcomeOf(report: JsonReport): Outcome {
  const id = (o: { kind: string; namespace: string | null; name: string }): string => `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`
  const changes = report.clusters.flatMap((c) => [
    ...c.changes.map((ch) => `${c.name} ${ch.action} ${id(ch)}`),
    ...c.unknown.flatMap((g) => g.objects.map((o) => `${c.name} ${g.state} ${id(o)}`)),
  ])
  const charts = report.clusters.flatMap((c) =>
    c.owners.filter((o) => o.chart).map((o) => `${c.name} chart ${o.kind} ${o.namespace}/${o.name} ${o.chart!.chart} ${o.chart!.before} → ${o.chart!.after} ${o.chart!.bump}${o.chart!.via ? ` via ${o.chart!.via}` : ''}`),
  )
  return { changes: [...changes, ...charts].sort(), conclusion: report.gate?.conclusion ?? '(no gate)' }
}

async function viaCli(repo: ScenarioRepo, fork: boolean): Promise<Outcome> {
  let out = ''
  let err = ''
  const args = ['diff', '--repo', repo.dir, '--base', 'main', '--head', 'feature', '--format', 'json', '--helm', HELM, ...(fork ? ['--untrusted'] : [])]
  const code = await main(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: repo.dir, isTty: false })
  if (code === 2) throw new Error(`fluxgate diff: usage error: ${err}`)
  return outcomeOf(JSON.parse(out) as JsonReport)
}

function target(repo: ScenarioRepo, fork: boolean, gh: GitHubDouble): PrTarget {
  return { owner: 'acme', repo: 'fleet', number: 5, base: { ref: 'main', sha: repo.baseSha }, head: { ref: 'feature', sha: repo.headSha }, fork, cloneUrl: `${gh.url}/acme/fleet.git` }
}

function payload(repo: ScenarioRepo, fork: boolean, gh: GitHubDouble) {
  const p = pullRequestEvent('opened', target(repo, fork, gh))
  p.repository.html_url = REPO_URL
  p.pull_request.base.repo.html_url = REPO_URL
  return p
}

async function viaAction(repo: ScenarioRepo, fork: boolean): Promise<Outcome> {
  const gh = await startGitHubDouble()
  try {
    gh.repo('acme', 'fleet', { gitDir: repo.dir })
    const run = await runAction({ apiUrl: gh.url, workspace: repo.dir, eventName: 'pull_request', payload: payload(repo, fork, gh), inputs: { 'github-token': 'ghs_parity', 'helm-path': HELM } })
    if (!run.outputs['report']) throw new Error(`the Action wrote no report:\n${run.stdout}`)
    return outcomeOf(JSON.parse(readFileSync(run.outputs['report'], 'utf8')) as JsonReport)
  } finally {
    await gh.close()
  }
}

async function viaApp(repo: ScenarioRepo, fork: boolean): Promise<Outcome> {
  const gh = await startGitHubDouble()
  const dirs = { cache: mkdtempSync(join(tmpdir(), 'fluxgate-parity-cache-')), reports: mkdtempSync(join(tmpdir(), 'fluxgate-parity-reports-')) }
  const env = { FLUXGATE_CACHE_DIR: dirs.cache, FLUXGATE_REPORT_DIR: dirs.reports, FLUXGATE_HELM: HELM }
  Object.assign(process.env, env)
  try {
    gh.repo('acme', 'fleet', { gitDir: repo.dir })
    const probot = new Probot({ appId: 123, privateKey, baseUrl: gh.url, logLevel: 'warn', Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) })
    await probot.load(app)
    await probot.receive({ id: 'parity', name: 'pull_request', payload: payload(repo, fork, gh) } as never)
    await reviewQueueOf(probot)!.drained()
    const [file] = readdirSync(dirs.reports)
    if (!file) throw new Error('the App wrote no report')
    return outcomeOf(JSON.parse(readFileSync(join(dirs.reports, file), 'utf8')) as JsonReport)
  } finally {
    for (const k of Object.keys(env)) delete process.env[k]
    await gh.close()
    rmSync(dirs.cache, { recursive: true, force: true })
    rmSync(dirs.reports, { recursive: true, force: true })
  }
}

describeWith(['git', 'helm'], 'parity: the CLI, the Action and the App plan a change the same way', () => {
  beforeAll(() => {
    execFileSync(process.execPath, ['scripts/bundle.mjs'])
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
  })
  afterAll(() => {
    nock.cleanAll()
    nock.enableNetConnect()
  })

  it.each(SCENARIOS.map((s) => [s.name, s] as const))('%s', async (_name, s) => {
    const repo = scenarioRepo(s.head, { ...(s.mainAfter ? { mainAfter: s.mainAfter } : {}), ...(s.base ? { base: s.base } : {}) })
    try {
      const expected: Outcome = { changes: [...s.expected].sort(), conclusion: s.conclusion }

      const [cli, action, appOutcome] = [await viaCli(repo, s.fork === true), await viaAction(repo, s.fork === true), await viaApp(repo, s.fork === true)]

      expect({ cli, action, app: appOutcome }).toEqual({ cli: expected, action: expected, app: expected })
    } finally {
      repo.cleanup()
    }
  })
})

import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import { parse } from 'yaml'
import app, { reviewQueueOf } from '../../src/adapters/app/index.js'
import { RECONCILE_START } from '../../src/report/reconcile.js'
import { startGitHubDouble, type GitHubDouble, type RepoState, type TokenPermissions } from '../support/github-double.js'
import { KUBE_TOKEN, startFleetCluster, type FleetCluster } from './support/cluster.js'
import { makeFleetRepo, type FleetRepo } from './support/fleet-repo.js'
import { mergedPullRequestEvent, pullRequestEvent, type PrTarget } from './support/payloads.js'

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const PR = 12

// Real git fetches, two renders and a reconcile against the API double per event.
jest.setTimeout(240_000)

describe('the Probot app on a merged pull request', () => {
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let cluster: FleetCluster
  let mergeSha: string
  let target: PrTarget
  let dir: string
  let logs: string[]

  beforeEach(async () => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    fleet = makeFleetRepo()
    mergeSha = fleet.mergeFeature()
    gh = await startGitHubDouble()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    // The installation has exactly what app.yml asks for (deployments: write among them).
    gh.installationPermissions = (parse(readFileSync('app.yml', 'utf8')) as { default_permissions: TokenPermissions }).default_permissions
    repo.pulls.push(gh.pull(repo, { number: PR, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.headSha }))
    const read = (path: string): string => execFileSync('git', ['-C', fleet.dir, 'show', `${fleet.baseSha}:${path}`], { encoding: 'utf8' })
    cluster = await startFleetCluster(read, fleet.baseSha, mergeSha)
    target = { owner: 'acme', repo: 'fleet', number: PR, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha }, cloneUrl: `${gh.url}/acme/fleet.git` }
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-app-post-merge-'))
    writeFileSync(join(dir, 'kubeconfig'), cluster.kubeconfig, { mode: 0o600 })
    logs = []
  })
  afterEach(async () => {
    for (const k of ['FLUXGATE_CACHE_DIR', 'FLUXGATE_KUBECONFIG', 'FLUXGATE_RECONCILE_TIMEOUT']) delete process.env[k]
    await cluster.stop()
    await gh.close()
    fleet.cleanup()
    rmSync(dir, { recursive: true, force: true })
    nock.cleanAll()
    nock.enableNetConnect()
  })

  /** A Probot with the app loaded; settings are read from the environment at load. */
  function probotWith(env: Record<string, string>): Probot {
    process.env['FLUXGATE_CACHE_DIR'] = join(dir, 'cache')
    Object.assign(process.env, env)
    const probot = new Probot({ appId: 123, privateKey, baseUrl: gh.url, logLevel: 'info', log: captureLogger(logs) as never, Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) })
    probot.load(app)
    return probot
  }

  // Reviews run on the app's queue after the delivery is answered: wait for them.
  async function receive(probot: Probot, name: string, payload: unknown) {
    await probot.receive({ id: String(Math.random()), name, payload } as never)
    await probot.ready()
    await reviewQueueOf(probot)!.drained()
  }

  it('reviews, then on the merge reconciles: one successful Deployment and the same comment updated', async () => {
    const probot = probotWith({ FLUXGATE_KUBECONFIG: join(dir, 'kubeconfig'), FLUXGATE_RECONCILE_TIMEOUT: '30' })
    await receive(probot, 'pull_request', pullRequestEvent('opened', target))
    expect(repo.comments).toHaveLength(1)
    const stickyId = repo.comments[0]!.id
    const before = gh.requests.length

    await receive(probot, 'pull_request', mergedPullRequestEvent(target, mergeSha))

    expect(cluster.controller.handled.map((h) => `${h.kind}/${h.name}`)).toEqual(['GitRepository/flux-system', 'Kustomization/apps'])
    expect(repo.deployments.map((d) => [d.environment, d.sha, d.statuses.map((s) => s.state)])).toEqual([['prod', mergeSha, ['in_progress', 'success']]])
    const after = gh.requests.slice(before).filter((r) => r.method !== 'GET')
    expect(after.filter((r) => r.path.includes('/issues/')).map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /repos/acme/fleet/issues/comments/${stickyId}`])
    expect(repo.comments).toHaveLength(1)
    expect(repo.comments[0]!.body).toContain('<!-- fluxgate:plan -->')
    expect(repo.comments[0]!.body).toContain(RECONCILE_START)
    expect(repo.comments[0]!.body).toContain(`Applied revision: main@sha1:${mergeSha}`)
    for (const text of [logs.join('\n'), JSON.stringify(gh.requests), JSON.stringify(repo.comments), JSON.stringify(repo.deployments)]) expect(text).not.toContain(KUBE_TOKEN)
  })

  it('quotes Flux\'s Ready message when a Kustomization fails, and the Deployment fails', async () => {
    const message = 'kustomize build failed: accumulating resources from \'./missing\': no such file'
    cluster.controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'BuildFailed', message })
    repo.comments.push({ id: 77, issue: PR, body: '<!-- fluxgate:plan -->\n## Fluxgate plan', user: { login: 'fluxgate[bot]', type: 'Bot' }, created_at: '', updated_at: '' })
    const probot = probotWith({ FLUXGATE_KUBECONFIG: join(dir, 'kubeconfig'), FLUXGATE_RECONCILE_TIMEOUT: '30' })

    await receive(probot, 'pull_request', mergedPullRequestEvent(target, mergeSha))

    expect(repo.deployments).toHaveLength(1)
    expect(repo.deployments[0]!.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(repo.comments.map((c) => c.id)).toEqual([77])
    expect(repo.comments[0]!.body).toContain(`BuildFailed: ${message}`)
    expect(logs.join('\n')).toContain('post-merge reconcile FAILED')
  })

  it('without cluster access it logs and does nothing', async () => {
    const probot = probotWith({})

    await receive(probot, 'pull_request', mergedPullRequestEvent(target, mergeSha))

    expect(gh.writes()).toEqual([])
    expect(cluster.server.log).toEqual([])
    expect(logs.join('\n')).toContain('no cluster access configured')
  })
})

/** A pino-like logger that keeps every line, for "never in the output" checks. */
function captureLogger(lines: string[]): Record<string, unknown> {
  const write = (...args: unknown[]): void => {
    lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '))
  }
  const logger: Record<string, unknown> = { trace: write, debug: write, info: write, warn: write, error: write, fatal: write, level: 'info' }
  logger['child'] = () => logger
  return logger
}

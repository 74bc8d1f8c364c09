import { getOctokit } from '@actions/github'
import { reconcileWithDeployments, type ClusterRun } from '../../src/adapters/github/deployments.js'
import type { GitHubClient } from '../../src/adapters/github/client.js'
import { planReconcile } from '../../src/core/reconcile/plan-reconcile.js'
import { runReconcile } from '../../src/core/reconcile/run-reconcile.js'
import { RECONCILE_START } from '../../src/report/reconcile.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { systemClock } from '../../src/infra/clock.js'
import { FluxTestController, startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver/index.js'
import { SHA_MERGE, clientFor, clusterPlan, headCluster, seedFlux } from './fleet.js'
import { createFleetRepo } from './fleet-repo.js'

const GH_TOKEN = 'ghs_deployment_token_never_shown_0042'

let gh: GitHubDouble
let repo: RepoState
let mergeSha: string
let server: KubeApiServer
let controller: FluxTestController

beforeEach(async () => {
  const fleet = createFleetRepo()
  mergeSha = fleet.mergeSha
  gh = await startGitHubDouble()
  repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
  repo.comments.push({ id: 1, issue: 7, body: '<!-- fluxgate:plan -->\n## Fluxgate plan\n3 changes', user: { login: 'fluxgate[bot]', type: 'Bot' }, created_at: '2026-11-29T10:00:00Z', updated_at: '2026-11-29T10:00:00Z' })
  repo.comments.push({ id: 2, issue: 7, body: 'LGTM', user: { login: 'octocat', type: 'User' }, created_at: '2026-11-29T10:01:00Z', updated_at: '2026-11-29T10:01:00Z' })
  server = await startKubeApiServer()
  controller = new FluxTestController(server).start()
  controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', `main@sha1:${SHA_MERGE}`)
  seedFlux(server)
})

afterEach(async () => {
  controller.stop()
  await server.stop()
  await gh.close()
})

function client(): GitHubClient {
  return getOctokit(GH_TOKEN, { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient
}

function stagingRun(): ClusterRun {
  const { cluster } = clientFor(server)
  return { cluster: 'staging', run: () => runReconcile(cluster, planReconcile(clusterPlan(), headCluster()), { mergeSha: SHA_MERGE, timeouts: { objectMs: 5000, sourceMs: 5000, pollMs: 50 }, clock: systemClock }) }
}

describe('reporting a reconcile to GitHub', () => {
  it('creates one Deployment per cluster, in_progress then success, and updates the sticky comment', async () => {
    const failing: ClusterRun = { cluster: 'production', run: () => Promise.reject(new Error('no route to the production API server')) }

    const out = await reconcileWithDeployments(client(), { owner: 'acme', repo: 'fleet' }, { sha: mergeSha, pullNumber: 7, logUrl: 'https://ci.example/run/1' }, [stagingRun(), failing])

    expect(out.map((o) => `${o.cluster}=${o.state}`)).toEqual(['staging=success', 'production=failure'])
    expect(repo.deployments.map((d) => [d.environment, d.sha, d.statuses.map((s) => s.state)])).toEqual([
      ['staging', mergeSha, ['in_progress', 'success']],
      ['production', mergeSha, ['in_progress', 'failure']],
    ])
    expect(repo.comments.filter((c) => c.issue === 7)).toHaveLength(2)
    const sticky = repo.comments.find((c) => c.id === 1)!.body
    expect(sticky).toContain('## Fluxgate plan')
    expect(sticky).toContain(RECONCILE_START)
    expect(sticky).toMatch(/\| ✅ \| Kustomization flux-system\/apps \| `main@sha1:abcdef/)
    expect(sticky).toContain('Applied revision: main@sha1:')
    expect(repo.comments.find((c) => c.id === 2)!.body).toBe('LGTM')
  })

  it('quotes Flux\'s message on failure and replaces the reconcile section on a second run', async () => {
    controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'HealthCheckFailed', message: 'timeout waiting for: [Deployment/apps/web status: InProgress]' })
    const c = client()

    await reconcileWithDeployments(c, { owner: 'acme', repo: 'fleet' }, { sha: mergeSha, pullNumber: 7 }, [stagingRun()])
    await reconcileWithDeployments(c, { owner: 'acme', repo: 'fleet' }, { sha: mergeSha, pullNumber: 7 }, [stagingRun()])

    const last = repo.deployments.at(-1)!.statuses.at(-1)!
    expect(last).toMatchObject({ state: 'failure', description: 'Kustomization apps failed: HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: InProgress]' })
    const sticky = repo.comments.find((c) => c.id === 1)!.body
    expect(sticky.split(RECONCILE_START)).toHaveLength(2)
    expect(sticky).toContain('HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: InProgress]')
    expect(JSON.stringify({ comments: repo.comments, deployments: repo.deployments, log: gh.requests })).not.toContain(GH_TOKEN)
  })

  it('marks a cluster with nothing reconciled inactive', async () => {
    const { cluster } = clientFor(server)
    const idle: ClusterRun = { cluster: 'staging', run: () => runReconcile(cluster, { cluster: 'staging', sources: [], targets: [], notes: [] }, { mergeSha: SHA_MERGE, clock: systemClock }) }

    const out = await reconcileWithDeployments(client(), { owner: 'acme', repo: 'fleet' }, { sha: mergeSha }, [idle])

    expect(out[0]?.state).toBe('inactive')
    expect(repo.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'inactive'])
  })
})

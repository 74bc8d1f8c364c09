import { getOctokit } from '@actions/github'
import type { GitHubClient } from '../../src/adapters/github/client.js'
import { GitHubDeployHost } from '../../src/adapters/github/deploy-host.js'
import { postMergeFlow } from '../../src/flows/index.js'
import { GitRepo } from '../../src/infra/git-repo.js'
import type { K8sCluster } from '../../src/infra/k8s-cluster.js'
import { systemClock } from '../../src/infra/clock.js'
import { RECONCILE_START } from '../../src/report/reconcile.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { FluxTestController, startKubeApiServer, type KubeApiServer, type StoredObject } from '../support/kube-apiserver/index.js'
import { clientFor } from './fleet.js'
import { baseObjects, createFleetRepo, type FleetRepo } from './fleet-repo.js'

const GH_TOKEN = 'ghs_deployment_token_never_shown_0042'

let gh: GitHubDouble
let repo: RepoState
let fleet: FleetRepo
let server: KubeApiServer
let controller: FluxTestController
let cluster: K8sCluster

beforeAll(() => {
  fleet = createFleetRepo()
})

beforeEach(async () => {
  gh = await startGitHubDouble()
  repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
  repo.comments.push({ id: 1, issue: 7, body: '<!-- fluxgate:plan -->\n## Fluxgate plan\n3 changes', user: { login: 'fluxgate[bot]', type: 'Bot' }, created_at: '2026-11-29T10:00:00Z', updated_at: '2026-11-29T10:00:00Z' })
  repo.comments.push({ id: 2, issue: 7, body: 'LGTM', user: { login: 'octocat', type: 'User' }, created_at: '2026-11-29T10:01:00Z', updated_at: '2026-11-29T10:01:00Z' })
  server = await startKubeApiServer()
  controller = new FluxTestController(server).start()
  const oldRev = `main@sha1:${fleet.baseSha}`
  for (const o of baseObjects()) {
    const ready = [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${oldRev}`, lastTransitionTime: '2026-11-29T10:00:00Z' }]
    const status = o.kind === 'GitRepository' ? { artifact: { revision: oldRev }, conditions: ready } : { lastAppliedRevision: oldRev, lastAttemptedRevision: oldRev, conditions: ready }
    server.seed(o.apiVersion.includes('fluxcd.io') ? ({ ...o, status } as unknown as StoredObject) : o)
  }
  controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', `main@sha1:${fleet.mergeSha}`)
  cluster = clientFor(server).cluster
})

afterEach(async () => {
  controller.stop()
  await server.stop()
  await gh.close()
})

function host(): GitHubDeployHost {
  const client = getOctokit(GH_TOKEN, { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient
  return new GitHubDeployHost(client, { owner: 'acme', repo: 'fleet' }, 'https://ci.example/run/1')
}

function postMerge(extra: { pullNumber?: number; cluster?: K8sCluster } = {}) {
  return postMergeFlow({ source: new GitRepo(fleet.dir), mergeSha: fleet.mergeSha, branch: 'main', cluster, timeouts: { objectMs: 10_000, sourceMs: 10_000, pollMs: 50 }, host: host(), secretValues: [GH_TOKEN], clock: systemClock, ...extra })
}

describe('the post-merge flow reporting to GitHub', () => {
  it('creates one Deployment for the cluster, in_progress then success, and updates the sticky comment', async () => {
    const out = await postMerge({ pullNumber: 7 })

    expect(out).toMatchObject({ ok: true, cluster: 'staging', pullNumber: 7 })
    expect(out.deployments.map((d) => `${d.cluster}=${d.state}`)).toEqual(['staging=success'])
    expect(repo.deployments.map((d) => [d.environment, d.sha, d.statuses.map((s) => s.state)])).toEqual([['staging', fleet.mergeSha, ['in_progress', 'success']]])
    expect(repo.comments.filter((c) => c.issue === 7)).toHaveLength(2)
    const sticky = repo.comments.find((c) => c.id === 1)!.body
    expect(sticky).toContain('## Fluxgate plan')
    expect(sticky).toContain(RECONCILE_START)
    expect(sticky).toMatch(/\| ✅ \| Kustomization flux-system\/apps \| `main@sha1:/)
    expect(repo.comments.find((c) => c.id === 2)!.body).toBe('LGTM')
  })

  it("quotes Flux's message on failure and replaces the reconcile section on a second run", async () => {
    controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'HealthCheckFailed', message: 'timeout waiting for: [Deployment/apps/web status: InProgress]' })

    await postMerge({ pullNumber: 7 })
    const second = await postMerge({ pullNumber: 7 })

    expect(second.ok).toBe(false)
    const last = repo.deployments.at(-1)!.statuses.at(-1)!
    expect(last).toMatchObject({ state: 'failure', description: 'Kustomization apps failed: HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: InProgress]' })
    const sticky = repo.comments.find((c) => c.id === 1)!.body
    expect(sticky.split(RECONCILE_START)).toHaveLength(2)
    // Flux's message is escaped for the table (`[` is `\[`); a reader sees it as Flux wrote it.
    expect(sticky.replace(/\\([[\]])/g, '$1')).toContain('HealthCheckFailed: timeout waiting for: [Deployment/apps/web status: InProgress]')
    expect(JSON.stringify({ comments: repo.comments, deployments: repo.deployments, log: gh.requests })).not.toContain(GH_TOKEN)
  })

  it('marks the Deployment failed when the cluster cannot be reached, and says why', async () => {
    const gone = await startKubeApiServer()
    const unreachable = clientFor(gone).cluster
    await gone.stop()

    const out = await postMerge({ pullNumber: 7, cluster: unreachable })

    expect(out.ok).toBe(false)
    expect(repo.deployments[0]?.statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(repo.deployments[0]?.statuses.at(-1)?.description).toBeTruthy()
  })

  it('asks GitHub which pull request the merge commit belongs to when the event does not say', async () => {
    repo.pulls.push(gh.pull(repo, { number: 7, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.mergeSha }))
    const pr = repo.pulls.at(-1) as unknown as { merged_at?: string; merge_commit_sha?: string }
    pr.merged_at = '2026-11-29T11:00:00Z'
    pr.merge_commit_sha = fleet.mergeSha

    const out = await postMerge()

    expect(out.pullNumber).toBe(7)
    expect(repo.comments.find((c) => c.id === 1)!.body).toContain(RECONCILE_START)
  })
})

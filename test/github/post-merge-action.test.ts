import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { RECONCILE_START } from '../../src/report/reconcile.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { KUBE_TOKEN, startFleetCluster, type FleetCluster } from './support/cluster.js'
import { makeFleetRepo, type FleetRepo } from './support/fleet-repo.js'
import { pushEvent, type PrTarget } from './support/payloads.js'
import { runAction } from './support/run-action.js'

const PR = 7
const TOKEN = 'ghs_workflow_token_post_merge'
const printed = (stdout: string): string => stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')
const STICKY = '<!-- fluxgate:plan -->\n## Fluxgate plan\n\n2 changes on prod'

// Real git, two renders and a reconcile against the API double, in a child process.
jest.setTimeout(240_000)

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/bundle.mjs'])
})

describe('the Action (dist/index.js) on a push to the default branch', () => {
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let cluster: FleetCluster
  let mergeSha: string
  let target: PrTarget

  beforeEach(async () => {
    fleet = makeFleetRepo()
    mergeSha = fleet.mergeFeature()
    gh = await startGitHubDouble()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    const pull = gh.pull(repo, { number: PR, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.headSha })
    repo.pulls.push({ ...pull, state: 'closed', merged: true, merged_at: '2026-11-29T21:00:00Z', merge_commit_sha: mergeSha })
    // The review left the sticky comment; a person commented after it.
    repo.comments.push({ id: 501, issue: PR, body: STICKY, user: { login: 'github-actions[bot]', type: 'Bot' }, created_at: '', updated_at: '' })
    repo.comments.push({ id: 502, issue: PR, body: 'ship it', user: { login: 'alice', type: 'User' }, created_at: '', updated_at: '' })
    const read = (path: string): string => execFileSync('git', ['-C', fleet.dir, 'show', `${fleet.baseSha}:${path}`], { encoding: 'utf8' })
    cluster = await startFleetCluster(read, fleet.baseSha, mergeSha)
    target = { owner: 'acme', repo: 'fleet', number: PR, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha } }
  })
  afterEach(async () => {
    await cluster.stop()
    await gh.close()
    fleet.cleanup()
  })

  function push() {
    return runAction({ apiUrl: gh.url, workspace: fleet.dir, eventName: 'push', payload: pushEvent(target, mergeSha), inputs: { 'github-token': TOKEN, kubeconfig: cluster.kubeconfig, 'reconcile-timeout': '30s' } })
  }

  it('reconciles the source then the changed Kustomization, reports one successful Deployment and edits the sticky comment', async () => {
    const run = await push()

    expect(run.code).toBe(0)
    expect(gh.calls('GET', `/repos/acme/fleet/commits/${mergeSha}/pulls`)).toHaveLength(1)
    expect(cluster.controller.handled.map((h) => `${h.kind}/${h.name}`)).toEqual(['GitRepository/flux-system', 'Kustomization/apps'])
    expect(repo.deployments.map((d) => [d.environment, d.sha, d.statuses.map((s) => s.state)])).toEqual([['prod', mergeSha, ['in_progress', 'success']]])
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)).toEqual([])
    expect(gh.calls('PATCH', '/repos/acme/fleet/issues/comments/501')).toHaveLength(1)
    expect(repo.comments.map((c) => c.id)).toEqual([501, 502])
    const sticky = repo.comments[0]!.body
    expect(sticky.startsWith(STICKY)).toBe(true)
    expect(sticky).toContain(RECONCILE_START)
    expect(sticky).toContain(`| ✅ | Kustomization flux-system/apps | \`main@sha1:${mergeSha}\` | Applied revision: main@sha1:${mergeSha} |`)
    expect(run.summary).toContain('Merged pull request #7')
    // Only the reconcile annotation is written, under the field manager `fluxgate`.
    const writes = cluster.server.log.filter((e) => e.method !== 'GET')
    expect(writes.map((e) => [e.method, e.path, e.query['fieldManager']])).toEqual([
      ['PATCH', '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system', 'fluxgate'],
      ['PATCH', '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps', 'fluxgate'],
    ])
    // `::add-mask::` lines are the runner's masking commands, consumed and never shown.
    expect(run.stdout).toContain(`::add-mask::${KUBE_TOKEN}`)
    for (const text of [printed(run.stdout), run.summary, JSON.stringify(gh.requests), JSON.stringify(repo.comments), JSON.stringify(repo.deployments)]) {
      expect(text).not.toContain(KUBE_TOKEN)
      expect(text).not.toContain(cluster.server.url)
    }
    expect(printed(run.stdout)).not.toContain(TOKEN)
    // The kubeconfig's temporary file is gone after the step.
    expect(readdirSync(run.runnerTemp).filter((f) => f.startsWith('fluxgate-kube-'))).toEqual([])
  })

  it('on a failing Kustomization: the Deployment fails, the comment quotes Flux\'s Ready message, the step fails', async () => {
    const message = 'Deployment/default/web dry-run failed: spec.template.spec.containers[0].image: Required value'
    cluster.controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'ReconciliationFailed', message })

    const run = await push()

    expect(run.code).not.toBe(0)
    expect(repo.deployments).toHaveLength(1)
    const statuses = repo.deployments[0]!.statuses
    expect(statuses.map((s) => s.state)).toEqual(['in_progress', 'failure'])
    expect(statuses[1]!.description).toContain('ReconciliationFailed')
    expect(repo.comments.map((c) => c.id)).toEqual([501, 502])
    // The comment escapes markdown in Flux's message (`[0]` is `\[0\]` in the table); what a reader sees is the message.
    expect(repo.comments[0]!.body.replace(/\\([[\]])/g, '$1')).toContain(`ReconciliationFailed: ${message}`)
    expect(repo.comments[0]!.body).toContain('❌ failed')
    expect(run.stdout).toContain('post-merge reconcile failed')
    expect(printed(run.stdout) + run.summary).not.toContain(KUBE_TOKEN)
  })

  it('a second run edits the same comment section and adds a Deployment, never a comment', async () => {
    await push()
    const again = await push()

    expect(again.code).toBe(0)
    expect(repo.comments).toHaveLength(2)
    expect(repo.comments[0]!.body.split(RECONCILE_START)).toHaveLength(2)
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)).toEqual([])
  })
})

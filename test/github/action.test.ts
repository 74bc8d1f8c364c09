import { jest } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { execFileSync } from 'node:child_process'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { makeFleetRepo, webDeployment, type FleetRepo } from './support/fleet-repo.js'
import { approveButtonEvent, mergeGroupEvent, prCommentEvent, pullRequestEvent, pushEvent, type PrTarget } from './support/payloads.js'
import { runAction } from './support/run-action.js'
import { describeWith, node24Path } from '../support/components.js'

const PR = 7
const TOKEN = 'ghs_workflow_token'
const COMMENTS = `/repos/acme/fleet/issues/${PR}/comments`

// Each case runs real git and whole renders (the Action: a child process per event); a
// loaded CI machine needs more than the default minute.
jest.setTimeout(240_000)

// The Action runs from the committed bundle, as the Actions runner runs it.
beforeAll(() => {
  execFileSync(process.execPath, ['scripts/bundle.mjs'])
})

// The bundle runs under the machine's Node and under Node 24, the runtime action.yml names.
const NODE24 = node24Path()
const NODES: [string, string][] = [[`Node ${process.versions.node.split('.')[0]}`, process.execPath], ...(NODE24 ? [['Node 24', NODE24] as [string, string]] : [])]
if (!NODE24) describeWith(['node24'], 'the Action (dist/index.js) under Node 24', () => {})

describe.each(NODES)('the Action (dist/index.js, %s) against the GitHub double', (label, node) => {
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let target: PrTarget

  beforeEach(async () => {
    gh = await startGitHubDouble()
    fleet = makeFleetRepo()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    repo.permissions.set('alice', 'write')
    repo.permissions.set('mallory', 'read')
    target = { owner: 'acme', repo: 'fleet', number: PR, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha } }
    repo.pulls.push(gh.pull(repo, { number: PR, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.headSha }))
  })
  afterEach(async () => {
    await gh.close()
    fleet.cleanup()
  })

  function action(eventName: string, payload: unknown, inputs: Record<string, string> = {}) {
    return runAction({ apiUrl: gh.url, workspace: fleet.dir, eventName, payload, inputs: { 'github-token': TOKEN, ...inputs }, node })
  }

  it(`runs under ${label}`, () => {
    expect(execFileSync(node, ['--version'], { encoding: 'utf8' })).toMatch(new RegExp(`^v${label.split(' ')[1]}\\.`))
  })

  it('posts one comment and one failing check run, then edits both on a second run', async () => {
    const first = await action('pull_request', pullRequestEvent('opened', target))

    expect(first.code).toBe(0)
    expect(gh.calls('POST', COMMENTS)).toHaveLength(1)
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs')).toHaveLength(1)
    const run = repo.checkRuns[0]!
    expect(run).toMatchObject({ name: 'fluxgate', head_sha: fleet.headSha, status: 'completed', conclusion: 'failure' })
    expect(run.actions.map((a) => a.identifier)).toEqual(['approve'])
    expect(repo.comments[0]!.body).toContain('<!-- fluxgate:plan -->')
    expect(repo.comments[0]!.body).toContain('PersistentVolumeClaim')
    expect(first.outputs).toMatchObject({ changed: '2', pruned: '1', conclusion: 'failure' })
    expect(JSON.parse(readFileSync(first.outputs['report']!, 'utf8')).totals).toMatchObject({ change: 1, delete: 1 })
    expect(first.summary).toContain('## ❌ Fluxgate: merge blocked')
    expect(first.summary).toContain(`/fluxgate approve ${fleet.headSha}`)

    const second = await action('pull_request', pullRequestEvent('reopened', target))

    expect(second.code).toBe(0)
    expect(gh.calls('POST', COMMENTS)).toHaveLength(1)
    // One comment all along: created with the plan (comment: on-change, so no running note in a
    // comment that does not exist yet); on the second run edited to the running note, then to the plan.
    const commentWrites = gh.writes().filter((w) => w.path.includes('/issues/')).map((w) => `${w.method} ${(w.body as { body: string }).body.includes('running…') ? 'running' : 'plan'}`)
    expect(commentWrites).toEqual(['POST plan', 'PATCH running', 'PATCH plan'])
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs')).toHaveLength(1)
    expect(gh.calls('PATCH', `/repos/acme/fleet/check-runs/${run.id}`)).toHaveLength(1)
    expect(repo.comments).toHaveLength(1)
    expect(repo.checkRuns).toHaveLength(1)
    // Annotations already on the run are not appended a second time.
    expect(run.annotations.length).toBe(run.output.annotations_count)
    expect(new Set(run.annotations.map((a) => JSON.stringify(a))).size).toBe(run.annotations.length)
  })

  it('counts the approval label for the head commit, and drops it when new commits are pushed', async () => {
    repo.labels.set(PR, ['fluxgate/approved'])
    repo.labelEvents.push({ issue: PR, label: 'fluxgate/approved', actor: 'alice' })

    const approved = await action('pull_request', pullRequestEvent('labeled', target, { sender: 'alice', label: 'fluxgate/approved' }))

    expect(approved.code).toBe(0)
    expect(repo.checkRuns[0]).toMatchObject({ head_sha: fleet.headSha, conclusion: 'success' })

    const newHead = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.27') }, 'bump again')
    repo.pulls[0]!.head.sha = newHead
    const pushed = await action('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: newHead } }))

    expect(pushed.code).toBe(0)
    expect(gh.calls('DELETE', `/repos/acme/fleet/issues/${PR}/labels/fluxgate/approved`)).toHaveLength(1)
    expect(repo.checkRuns.find((r) => r.head_sha === newHead)).toMatchObject({ conclusion: 'failure' })
    expect(repo.checkRuns.find((r) => r.head_sha === fleet.headSha)).toMatchObject({ conclusion: 'success' })
    expect(repo.comments).toHaveLength(1)
  })

  /** A `/fluxgate approve` comment stored on the pull request, and its issue_comment event. */
  function approveComment(id: number, body: string, by: string) {
    repo.comments.push({ id, issue: PR, body, user: { login: by, type: 'User' }, created_at: '', updated_at: '' })
    const event = prCommentEvent(target, body, by)
    event.comment.id = id
    return event
  }

  it('takes `/fluxgate approve <head sha>` from a user with write access only, and says so on the comment', async () => {
    await action('pull_request', pullRequestEvent('opened', target))

    await action('issue_comment', approveComment(9001, `/fluxgate approve ${fleet.headSha}`, 'mallory'))

    expect(repo.checkRuns[0]!.conclusion).toBe('failure')
    expect(repo.reactions).toMatchObject([{ commentId: 9001, content: 'confused' }])
    const reply = repo.comments.at(-1)!
    expect(reply).toMatchObject({ issue: PR, user: { type: 'Bot' } })
    expect(reply.body).toContain('@mallory')
    expect(reply.body).toContain('needs write access')

    await action('issue_comment', approveComment(9002, `/fluxgate approve ${fleet.headSha}`, 'alice'))

    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.checkRuns[0]!.conclusion).toBe('success')
    expect(repo.checkRuns[0]!.output.summary).toContain('Approved by `alice`')
    expect(repo.reactions.map((r) => [r.commentId, r.content])).toEqual([[9001, 'confused'], [9002, '+1']])
    expect(gh.calls('GET', '/repos/acme/fleet/collaborators/alice/permission').length).toBeGreaterThan(0)
  })

  it('refuses an approval naming another commit, an abbreviated SHA or none at all, with a reply saying what to write', async () => {
    await action('pull_request', pullRequestEvent('opened', target))

    await action('issue_comment', approveComment(9003, `/fluxgate approve ${fleet.baseSha}`, 'alice'))
    await action('issue_comment', approveComment(9004, `/fluxgate approve ${fleet.headSha.slice(0, 10)}`, 'alice'))
    await action('issue_comment', approveComment(9005, '/fluxgate approve', 'alice'))

    expect(repo.checkRuns[0]!.conclusion).toBe('failure')
    expect(repo.reactions.map((r) => [r.commentId, r.content])).toEqual([[9003, 'confused'], [9004, 'confused'], [9005, 'confused']])
    const replies = repo.comments.filter((c) => c.user.type === 'Bot' && !c.body.includes('fluxgate:plan')).map((c) => c.body)
    expect(replies[0]).toContain(`is not the head of this pull request (\`${fleet.headSha}\`)`)
    expect(replies[1]).toContain('abbreviated commit')
    expect(replies[2]).toContain(`\`/fluxgate approve ${fleet.headSha}\``)

    await action('issue_comment', approveComment(9006, `/fluxgate approve ${fleet.headSha}`, 'alice'))

    expect(repo.checkRuns[0]!.conclusion).toBe('success')
    expect(repo.reactions.at(-1)).toMatchObject({ commentId: 9006, content: '+1' })
  })

  it('answers /fluxgate help and an unknown command on the comment, without planning', async () => {
    await action('issue_comment', approveComment(9010, '/fluxgate help', 'mallory'))
    await action('issue_comment', approveComment(9011, '/fluxgate aprove', 'mallory'))

    expect(repo.reactions.map((r) => [r.commentId, r.content])).toEqual([[9010, '+1'], [9011, 'confused']])
    const replies = repo.comments.filter((c) => c.user.type === 'Bot').map((c) => c.body)
    expect(replies[0]).toContain('`/fluxgate plan`')
    expect(replies[1]).toContain('`/fluxgate aprove` is not a Fluxgate command')
    expect(repo.checkRuns).toHaveLength(0)
  })

  it("refuses the pull request author's own approval", async () => {
    repo.pulls[0]!.user.login = 'alice'
    await action('pull_request', pullRequestEvent('opened', target))

    await action('issue_comment', approveComment(9007, `/fluxgate approve ${fleet.headSha}`, 'alice'))

    expect(repo.checkRuns[0]!.conclusion).toBe('failure')
    expect(repo.comments.at(-1)!.body).toContain('the author of a pull request cannot approve it')
  })

  it('takes the check run Approve button, and the approval carries into the merge queue', async () => {
    await action('pull_request', pullRequestEvent('opened', target))

    await action('check_run', approveButtonEvent(target, 'alice', repo.checkRuns[0]!.id))

    expect(repo.checkRuns[0]!.conclusion).toBe('success')

    const queueSha = fleet.commitBase({ 'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n', 'apps/pvc.yaml': null, 'apps/deployment.yaml': webDeployment('1.26') }, 'merge queue head')
    const queued = await action('merge_group', mergeGroupEvent(target, queueSha))

    expect(queued.code).toBe(0)
    expect(repo.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [fleet.headSha, 'success'],
      [queueSha, 'success'],
    ])
    expect(repo.checkRuns[1]!.output.summary).toContain('Approved by `alice`')
  })

  it('reads the gate config from the base branch, never from the pull request', async () => {
    await gh.close()
    fleet.cleanup()
    fleet = makeFleetRepo({ headConfig: 'policies:\n  high-risk-deletion: off\n' })
    gh = await startGitHubDouble()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    target = { ...target, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha } }

    await action('pull_request', pullRequestEvent('opened', target))

    expect(repo.checkRuns[0]!.conclusion).toBe('failure')
  })

  it('with render-cache: keeps renders in the chart-cache folder, reads them back on the next run, and a fork only reads', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'fluxgate-action-cache-'))
    try {
      const records = (): string[] => readdirSync(join(cacheDir, 'renders'), { recursive: true }).map(String).filter((n) => n.endsWith('.rec')).sort()
      const inputs = { 'render-cache': 'true', 'chart-cache': cacheDir }
      const fork = await action('pull_request', pullRequestEvent('opened', { ...target, fork: true }), inputs)
      expect(fork.stdout).toMatch(/units: \d+ rendered, \d+ reused \(0 from the render cache\), 0 stored/)
      expect(existsSync(join(cacheDir, 'renders')) ? records() : []).toEqual([])

      const first = await action('pull_request', pullRequestEvent('opened', target), inputs)
      expect(first.stdout).toMatch(/units: \d+ rendered, \d+ reused \(0 from the render cache\), [1-9]\d* stored/)
      const kept = records()
      expect(kept.length).toBeGreaterThan(0)
      const second = await action('pull_request', pullRequestEvent('synchronize', target), inputs)
      expect(second.stdout).toMatch(/units: 0 rendered, \d+ reused \([1-9]\d* from the render cache\)/)
      expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' })
      expect(second.outputs).toMatchObject({ changed: '2', pruned: '1', conclusion: 'failure' })
      expect(records()).toEqual(kept)
    } finally {
      rmSync(cacheDir, { recursive: true, force: true })
    }
  })

  it('on a fork with a read-only token: no comment, plan in the job summary, job status is the gate', async () => {
    gh.tokens.set(TOKEN, { issues: 'read', checks: 'read', statuses: 'read', pull_requests: 'read', contents: 'read' })

    const run = await action('pull_request', pullRequestEvent('opened', { ...target, fork: true }))

    expect(repo.comments).toHaveLength(0)
    expect(repo.checkRuns).toHaveLength(0)
    expect(gh.writes().map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      `POST ${COMMENTS} 403`,
      'POST /repos/acme/fleet/check-runs 403',
      `POST /repos/acme/fleet/statuses/${fleet.headSha} 403`,
    ])
    expect(run.summary).toContain('may not comment')
    expect(run.summary).toContain('PersistentVolumeClaim')
    expect(run.code).not.toBe(0)
  })

  it('publishes a neutral check run, never success, when the change cannot be planned', async () => {
    const run = await action('pull_request', pullRequestEvent('opened', target), { base: 'f'.repeat(40) })

    expect(run.code).not.toBe(0)
    expect(repo.checkRuns).toMatchObject([{ head_sha: fleet.headSha, conclusion: 'neutral' }])
    expect(repo.checkRuns[0]!.output.title).toContain('could not evaluate')
    // The running note does not stay: the one comment says the plan could not be made.
    expect(repo.comments).toHaveLength(1)
    expect(repo.comments[0]!.body).toContain('could not be made')
    expect(repo.comments[0]!.body).not.toContain('running…')
  })

  it('after a merge to the default branch says there is nothing to do without a kubeconfig', async () => {
    const run = await action('push', pushEvent(target, fleet.headSha))

    expect(run.code).toBe(0)
    expect(run.summary).toContain('Nothing to do after the merge without a kubeconfig')
    expect(gh.writes()).toEqual([])
  })

  it('never prints the token', async () => {
    const run = await action('pull_request', pullRequestEvent('opened', target))

    // `::add-mask::` is the command that tells the runner to mask the value everywhere else.
    const printed = run.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::'))
    expect(printed.join('\n')).not.toContain(TOKEN)
    expect(run.stdout).toContain(`::add-mask::${TOKEN}`)
    expect(existsSync(run.outputs['report']!)).toBe(true)
    expect(readFileSync(run.outputs['report']!, 'utf8')).not.toContain(TOKEN)
  })
})

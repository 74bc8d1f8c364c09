import { jest } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import app, { reviewQueueOf } from '../../src/adapters/app/index.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { BASE_APPS, makeFleetRepo, webDeployment, type FleetRepo } from './support/fleet-repo.js'
import { approveButtonEvent, mergeGroupEvent, prCommentEvent, pullRequestEvent, type PrTarget } from './support/payloads.js'

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const PR = 12

// Each case runs real git and whole renders (the Action: a child process per event); a
// loaded CI machine needs more than the default minute.
jest.setTimeout(240_000)

describe('the Probot app against the GitHub double', () => {
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let target: PrTarget
  let probot: Probot
  let cache: string

  beforeEach(async () => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    gh = await startGitHubDouble()
    fleet = makeFleetRepo()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    repo.permissions.set('alice', 'admin')
    repo.pulls.push(gh.pull(repo, { number: PR, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.headSha }))
    target = { owner: 'acme', repo: 'fleet', number: PR, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha }, cloneUrl: `${gh.url}/acme/fleet.git` }
    cache = mkdtempSync(join(tmpdir(), 'fluxgate-app-cache-'))
    process.env['FLUXGATE_CACHE_DIR'] = cache
    probot = new Probot({ appId: 123, privateKey, baseUrl: gh.url, logLevel: 'warn', Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) })
    await probot.load(app)
  })
  afterEach(async () => {
    delete process.env['FLUXGATE_CACHE_DIR']
    await gh.close()
    fleet.cleanup()
    rmSync(cache, { recursive: true, force: true })
    nock.cleanAll()
    nock.enableNetConnect()
  })

  // The handler answers once the review is queued; the review runs after: wait for it.
  async function receive(name: string, payload: unknown) {
    await probot.receive({ id: String(Math.random()), name, payload } as never)
    await reviewQueueOf(probot)!.drained()
  }

  it('on pull_request.opened: exactly one comment and one check run, then edits the comment on synchronize', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))

    // Two installation tokens: the API client's, and one narrowed to contents:read for git fetch.
    // comment: on-change (the default): no running note in a comment that does not exist yet,
    // the comment is created once the plan shows a change.
    expect(gh.writes().map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      'POST /app/installations/2/access_tokens 201',
      'POST /app/installations/2/access_tokens 201',
      `POST /repos/acme/fleet/issues/${PR}/comments 201`,
      'POST /repos/acme/fleet/check-runs 201',
    ])
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)[0]!.body).toMatchObject({ body: expect.stringContaining('## ❌ Fluxgate: merge blocked') })
    expect(gh.calls('POST', '/app/installations/2/access_tokens').map((r) => r.body)).toContainEqual({ permissions: { contents: 'read' } })
    expect(repo.checkRuns[0]).toMatchObject({ name: 'fluxgate', head_sha: fleet.headSha, conclusion: 'failure' })
    expect(repo.checkRuns[0]!.annotations.length).toBeGreaterThan(0)
    expect(repo.comments[0]!.body).toContain('<!-- fluxgate:plan -->')

    const newHead = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.27') }, 'again')
    repo.pulls[0]!.head.sha = newHead
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: newHead } }))

    expect(repo.comments).toHaveLength(1)
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)).toHaveLength(1)
    // Edited to the running note and then to the plan on the push: never a second comment.
    expect(gh.calls('PATCH', `/repos/acme/fleet/issues/comments/${repo.comments[0]!.id}`).map((c) => ((c.body as { body: string }).body.includes('running…') ? 'running' : 'plan'))).toEqual(['running', 'plan'])
    expect(repo.comments[0]!.body).toContain(newHead.slice(0, 7))
    expect(repo.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [fleet.headSha, 'failure'],
      [newHead, 'failure'],
    ])
  })

  it('approves by a comment naming the head SHA from a user with write access, and the approval goes stale on a new push', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))

    const body = `/fluxgate approve ${fleet.headSha}`
    const comment = prCommentEvent(target, body, 'alice')
    repo.comments.push({ id: comment.comment.id, issue: PR, body, user: { login: 'alice', type: 'User' }, created_at: '', updated_at: '' })
    await receive('issue_comment', comment)

    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.checkRuns[0]!.conclusion).toBe('success')
    // Acknowledged on the comment itself, by the App's bot.
    expect(repo.reactions).toMatchObject([{ commentId: comment.comment.id, content: '+1', user: { login: 'fluxgate[bot]' } }])

    const newHead = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.28') }, 'again')
    repo.pulls[0]!.head.sha = newHead
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: newHead } }))

    expect(repo.checkRuns.find((r) => r.head_sha === newHead)!.conclusion).toBe('failure')
  })

  it('approves by the check run button and carries the approval to the merge queue head', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))
    const queueSha = fleet.commitBase({ 'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n', 'apps/pvc.yaml': null, 'apps/deployment.yaml': webDeployment('1.26') }, 'merge queue head')

    await receive('check_run', approveButtonEvent(target, 'alice', repo.checkRuns[0]!.id))
    await receive('merge_group', mergeGroupEvent(target, queueSha))

    expect(repo.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [fleet.headSha, 'success'],
      [queueSha, 'success'],
    ])
  })

  it('refuses an approval comment from a user without write access: a confused reaction and a reply, no review', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))
    repo.permissions.set('mallory', 'read')
    const body = `/fluxgate approve ${fleet.headSha}`
    const comment = prCommentEvent(target, body, 'mallory')
    repo.comments.push({ id: comment.comment.id, issue: PR, body, user: { login: 'mallory', type: 'User' }, created_at: '', updated_at: '' })
    const before = gh.requests.length

    await receive('issue_comment', comment)

    expect(repo.reactions).toMatchObject([{ commentId: comment.comment.id, content: 'confused' }])
    expect(gh.requests.slice(before).filter((r) => r.method !== 'GET' && !r.path.startsWith('/app/')).map((r) => `${r.method} ${r.path}`)).toEqual([
      `POST /repos/acme/fleet/issues/comments/${comment.comment.id}/reactions`,
      `POST /repos/acme/fleet/issues/${PR}/comments`,
    ])
    expect(repo.comments.at(-1)!.body).toContain('@mallory')
    expect(repo.checkRuns.map((r) => r.conclusion)).toEqual(['failure'])
  })

  it('ignores an Approve button pressed on an older commit', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))
    const oldRun = repo.checkRuns[0]!.id
    const newHead = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.29') }, 'again')
    repo.pulls[0]!.head.sha = newHead
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: newHead } }))

    await receive('check_run', approveButtonEvent(target, 'alice', oldRun))

    expect(repo.checkRuns.map((r) => r.conclusion)).toEqual(['failure', 'failure'])
  })

  /** A comment stored on the pull request, and its issue_comment event. */
  function commentEvent(body: string, by: string) {
    const event = prCommentEvent(target, body, by)
    repo.comments.push({ id: event.comment.id, issue: PR, body, user: { login: by, type: 'User' }, created_at: '', updated_at: '' })
    return event
  }

  it('answers /fluxgate plan from a user with write access by planning the head again', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))
    const run = repo.checkRuns[0]!.id

    const event = commentEvent('/fluxgate plan', 'alice')
    await receive('issue_comment', event)

    expect(repo.reactions).toMatchObject([{ commentId: event.comment.id, content: 'eyes' }])
    // The same head: the same check run is updated, the same comment edited (running, then plan).
    expect(gh.calls('PATCH', `/repos/acme/fleet/check-runs/${run}`)).toHaveLength(1)
    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.comments.filter((c) => c.body.includes('fluxgate:plan'))).toHaveLength(1)
  })

  it('refuses /fluxgate plan from a user without write access who is not the author, and plans for the author', async () => {
    await receive('pull_request', pullRequestEvent('opened', target))
    repo.permissions.set('mallory', 'read')
    const refused = commentEvent('/fluxgate plan', 'mallory')

    await receive('issue_comment', refused)

    expect(repo.reactions).toMatchObject([{ commentId: refused.comment.id, content: 'confused' }])
    expect(repo.comments.at(-1)!.body).toContain('@mallory `/fluxgate plan` was not run')
    expect(gh.calls('PATCH', `/repos/acme/fleet/check-runs/${repo.checkRuns[0]!.id}`)).toHaveLength(0)

    const author = repo.pulls[0]!.user.login
    const byAuthor = commentEvent('/fluxgate plan', author)
    await receive('issue_comment', byAuthor)

    expect(repo.reactions.at(-1)).toMatchObject({ commentId: byAuthor.comment.id, content: 'eyes' })
    expect(gh.calls('PATCH', `/repos/acme/fleet/check-runs/${repo.checkRuns[0]!.id}`)).toHaveLength(1)
  })

  it('answers /fluxgate help with the commands, and an unknown command with a reaction and a short reply', async () => {
    const help = commentEvent('/fluxgate help', 'bob')
    await receive('issue_comment', help)
    const unknown = commentEvent('/fluxgate deploy production', 'bob')
    await receive('issue_comment', unknown)

    expect(repo.reactions.map((r) => [r.commentId, r.content])).toEqual([
      [help.comment.id, '+1'],
      [unknown.comment.id, 'confused'],
    ])
    const replies = repo.comments.filter((c) => c.user.type === 'Bot').map((c) => c.body)
    expect(replies[0]).toContain('`/fluxgate approve <sha>`')
    expect(replies[0]).toContain('`/fluxgate plan`')
    expect(replies[0]).toContain('docs/rules.md')
    expect(replies[1]).toBe('@bob `/fluxgate deploy` is not a Fluxgate command. The commands are `/fluxgate approve <sha>`, `/fluxgate plan` and `/fluxgate help`.')
    // Nothing was planned for a help or an unknown command.
    expect(repo.checkRuns).toHaveLength(0)
  })

  it('posts no comment for a head that changes no rendered object, and edits an existing one to say so', async () => {
    const quiet = fleet.pushHead({ ...BASE_APPS, 'README.md': '# fleet\n' }, 'only the readme differs from main')
    repo.pulls[0]!.head.sha = quiet
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: quiet } }))

    expect(repo.comments).toHaveLength(0)
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)).toHaveLength(0)
    expect(repo.checkRuns).toMatchObject([{ head_sha: quiet, conclusion: 'success' }])

    const changed = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.30') }, 'bump web')
    repo.pulls[0]!.head.sha = changed
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: changed } }))
    expect(repo.comments).toHaveLength(1)
    expect(repo.comments[0]!.body).toContain('## ✅ Fluxgate: passes · 1 to change')

    const undone = fleet.pushHead(BASE_APPS, 'undo the bump')
    repo.pulls[0]!.head.sha = undone
    await receive('pull_request', pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: undone } }))

    expect(repo.comments).toHaveLength(1)
    expect(repo.comments[0]!.body).toContain('## ✅ Fluxgate: passes · no rendered change')
    expect(repo.comments[0]!.body).toContain(`Head \`${undone.slice(0, 7)}\` (\`feature\`) changes no object Flux applies`)
  })
})


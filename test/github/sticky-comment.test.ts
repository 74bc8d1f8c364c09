import { getOctokit } from '@actions/github'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'
import type { GitHubClient } from '../../src/adapters/github/client.js'
import { markStickyRunning, upsertStickyComment } from '../../src/adapters/github/sticky-comment.js'

const repoRef = { owner: 'acme', repo: 'fleet' }
const part = (n: number, text: string): string => (n === 1 ? `<!-- fluxgate:plan -->\n${text}` : `<!-- fluxgate:plan part ${n} -->\n${text}`)

describe('upsertStickyComment', () => {
  let gh: GitHubDouble
  let client: GitHubClient
  beforeEach(async () => {
    gh = await startGitHubDouble()
    client = getOctokit('t', { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient
  })
  afterEach(() => gh.close())

  it('creates the parts once, then edits them in place and deletes parts no longer needed', async () => {
    const repo = gh.repo('acme', 'fleet')

    await upsertStickyComment(client, repoRef, 5, [part(1, 'a'), part(2, 'b'), part(3, 'c')])
    const ids = repo.comments.map((c) => c.id)
    const result = await upsertStickyComment(client, repoRef, 5, [part(1, 'A'), part(2, 'B')])

    expect(result).toEqual({ created: [], updated: ids.slice(0, 2), deleted: [ids[2]] })
    expect(repo.comments.map((c) => c.body)).toEqual([part(1, 'A'), part(2, 'B')])
    expect(gh.calls('POST', '/repos/acme/fleet/issues/5/comments')).toHaveLength(3)
  })

  it('finds its comment among more than a page of others and never touches a person quoting the marker', async () => {
    const repo = gh.repo('acme', 'fleet')
    for (let i = 0; i < 120; i++) repo.comments.push({ id: 10_000 + i, issue: 5, body: `chatter ${i}`, user: { login: 'dev', type: 'User' }, created_at: '', updated_at: '' })
    repo.comments.push({ id: 20_000, issue: 5, body: 'quoting <!-- fluxgate:plan -->', user: { login: 'dev', type: 'User' }, created_at: '', updated_at: '' })
    repo.comments.push({ id: 20_001, issue: 5, body: part(1, 'old'), user: { login: 'github-actions[bot]', type: 'Bot' }, created_at: '', updated_at: '' })

    const result = await upsertStickyComment(client, repoRef, 5, ['new plan'])

    expect(result).toEqual({ created: [], updated: [20_001], deleted: [] })
    expect(repo.comments.find((c) => c.id === 20_001)!.body).toBe('<!-- fluxgate:plan -->\nnew plan')
    expect(repo.comments.find((c) => c.id === 20_000)!.body).toBe('quoting <!-- fluxgate:plan -->')
  })

  it('with a personal access token, finds the comment its own user wrote', async () => {
    const repo = gh.repo('acme', 'fleet')
    gh.users.set('pat', 'release-bot-user')
    const pat = getOctokit('pat', { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient

    await upsertStickyComment(pat, repoRef, 6, ['first'])
    await upsertStickyComment(pat, repoRef, 6, ['second'])

    expect(repo.comments.map((c) => [c.user.login, c.body])).toEqual([['release-bot-user', '<!-- fluxgate:plan -->\nsecond']])
  })

  it('shows the running note in part 1 only, then the plan replaces it; no comment is ever added twice', async () => {
    const repo = gh.repo('acme', 'fleet')

    const created = await markStickyRunning(client, repoRef, 8, '<!-- fluxgate:plan -->\nrunning…')
    await upsertStickyComment(client, repoRef, 8, [part(1, 'plan 1'), part(2, 'plan 2')])
    const again = await markStickyRunning(client, repoRef, 8, 'running again')

    expect(again).toBe(created)
    expect(repo.comments.map((c) => c.body)).toEqual(['<!-- fluxgate:plan -->\nrunning again', part(2, 'plan 2')])
    expect(gh.writes().map((w) => w.method)).toEqual(['POST', 'PATCH', 'POST', 'PATCH'])
  })
})

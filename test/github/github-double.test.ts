import { execFile, execFileSync } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getOctokit } from '@actions/github'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@e', ...args], { encoding: 'utf8' }).trim()
}

describe('github double', () => {
  let gh: GitHubDouble
  let dir: string
  beforeAll(async () => {
    gh = await startGitHubDouble()
    dir = mkdtempSync(join(tmpdir(), 'gh-double-'))
    execFileSync('git', ['init', '-q', '-b', 'main', dir])
    mkdirSync(join(dir, '.github'))
    writeFileSync(join(dir, '.github/fluxgate.yml'), 'rules: {}\n')
    git(dir, 'add', '.')
    git(dir, 'commit', '-q', '-m', 'base')
  })
  afterAll(async () => {
    await gh.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('paginates comments with Link headers that octokit follows', async () => {
    const repo = gh.repo('acme', 'fleet')
    const octokit = getOctokit('t', { baseUrl: gh.url, request: { fetch: globalThis.fetch } })
    for (let i = 0; i < 35; i++) await octokit.rest.issues.createComment({ owner: 'acme', repo: 'fleet', issue_number: 3, body: `c${i}` })

    const all = await octokit.paginate(octokit.rest.issues.listComments, { owner: 'acme', repo: 'fleet', issue_number: 3, per_page: 10 })

    expect(all.map((c) => c.body)).toEqual(Array.from({ length: 35 }, (_, i) => `c${i}`))
    expect(gh.calls('GET', '/repos/acme/fleet/issues/3/comments')).toHaveLength(4)
    expect(repo.comments).toHaveLength(35)
  })

  it('refuses writes a token may not do, with the 403 a fork token gets', async () => {
    gh.repo('acme', 'fleet')
    gh.tokens.set('read-only', { issues: 'read', checks: 'read' })
    const octokit = getOctokit('read-only', { baseUrl: gh.url, request: { fetch: globalThis.fetch } })

    const err = await octokit.rest.checks.create({ owner: 'acme', repo: 'fleet', name: 'fluxgate', head_sha: 'a'.repeat(40) }).catch((e: { status: number }) => e)

    expect(err).toMatchObject({ status: 403 })
  })

  it('serves contents, refs and collaborator permission from a git directory', async () => {
    const repo = gh.repo('acme', 'gitrepo', { gitDir: dir })
    repo.permissions.set('alice', 'maintain')
    const octokit = getOctokit('t', { baseUrl: gh.url, request: { fetch: globalThis.fetch } })

    const content = await octokit.rest.repos.getContent({ owner: 'acme', repo: 'gitrepo', path: '.github/fluxgate.yml', ref: 'main' })
    const ref = await octokit.rest.git.getRef({ owner: 'acme', repo: 'gitrepo', ref: 'heads/main' })
    const perm = await octokit.rest.repos.getCollaboratorPermissionLevel({ owner: 'acme', repo: 'gitrepo', username: 'alice' })

    expect(Buffer.from((content.data as { content: string }).content, 'base64').toString()).toBe('rules: {}\n')
    expect(ref.data.object.sha).toBe(git(dir, 'rev-parse', 'HEAD'))
    expect(perm.data.permission).toBe('write')
  })

  // git runs asynchronously: a synchronous child would block the in-process server it talks to.
  it('serves the repository over smart HTTP to a known token only', async () => {
    gh.repo('acme', 'gitrepo', { gitDir: dir })
    gh.tokens.set('clone-token', { contents: 'read' })
    const url = gh.url.replace('http://', 'http://x-access-token:clone-token@') + '/acme/gitrepo.git'
    const bad = gh.url.replace('http://', 'http://x-access-token:nope@') + '/acme/gitrepo.git'

    const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' }
    const { stdout } = await promisify(execFile)('git', ['ls-remote', url, 'refs/heads/main'], { env })

    expect(stdout.split('\t')[0]).toBe(git(dir, 'rev-parse', 'HEAD'))
    await expect(promisify(execFile)('git', ['ls-remote', bad], { env })).rejects.toThrow()
  })
})

import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getOctokit } from '@actions/github'
import type { GitHubClient } from '../../src/adapters/github/client.js'
import { GitHubImagePrHost } from '../../src/adapters/github/image-pr-host.js'
import { imagesFlow as syncImagePullRequests, type ImagesRequest } from '../../src/flows/index.js'
import { GitRemoteWorkspace } from '../../src/infra/git-push.js'
import { HttpRegistryClient } from '../../src/infra/registry/index.js'
import { describeWith } from '../support/components.js'
import { commitFiles, startGitHttpServer, type GitHttpServer } from '../support/git-http-server.js'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'
import { pushTags } from '../support/push-image.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { fleetFiles } from './image-fleet.js'

const TOKEN = 's3cr3t-token'
const BOT = { name: 'fluxgate[bot]', email: 'fluxgate@users.noreply.example.com' }

describeWith(['docker-registry', 'git'], 'image pull requests against the GitHub double and a real git remote', () => {
  let reg: TestRegistry
  let git: GitHttpServer
  let gh: GitHubDouble
  let root: string
  let deps: ImagesRequest
  const bare = (): string => git.repoDir('acme', 'fleet')
  const branchSha = (branch: string): string => {
    try {
      return execFileSync('git', ['-C', bare(), 'rev-parse', '--verify', '--quiet', `refs/heads/${branch}`], { encoding: 'utf8' }).trim()
    } catch {
      return ''
    }
  }
  const showFile = (ref: string, path: string): string => execFileSync('git', ['-C', bare(), 'show', `${ref}:${path}`], { encoding: 'utf8' })
  const BRANCH = 'fluxgate/images/flux-system-apps'

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'fluxgate-image-prs-'))
    reg = await startRegistry('none')
    await pushTags(reg.url, 'team/podinfo', ['1.0.0', '1.1.0'])
    git = await startGitHttpServer(join(root, 'srv'), 'x-access-token', TOKEN)
    git.createRepo('acme', 'fleet', fleetFiles(reg.host, '1.0.0'))
    gh = await startGitHubDouble()
    gh.repo('acme', 'fleet', { gitDir: bare() })
    deps = {
      host: new GitHubImagePrHost(getOctokit(TOKEN, { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient, { owner: 'acme', repo: 'fleet' }),
      git: new GitRemoteWorkspace(join(root, 'work'), git.repoUrl('acme', 'fleet'), TOKEN),
      registry: new HttpRegistryClient({ allowInsecure: true }),
      identity: BOT,
    }
  })
  afterAll(async () => {
    await gh.close()
    await git.stop()
    await reg.stop()
    rmSync(root, { recursive: true, force: true })
  })

  it('opens one pull request with one commit, and a second run changes nothing', async () => {
    const first = await syncImagePullRequests(deps)

    expect(first.map((o) => [o.automation, o.action, o.branch])).toEqual([['flux-system/apps', 'created', BRANCH]])
    const sha = branchSha(BRANCH)
    expect(showFile(BRANCH, 'clusters/prod/podinfo.yaml')).toBe(fleetFiles(reg.host, '1.1.0')['clusters/prod/podinfo.yaml'])
    const log = execFileSync('git', ['-C', bare(), 'log', '--format=%an <%ae>|%cn|%B', `main..${BRANCH}`], { encoding: 'utf8' })
    expect(log).toContain(`Image Bot <images@example.com>|${BOT.name}|Bump images in prod`)
    expect(log).toContain(`- ${reg.host}/team/podinfo:1.0.0 -> ${reg.host}/team/podinfo:1.1.0`)
    const pulls = gh.repo('acme', 'fleet').pulls
    expect(pulls).toHaveLength(1)
    expect(pulls[0]!.title).toBe('Bump images in prod')
    expect(pulls[0]!.body).toContain(`| flux-system:podinfo | \`${reg.host}/team/podinfo:1.0.0\` | \`${reg.host}/team/podinfo:1.1.0\` |`)
    // The rendered plan of the bump: the Deployment that rolls, with its new image.
    expect(pulls[0]!.body).toMatch(/Deployment.*apps\/podinfo/)
    expect(pulls[0]!.body).toContain(`image: ${reg.host}/team/podinfo:1.1.0`)
    const writes = gh.writes().length

    const second = await syncImagePullRequests(deps)

    expect(second.map((o) => o.action)).toEqual(['unchanged'])
    expect(branchSha(BRANCH)).toBe(sha)
    expect(gh.writes()).toHaveLength(writes)
    expect(gh.repo('acme', 'fleet').pulls).toHaveLength(1)
  })

  it('a new tag updates the same pull request in place with a new commit on the base', async () => {
    const before = branchSha(BRANCH)
    await pushTags(reg.url, 'team/podinfo', ['1.2.0'])

    const res = await syncImagePullRequests(deps)

    expect(res.map((o) => [o.action, o.pullNumber])).toEqual([['updated', 1]])
    expect(branchSha(BRANCH)).not.toBe(before)
    expect(execFileSync('git', ['-C', bare(), 'rev-list', '--count', `main..${BRANCH}`], { encoding: 'utf8' }).trim()).toBe('1')
    expect(showFile(BRANCH, 'clusters/prod/podinfo.yaml')).toContain('team/podinfo:1.2.0 #')
    expect(gh.repo('acme', 'fleet').pulls).toHaveLength(1)
    expect(gh.repo('acme', 'fleet').pulls[0]!.body).toContain('podinfo:1.2.0')
  })

  it('stops and comments once when a person has committed to the branch', async () => {
    commitFiles(bare(), BRANCH, { 'NOTES.md': 'my fix\n' }, 'human fix', { name: 'Dana', email: 'dana@example.com' })
    const tip = branchSha(BRANCH)
    await pushTags(reg.url, 'team/podinfo', ['1.3.0'])

    const first = await syncImagePullRequests(deps)
    const second = await syncImagePullRequests(deps)

    expect([first[0]!.action, second[0]!.action]).toEqual(['blocked', 'blocked'])
    expect(branchSha(BRANCH)).toBe(tip)
    const comments = gh.repo('acme', 'fleet').comments.filter((c) => c.issue === 1)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain('not made by Fluxgate')
  })

  it('closes the pull request with a comment once the base already has the images', async () => {
    // the person's branch is gone and main moved to the newest tag by hand
    execFileSync('git', ['-C', bare(), 'update-ref', '-d', `refs/heads/${BRANCH}`])
    commitFiles(bare(), 'main', fleetFiles(reg.host, '1.3.0'), 'manual bump', { name: 'Dana', email: 'dana@example.com' })

    const res = await syncImagePullRequests(deps)

    expect(res.map((o) => [o.action, o.pullNumber])).toEqual([['closed', 1]])
    const pull = gh.repo('acme', 'fleet').pulls[0]!
    expect(pull.state).toBe('closed')
    expect(gh.repo('acme', 'fleet').comments.at(-1)!.body).toContain('no longer needed')

    const again = await syncImagePullRequests(deps)

    expect(again.map((o) => o.action)).toEqual(['nothing'])
  })
})

describeWith(['docker-registry', 'git'], 'fluxgate images --pull-requests (CLI wiring)', () => {
  it('opens the pull request through the CLI and a second run writes nothing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fluxgate-image-prs-cli-'))
    const reg = await startRegistry('none')
    await pushTags(reg.url, 'team/podinfo', ['1.0.0', '1.4.0'])
    const git = await startGitHttpServer(join(root, 'srv'), 'x-access-token', TOKEN)
    git.createRepo('acme', 'fleet', fleetFiles(reg.host, '1.0.0'))
    const gh = await startGitHubDouble()
    gh.repo('acme', 'fleet', { gitDir: git.repoDir('acme', 'fleet') })
    const { main } = await import('../../src/adapters/cli/main.js')
    const run = async (): Promise<{ code: number; out: string }> => {
      let out = ''
      const code = await main(['images', '--pull-requests', '--github-repo', 'acme/fleet', '--git-remote', git.repoUrl('acme', 'fleet'), '--allow-insecure'], {
        stdout: (t) => void (out += t),
        stderr: (t) => void (out += t),
        env: { GITHUB_TOKEN: TOKEN, GITHUB_API_URL: gh.url },
        cwd: root,
        isTty: false,
      })
      return { code, out }
    }
    try {
      const first = await run()
      const writes = gh.writes().length
      const second = await run()

      expect(first.out).toContain('flux-system/apps: created #1 (branch fluxgate/images/flux-system-apps)')
      expect(second.out).toContain('flux-system/apps: unchanged #1')
      const body = gh.repo('acme', 'fleet').pulls[0]!.body ?? ''
      expect(body).toContain('### What this changes')
      expect(body).toContain(`+          image: ${reg.host}/team/podinfo:1.4.0`)
      expect(gh.writes()).toHaveLength(writes)
      expect(JSON.stringify(gh.requests)).not.toContain(TOKEN)
    } finally {
      await gh.close()
      await git.stop()
      await reg.stop()
      rmSync(root, { recursive: true, force: true })
    }
  })
})

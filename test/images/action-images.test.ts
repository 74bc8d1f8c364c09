/**
 * `mode: images` of the bundled Action (dist/index.js), as a `schedule` workflow runs it:
 * the GitHub double for the API, a real git remote over smart HTTP (the checkout's `origin`,
 * pushed to with the workflow token as actions/checkout sets it up) and a real registry.
 */
import { jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runAction } from '../github/support/run-action.js'
import { describeWith } from '../support/components.js'
import { startGitHttpServer, type GitHttpServer } from '../support/git-http-server.js'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'
import { pushTags } from '../support/push-image.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'
import { fleetFiles } from './image-fleet.js'

jest.setTimeout(240_000)

const TOKEN = 'ghs_workflow_token_images'
const BRANCH = 'fluxgate/images/flux-system-apps'

describeWith(['docker-registry', 'git'], 'the Action with mode: images (schedule) against the GitHub double, a git remote and a registry', () => {
  let root: string
  let reg: TestRegistry
  let git: GitHttpServer
  let gh: GitHubDouble
  let workspace: string

  beforeAll(async () => {
    execFileSync(process.execPath, ['scripts/bundle.mjs'])
    root = mkdtempSync(join(tmpdir(), 'fluxgate-action-images-'))
    reg = await startRegistry('none')
    await pushTags(reg.url, 'team/podinfo', ['1.0.0', '1.1.0'])
    git = await startGitHttpServer(join(root, 'srv'), 'x-access-token', TOKEN)
    git.createRepo('acme', 'fleet', fleetFiles(reg.host, '1.0.0'))
    gh = await startGitHubDouble()
    gh.repo('acme', 'fleet', { gitDir: git.repoDir('acme', 'fleet') })
    // The checkout: what actions/checkout leaves, an `origin` without credentials in its URL.
    workspace = join(root, 'checkout')
    mkdirSync(workspace)
    execFileSync('git', ['init', '-q', '-b', 'main', workspace])
    execFileSync('git', ['-C', workspace, 'remote', 'add', 'origin', git.repoUrl('acme', 'fleet')])
  })
  afterAll(async () => {
    await gh.close()
    await git.stop()
    await reg.stop()
    rmSync(root, { recursive: true, force: true })
  })

  const run = () =>
    runAction({
      apiUrl: gh.url,
      workspace,
      eventName: 'schedule',
      payload: { schedule: '0 6 * * *', repository: { full_name: 'acme/fleet', default_branch: 'main' } },
      inputs: { 'github-token': TOKEN, mode: 'images', 'allow-insecure-registries': 'true' },
    })
  const branchSha = (): string => execFileSync('git', ['-C', git.repoDir('acme', 'fleet'), 'rev-parse', `refs/heads/${BRANCH}`], { encoding: 'utf8' }).trim()

  it('opens one pull request per ImageUpdateAutomation, and a second run with no new tag writes nothing', async () => {
    const first = await run()

    expect(first.code).toBe(0)
    const pulls = gh.repo('acme', 'fleet').pulls
    expect(pulls.map((p) => [p.number, p.head.ref, p.base.ref, p.title])).toEqual([[1, BRANCH, 'main', 'Bump images in prod']])
    expect(execFileSync('git', ['-C', git.repoDir('acme', 'fleet'), 'show', `${BRANCH}:clusters/prod/podinfo.yaml`], { encoding: 'utf8' })).toContain(`team/podinfo:1.1.0 #`)
    expect(first.summary).toContain('`flux-system/apps`: created #1')
    const sha = branchSha()
    const writes = gh.writes().length

    const second = await run()

    expect(second.code).toBe(0)
    expect(second.summary).toContain('`flux-system/apps`: unchanged #1')
    expect(gh.writes()).toHaveLength(writes)
    expect(branchSha()).toBe(sha)
    expect(gh.repo('acme', 'fleet').pulls).toHaveLength(1)
    // The token is masked for the runner and never printed.
    expect(first.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain(TOKEN)
  })

  it('updates the same pull request in place when a new tag appears', async () => {
    const before = branchSha()
    await pushTags(reg.url, 'team/podinfo', ['1.2.0'])

    const again = await run()

    expect(again.code).toBe(0)
    expect(again.summary).toContain('`flux-system/apps`: updated #1')
    expect(branchSha()).not.toBe(before)
    expect(gh.repo('acme', 'fleet').pulls).toHaveLength(1)
    expect(gh.repo('acme', 'fleet').pulls[0]!.body).toContain('podinfo:1.2.0')
  })
})

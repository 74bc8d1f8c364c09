/**
 * The App's review queue in one process (no REDIS_URL) and its GitHub hygiene, against the
 * GitHub double: deliveries are answered before the review runs, a review superseded while it
 * runs publishes nothing, git tokens are reused, failures are published as a neutral check
 * with the reason, a check run that cannot be written is an error in the log and a commit
 * status instead, and Probot's client retries a server error.
 */
import { jest } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import app, { reviewQueueOf } from '../../src/adapters/app/index.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { makeFleetRepo, webDeployment, type FleetRepo } from './support/fleet-repo.js'
import { pullRequestEvent, type PrTarget } from './support/payloads.js'

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
const PR = 12

jest.setTimeout(240_000)

/** A pino-shaped logger that keeps `level message` lines. */
function captureLogger(lines: string[]): Record<string, unknown> {
  const logger: Record<string, unknown> = { level: 'info' }
  for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal']) {
    logger[level] = (...args: unknown[]) => lines.push(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}`)
  }
  logger['child'] = () => logger
  return logger
}

describe('the App review queue in memory', () => {
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let target: PrTarget
  let cache: string
  let logs: string[]

  beforeEach(async () => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    gh = await startGitHubDouble()
    fleet = makeFleetRepo()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    repo.pulls.push(gh.pull(repo, { number: PR, base: 'main', baseSha: fleet.baseSha, head: 'feature', headSha: fleet.headSha }))
    target = { owner: 'acme', repo: 'fleet', number: PR, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: 'feature', sha: fleet.headSha }, cloneUrl: `${gh.url}/acme/fleet.git` }
    cache = mkdtempSync(join(tmpdir(), 'fluxgate-app-queue-'))
    process.env['FLUXGATE_CACHE_DIR'] = cache
    logs = []
  })
  afterEach(async () => {
    delete process.env['FLUXGATE_CACHE_DIR']
    await gh.close()
    fleet.cleanup()
    rmSync(cache, { recursive: true, force: true })
    nock.cleanAll()
    nock.enableNetConnect()
  })

  /** Probot with the app; `octokit: 'probot'` keeps Probot's own retry and throttling on. */
  async function loadApp(octokit: 'quiet' | 'probot' = 'quiet'): Promise<Probot> {
    const probot = new Probot({
      appId: 123,
      privateKey,
      baseUrl: gh.url,
      log: captureLogger(logs) as never,
      ...(octokit === 'quiet' ? { Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) } : {}),
    })
    await probot.load(app)
    return probot
  }

  const send = (probot: Probot, payload: unknown, id = String(Math.random())) => probot.receive({ id, name: 'pull_request', payload } as never)
  const drained = (probot: Probot) => reviewQueueOf(probot)!.drained()

  it('answers the delivery before the review runs; a push during a review supersedes it and only the newer head is published', async () => {
    const probot = await loadApp()
    const fetches = gh.hold(/^GET \/acme\/fleet\.git\/info\/refs/)
    const head1 = fleet.headSha
    // The delivery is answered while the review waits for its git fetch.
    await send(probot, pullRequestEvent('opened', target))
    await waitFor(() => fetches.waiting > 0)
    expect(gh.writes().filter((w) => !w.path.startsWith('/app/'))).toEqual([])

    const head2 = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.27') }, 'again')
    repo.pulls[0]!.head.sha = head2
    await send(probot, pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: head2 } }))
    fetches.release()
    await drained(probot)

    expect(repo.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([[head2, 'failure']])
    expect(repo.comments).toHaveLength(1)
    expect(repo.comments[0]!.body).toContain(head2.slice(0, 7))
    expect(repo.comments[0]!.body).not.toContain(head1.slice(0, 7))
    expect(logs.join('\n')).toContain(`acme/fleet#${PR}@${head1.slice(0, 7)}: superseded by a newer head`)
  })

  it('drops a redelivery and a second request for a review already queued', async () => {
    const probot = await loadApp()
    const fetches = gh.hold(/^GET \/acme\/fleet\.git\/info\/refs/)
    await send(probot, pullRequestEvent('opened', target), 'delivery-1')
    await send(probot, pullRequestEvent('opened', target), 'delivery-1')
    await send(probot, pullRequestEvent('reopened', target), 'delivery-2')
    fetches.release()
    await drained(probot)
    expect(repo.checkRuns).toHaveLength(1)
    expect(gh.calls('POST', `/repos/acme/fleet/issues/${PR}/comments`)).toHaveLength(1)
    const text = logs.join('\n')
    expect(text).toContain('not queued (duplicate-delivery)')
    expect(text).toContain('not queued (duplicate-job)')
  })

  it('mints one contents:read token for git across reviews of an installation', async () => {
    const probot = await loadApp()
    await send(probot, pullRequestEvent('opened', target))
    await drained(probot)
    const head2 = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.28') }, 'again')
    repo.pulls[0]!.head.sha = head2
    await send(probot, pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: head2 } }))
    await drained(probot)
    expect(repo.checkRuns.map((r) => r.head_sha)).toEqual([fleet.headSha, head2])
    // Probot's API token, and one narrowed token for git: each minted once.
    expect(gh.calls('POST', '/app/installations/2/access_tokens').map((r) => r.body)).toEqual([undefined, { permissions: { contents: 'read' } }])
  })

  it('plans the next push of a pull request in the warm worker of its repository, unless told to keep none', async () => {
    const unitsOf = (sha: string): string => logs.find((l) => l.includes(`acme/fleet@${sha.slice(0, 7)} units:`)) ?? ''
    const pushAndReview = async (probot: Probot, tag: string): Promise<string> => {
      const head = fleet.pushHead({ 'apps/deployment.yaml': webDeployment(tag) }, `web ${tag}`)
      repo.pulls[0]!.head.sha = head
      await send(probot, pullRequestEvent('synchronize', { ...target, head: { ref: 'feature', sha: head } }))
      await drained(probot)
      return head
    }
    const warm = await loadApp()
    await send(warm, pullRequestEvent('opened', target))
    await drained(warm)
    expect(unitsOf(fleet.headSha)).not.toContain('reused whole')
    // The same merge base: its render is the one the first review made.
    const head2 = await pushAndReview(warm, '1.28')
    expect(unitsOf(head2)).toContain("1 tree's render reused whole")
    expect(repo.checkRuns.map((r) => [r.head_sha, r.conclusion])).toEqual([
      [fleet.headSha, 'failure'],
      [head2, 'failure'],
    ])

    process.env['FLUXGATE_WARM_PLAN_WORKERS'] = '0'
    try {
      const cold = await loadApp()
      const head3 = await pushAndReview(cold, '1.29')
      const head4 = await pushAndReview(cold, '1.30')
      for (const head of [head3, head4]) expect(unitsOf(head)).toMatch(/units: \d+ rendered, \d+ reused .*not reusable$/)
    } finally {
      delete process.env['FLUXGATE_WARM_PLAN_WORKERS']
    }
  })

  it('publishes a neutral check with the reason when the commits cannot be fetched', async () => {
    const probot = await loadApp()
    const missing = 'f'.repeat(40)
    repo.pulls[0]!.head.sha = missing
    await send(probot, pullRequestEvent('opened', { ...target, head: { ref: 'feature', sha: missing } }))
    await drained(probot)
    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.checkRuns[0]).toMatchObject({ head_sha: missing, conclusion: 'neutral' })
    expect(repo.checkRuns[0]!.output.summary).toContain(`could not fetch ${missing.slice(0, 12)} from the repository`)
  })

  it('publishes a neutral check with the reason when the review fails on a GitHub error', async () => {
    const probot = await loadApp()
    gh.failNext('GET', new RegExp(`/issues/${PR}/comments$`), 500, { times: 1 })
    await send(probot, pullRequestEvent('opened', target))
    await drained(probot)
    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.checkRuns[0]).toMatchObject({ head_sha: fleet.headSha, conclusion: 'neutral' })
    expect(repo.checkRuns[0]!.output.summary).toContain('Fluxgate could not evaluate this change')
    expect(logs.some((l) => l.startsWith('error') && l.includes('review failed'))).toBe(true)
  })

  it('logs an error and publishes a commit status when the check run cannot be written', async () => {
    gh.installationPermissions = { ...gh.installationPermissions, checks: 'read' }
    const probot = await loadApp()
    await send(probot, pullRequestEvent('opened', target))
    await drained(probot)
    expect(repo.checkRuns).toEqual([])
    expect(repo.statuses.map((s) => [s.sha, s.context, s.state])).toEqual([[fleet.headSha, 'fluxgate', 'failure']])
    expect(logs.filter((l) => l.startsWith('error'))).toEqual([expect.stringContaining(`the check run for ${fleet.headSha.slice(0, 7)} could not be written (HTTP 403`)])
  })

  it('with Probot\'s own client, a server error is retried: still one check run', async () => {
    const probot = await loadApp('probot')
    gh.failNext('POST', /\/check-runs$/, 502)
    await send(probot, pullRequestEvent('opened', target))
    await drained(probot)
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs').map((r) => r.status)).toEqual([502, 201])
    expect(repo.checkRuns).toHaveLength(1)
  })
})

async function waitFor(check: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

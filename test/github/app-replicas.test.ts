/**
 * Two App processes (`probot run`, as the container starts them) share one review queue on a
 * real redis-server through REDIS_URL, against the GitHub double: deliveries are answered at
 * once, a redelivery and a repeated request add nothing, an older head is superseded by a
 * newer one even while its review runs, and a replica killed in the middle of a review leaves
 * it to the other. Probot's own use of REDIS_URL (its request throttling, through ioredis) is
 * on in these processes too.
 */
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { jest } from '@jest/globals'
import { Redis } from 'ioredis'
import { describeWith } from '../support/components.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { makeFleetRepo, webDeployment, type FleetRepo } from './support/fleet-repo.js'
import { pullRequestEvent, type PrTarget } from './support/payloads.js'
import { buildAppModule, deliver, startRedis, startReplica, waitUntil, type RedisServer, type Replica } from './support/replicas.js'

jest.setTimeout(300_000)

const SECRET = 'replica-secret'
const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

describeWith(['redis-server', 'git'], 'the App as two replicas on one Redis', () => {
  let redis: RedisServer
  let appModule: string
  let gh: GitHubDouble
  let fleet: FleetRepo
  let repo: RepoState
  let tmp: string
  let replicas: Replica[] = []

  beforeAll(async () => {
    ;[redis, appModule] = await Promise.all([startRedis(), buildAppModule()])
  })
  afterAll(async () => {
    await redis?.stop()
  })
  beforeEach(async () => {
    gh = await startGitHubDouble()
    fleet = makeFleetRepo()
    repo = gh.repo('acme', 'fleet', { gitDir: fleet.dir })
    tmp = mkdtempSync(join(tmpdir(), 'fluxgate-replicas-'))
    writeFileSync(join(tmp, 'app.pem'), privateKey)
    const client = new Redis(redis.url)
    await client.flushall()
    await client.quit()
  })
  afterEach(async () => {
    await Promise.all(replicas.map((r) => r.stop()))
    replicas = []
    await gh.close()
    fleet.cleanup()
    rmSync(tmp, { recursive: true, force: true })
  })

  function replica(name: string, extra: Record<string, string> = {}): Promise<Replica> {
    return startReplica(name, appModule, {
      HOME: tmp,
      APP_ID: '123',
      PRIVATE_KEY_PATH: join(tmp, 'app.pem'),
      WEBHOOK_SECRET: SECRET,
      GHE_HOST: gh.url.replace('http://', ''),
      GHE_PROTOCOL: 'http',
      REDIS_URL: redis.url,
      FLUXGATE_CACHE_DIR: join(tmp, `cache-${name}`),
      FLUXGATE_QUEUE_LOCK_SECONDS: '3',
      ...extra,
    }).then((r) => {
      replicas.push(r)
      return r
    })
  }

  const target = (number: number, head: string): PrTarget => ({ owner: 'acme', repo: 'fleet', number, base: { ref: 'main', sha: fleet.baseSha }, head: { ref: `feature-${number}`, sha: head }, cloneUrl: `${gh.url}/acme/fleet.git` })
  const planComments = (pr: number) => repo.comments.filter((c) => c.issue === pr && c.body.includes('<!-- fluxgate:plan'))
  const runsFor = (sha: string) => repo.checkRuns.filter((r) => r.head_sha === sha)
  const logs = () => replicas.map((r) => `--- ${r.name}\n${r.logs()}`).join('\n')

  /** Waits until GitHub has seen no request for `quietMs`: every queued review has finished. */
  async function settled(quietMs = 4000): Promise<void> {
    let count = -1
    let since = Date.now()
    await waitUntil('the reviews to settle', () => {
      if (gh.requests.length !== count) {
        count = gh.requests.length
        since = Date.now()
      }
      return Date.now() - since > quietMs
    }, 180_000, logs)
  }

  it('a burst of deliveries ends with one plan comment per pull request, for the newest head, and one check run per head SHA', async () => {
    const [a, b] = await Promise.all([replica('a'), replica('b')])
    // Pull request 12 is pushed to twice in quick succession; 13 is opened once.
    const head1 = fleet.headSha
    const head2 = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.27') }, 'second push')
    const head3 = fleet.pushHead({ 'apps/deployment.yaml': webDeployment('1.28') }, 'third push')
    repo.pulls.push(gh.pull(repo, { number: 12, base: 'main', baseSha: fleet.baseSha, head: 'feature-12', headSha: head2 }))
    repo.pulls.push(gh.pull(repo, { number: 13, base: 'main', baseSha: fleet.baseSha, head: 'feature-13', headSha: head1 }))

    // Catch the review of head2 in the middle (its git fetch held), then push head3.
    const fetches = gh.hold(/^GET \/acme\/fleet\.git\/info\/refs/)
    const answers: number[] = []
    answers.push(await deliver(a, SECRET, 'pull_request', 'd-12-sync-2', pullRequestEvent('synchronize', target(12, head2))))
    await waitUntil('the review of head2 to be fetching', () => fetches.waiting > 0, 60_000, logs)
    repo.pulls.find((p) => p.number === 12)!.head.sha = head3
    const burst: [Replica, string, string, unknown][] = [
      [b, 'pull_request', 'd-12-sync-3', pullRequestEvent('synchronize', target(12, head3))],
      // GitHub redelivers: the same delivery id, once to each replica.
      [a, 'pull_request', 'd-12-sync-3', pullRequestEvent('synchronize', target(12, head3))],
      [b, 'pull_request', 'd-13-open', pullRequestEvent('opened', target(13, head1))],
      [a, 'pull_request', 'd-13-open', pullRequestEvent('opened', target(13, head1))],
      // The same review asked for by another delivery while it is still queued.
      [a, 'pull_request', 'd-13-reopen', pullRequestEvent('reopened', target(13, head1))],
      // Out of order: pull request 12's `opened`, for its first head, arrives last.
      [b, 'pull_request', 'd-12-open', pullRequestEvent('opened', target(12, head1))],
    ]
    answers.push(...(await Promise.all(burst.map(([r, event, id, payload]) => deliver(r, SECRET, event, id, payload)))))
    fetches.release()
    expect(answers).toEqual([200, 200, 200, 200, 200, 200, 200])

    await waitUntil('the check runs of both heads', () => runsFor(head3).length > 0 && runsFor(head1).length > 0, 180_000, logs)
    await settled()

    // One sticky comment per pull request, showing its newest head.
    expect(planComments(12)).toHaveLength(1)
    expect(planComments(12)[0]!.body).toContain(head3.slice(0, 7))
    expect(planComments(13)).toHaveLength(1)
    expect(planComments(13)[0]!.body).toContain(head1.slice(0, 7))
    // One check run per head SHA; the superseded head2 (running when head3 came) published none.
    expect(runsFor(head3).map((r) => r.conclusion)).toEqual(['failure'])
    expect(runsFor(head1).map((r) => r.conclusion)).toEqual(['failure'])
    expect(runsFor(head2)).toEqual([])
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs')).toHaveLength(2)
    expect(gh.calls('POST', /\/issues\/\d+\/comments$/)).toHaveLength(2)
    // The replicas said why they dropped what they dropped.
    const all = logs()
    expect(all).toContain('not queued (duplicate-delivery)')
    expect(all).toContain('not queued (duplicate-job)')
    expect(all).toContain('superseded by a newer head')
    // Probot's own request throttling runs on the same Redis (Bottleneck keeps its limiters there).
    const client = new Redis(redis.url)
    const keys = await client.keys('b_octokit-*')
    await client.quit()
    expect(keys.length).toBeGreaterThan(0)
  })

  it('a replica killed in the middle of a review leaves it to the other', async () => {
    const a = await replica('a')
    repo.pulls.push(gh.pull(repo, { number: 12, base: 'main', baseSha: fleet.baseSha, head: 'feature-12', headSha: fleet.headSha }))
    const fetches = gh.hold(/^GET \/acme\/fleet\.git\/info\/refs/)
    expect(await deliver(a, SECRET, 'pull_request', 'd-open', pullRequestEvent('opened', target(12, fleet.headSha)))).toBe(200)
    await waitUntil('replica a to be in the middle of the review', () => fetches.waiting > 0, 60_000, logs)

    const b = await replica('b')
    await a.kill()
    fetches.release()

    await waitUntil('the check run, from replica b', () => runsFor(fleet.headSha).length > 0, 120_000, logs)
    await settled()
    expect(a.child.signalCode).toBe('SIGKILL')
    expect(runsFor(fleet.headSha).map((r) => r.conclusion)).toEqual(['failure'])
    expect(planComments(12)).toHaveLength(1)
    expect(planComments(12)[0]!.body).toContain(fleet.headSha.slice(0, 7))
    expect(b.logs()).toContain('gate failure')
  })

  it('is alive but not ready while its Redis does not answer', async () => {
    const a = await replica('a')
    expect(await (await fetch(`${a.url}/readyz`)).json()).toEqual({ status: 'ready', checks: { cache: 'ok', queue: 'ok' } })
    await redis.stop()
    try {
      await waitUntil('/readyz to say not ready', async () => (await fetch(`${a.url}/readyz`)).status === 503, 30_000, logs)
      const body = (await (await fetch(`${a.url}/readyz`)).json()) as { checks: Record<string, string> }
      expect(body.checks['queue']).toContain('REDIS_URL')
      expect((await fetch(`${a.url}/healthz`)).status).toBe(200)
    } finally {
      redis = await startRedis()
    }
  })
})

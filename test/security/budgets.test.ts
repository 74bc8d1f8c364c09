/**
 * Attack class: memory and time. A 700 KB anchored string with 9,000 aliases took 10 GB; a
 * `valuesFrom[].targetPath: a[150000000]` died with "invalid size"; a 1 MB postBuild variable
 * used 3,200 times ran out of memory after 138 s; backtracking regexes from patches and image
 * policies took seconds per character; and in the App one such pull request took the shared
 * process down. Each budget now stops the run with a located error, and the App's plan runs in
 * a worker with a heap limit and a deadline, published as a neutral check with the reason.
 */
import { generateKeyPairSync } from 'node:crypto'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import nock from 'nock'
import { Probot, ProbotOctokit } from 'probot'
import app, { reviewQueueOf } from '../../src/adapters/app/index.js'
import { planInWorker } from '../../src/adapters/worker/plan-workers.js'
import { describeWith } from '../support/components.js'
import { startGitHubDouble, type GitHubDouble, type RepoState } from '../support/github-double.js'
import { makeFleetRepo, type FleetRepo } from '../github/support/fleet-repo.js'
import { pullRequestEvent, type PrTarget } from '../github/support/payloads.js'
import { fleet, gitRelease, headDiagnostics, NAMESPACE, review } from './support.js'

const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\ndata:\n${data}`

describeWith(['helm'], 'budgets on what a pull request can make Fluxgate expand', () => {
  it('strvals: a targetPath index above Helm\'s 65,536 is a located error, not an allocation', async () => {
    // The CRD's pattern allows five digits; the API server refuses the a[150000000] itself.
    const release = (path: string) => fleet({ 'namespace.yaml': NAMESPACE, 'values.yaml': cm('v', '  n: "1"\n'), 'web.yaml': gitRelease(`  valuesFrom:\n    - {kind: ConfigMap, name: v, valuesKey: n, targetPath: "${path}"}\n`) })
    const crd = await review(fleet({ 'namespace.yaml': NAMESPACE }), release('a[150000000]'))
    expect(crd.planned.headFleet.clusters[0]!.diagnostics.find((x) => x.code === 'render/invalid-flux-object')?.message).toContain('targetPath')
    const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), release('a[99999]'))
    const d = r.planned.headFleet.clusters[0]!.diagnostics.find((x) => x.code === 'helm/invalid-target-path')
    expect(d).toMatchObject({ severity: 'error', location: { file: 'apps/web.yaml' } })
    expect(d!.message).toContain('greater than maximum supported index 65536')
    expect(r.verdict.conclusion).toBe('failure')
  })

  it('postBuild: a 1 MB variable used 3,200 times stops at the substitution budget with a located error', async () => {
    const uses = Array.from({ length: 3200 }, (_, i) => `  k${i}: "\${big}"`).join('\n')
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': cm('app', `${uses}\n`) }, {}, `  postBuild:\n    substitute:\n      big: "${'x'.repeat(1024 * 1024)}"\n`)
    const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head)
    const d = r.planned.headFleet.clusters[0]!.diagnostics.find((x) => /exceeds \d+ bytes/.test(x.message))
    expect(d).toMatchObject({ severity: 'error', location: { file: 'apps/app.yaml' } })
    expect(r.verdict.conclusion).toBe('failure')
  })

  it('YAML: a 700 KB anchored string with 9,000 aliases is refused by the alias budget, located', async () => {
    const aliases = Array.from({ length: 9000 }, (_, i) => `  k${i}: *a`).join('\n')
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: apps\ndata:\n  seed: &a "${'y'.repeat(700 * 1024)}"\n${aliases}\n` })
    const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head)
    const d = r.planned.headFleet.clusters[0]!.diagnostics.find((x) => x.severity === 'error')
    expect(d?.location?.file).toBe('apps/app.yaml')
    expect(r.verdict.conclusion).toBe('failure')
  })

  it('regexes from patches and image policies run in linear time (RE2)', async () => {
    const name = `${'a'.repeat(40)}!`
    const head = fleet(
      { 'namespace.yaml': NAMESPACE, 'app.yaml': cm(name.replace('!', ''), '  a: "1"\n') },
      { 'apps/kustomization.yaml': 'resources: [namespace.yaml, app.yaml]\npatches:\n  - target: {kind: ConfigMap, name: "(a+)+$"}\n    patch: |\n      - {op: add, path: /data/b, value: "2"}\n' },
    )
    const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head)
    // The patch applied (RE2 matches the name); with backtracking 40 characters would take days
    // and the test would hit jest's timeout.
    expect(r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.kind === 'ConfigMap')?.object['data']).toEqual({ a: '1', b: '2' })
    expect(headDiagnostics(r).filter((d) => d.startsWith('kustomize/'))).toEqual([])
  })
})

describeWith(['git', 'helm'], 'the plan worker', () => {
  let repo: FleetRepo
  beforeAll(() => {
    execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' })
    repo = makeFleetRepo()
  })
  afterAll(() => repo.cleanup())
  const req = () => ({ gitDir: repo.dir, base: repo.baseSha, head: repo.headSha, origin: { kind: 'local' as const }, repoUrl: 'https://github.com/acme/fleet' })

  it('plans in a worker thread what planFlow plans in this one', async () => {
    const planned = await planInWorker(req(), { timeoutMs: 120_000, memoryMb: 1024 })
    expect(planned.plan.head.sha).toBe(repo.headSha)
    expect(planned.plan.clusters.map((c) => c.name)).toEqual(['prod'])
    expect(planned.redactor.text('nothing secret')).toBe('nothing secret')
  })

  it('answers with the plan and the redactor, without the renders, and masks the values of Secrets it rendered', async () => {
    const own = makeFleetRepo()
    try {
      const head = own.pushHead({
        'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\n  - token.yaml\n',
        'apps/token.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: default\nstringData:\n  token: hunter22-worker-token\n',
      }, 'a Secret')
      const planned = await planInWorker({ gitDir: own.dir, base: own.baseSha, head, origin: { kind: 'local' }, repoUrl: 'https://github.com/acme/fleet', secretValues: ['given-value-0001'] }, { timeoutMs: 120_000, memoryMb: 1024 })
      expect(Object.keys(planned)).not.toEqual(expect.arrayContaining(['baseFleet']))
      expect(Object.keys(planned)).not.toEqual(expect.arrayContaining(['headFleet']))
      expect(planned.plan.clusters[0]!.changes.map((c) => `${c.action} ${c.id.kind}/${c.id.name}`)).toContain('added Secret/token')
      expect(planned.redactor.text('a hunter22-worker-token and a given-value-0001')).toBe('a *** and a ***')
      expect(Array.isArray(planned.headObjects)).toBe(true)
      // Nothing the thread got holds the value, but the redactor that masks it.
      const { redactor: _redactor, ...rest } = planned
      expect(JSON.stringify(rest)).not.toContain('hunter22-worker-token')
    } finally {
      own.cleanup()
    }
  })

  it('a plan past its heap limit is stopped with the reason, and the process goes on', async () => {
    await expect(planInWorker(req(), { timeoutMs: 120_000, memoryMb: 4 })).rejects.toThrow(/more than 4 MB of memory|plan worker/)
    const again = await planInWorker(req(), { timeoutMs: 120_000, memoryMb: 1024 })
    expect(again.plan.head.sha).toBe(repo.headSha)
  })

  it('keeps renders in a render cache folder between plans, pruned to its size, and plans the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxgate-worker-renders-'))
    try {
      const first = await planInWorker({ ...req(), renderCacheAt: { dir, maxBytes: 64 * 1024 * 1024 } }, { timeoutMs: 120_000, memoryMb: 1024 })
      expect(first.units!.stored).toBeGreaterThan(0)
      const second = await planInWorker({ ...req(), renderCacheAt: { dir, maxBytes: 64 * 1024 * 1024 } }, { timeoutMs: 120_000, memoryMb: 1024 })
      expect(second.units!.fromCache).toBeGreaterThan(0)
      expect(second.units!.rendered).toBeLessThan(first.units!.rendered)
      const timeless = (p: typeof first.plan): string => JSON.stringify({ ...p, durationMs: 0 })
      expect(timeless(second.plan)).toBe(timeless(first.plan))
      // A size of nothing leaves nothing behind (other engines' folders go too).
      await planInWorker({ ...req(), renderCacheAt: { dir, maxBytes: 0 } }, { timeoutMs: 120_000, memoryMb: 1024 })
      expect(recordsUnder(dir)).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a plan past its deadline is stopped with the reason', async () => {
    await expect(planInWorker(req(), { timeoutMs: 1, memoryMb: 1024 })).rejects.toThrow(/took longer than 0 s/)
  })
})

/** The record files of a render cache root (every engine's). */
function recordsUnder(root: string): string[] {
  try {
    return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.rec')).map((e) => join(e.parentPath, e.name))
  } catch {
    return []
  }
}

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

describeWith(['git', 'helm'], 'the App when one plan runs out of its budget', () => {
  let gh: GitHubDouble
  let fleetRepo: FleetRepo
  let repo: RepoState
  let cache: string

  beforeAll(() => execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' }))
  beforeEach(async () => {
    nock.disableNetConnect()
    nock.enableNetConnect('127.0.0.1')
    gh = await startGitHubDouble()
    fleetRepo = makeFleetRepo()
    repo = gh.repo('acme', 'fleet', { gitDir: fleetRepo.dir })
    repo.pulls.push(gh.pull(repo, { number: 7, base: 'main', baseSha: fleetRepo.baseSha, head: 'feature', headSha: fleetRepo.headSha }))
    cache = mkdtempSync(join(tmpdir(), 'fluxgate-app-cache-'))
  })
  afterEach(async () => {
    for (const k of ['FLUXGATE_CACHE_DIR', 'FLUXGATE_PLAN_MEMORY_MB', 'FLUXGATE_PLAN_TIMEOUT', 'FLUXGATE_RENDER_CACHE_MB']) delete process.env[k]
    await gh.close()
    fleetRepo.cleanup()
    rmSync(cache, { recursive: true, force: true })
    nock.cleanAll()
    nock.enableNetConnect()
  })

  function probotWith(env: Record<string, string>): Probot {
    Object.assign(process.env, { FLUXGATE_CACHE_DIR: cache, ...env })
    const p = new Probot({ appId: 123, privateKey, baseUrl: gh.url, logLevel: 'fatal', Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }) })
    p.load(app)
    return p
  }
  const target = (): PrTarget => ({ owner: 'acme', repo: 'fleet', number: 7, base: { ref: 'main', sha: fleetRepo.baseSha }, head: { ref: 'feature', sha: fleetRepo.headSha }, cloneUrl: `${gh.url}/acme/fleet.git` })

  it('keeps each repository\'s renders beside its git cache for the next review, within FLUXGATE_RENDER_CACHE_MB (0: none)', async () => {
    const renders = (): string[] => readdirSync(cache).filter((n) => n.endsWith('.git')).flatMap((n) => recordsUnder(join(cache, n, 'fluxgate-renders')))
    const off = probotWith({ FLUXGATE_RENDER_CACHE_MB: '0' })
    await off.receive({ id: '1', name: 'pull_request', payload: pullRequestEvent('opened', target()) } as never)
    await reviewQueueOf(off)!.drained()
    expect(renders()).toEqual([])
    delete process.env['FLUXGATE_RENDER_CACHE_MB']
    const on = probotWith({})
    await on.receive({ id: '2', name: 'pull_request', payload: pullRequestEvent('synchronize', target()) } as never)
    await reviewQueueOf(on)!.drained()
    expect(renders().length).toBeGreaterThan(0)
    expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' })
  }, 240_000)

  for (const [what, env, reason] of [
    ['memory', { FLUXGATE_PLAN_MEMORY_MB: '4' }, /more than 4 MB of memory|plan worker/],
    ['time', { FLUXGATE_PLAN_TIMEOUT: '0.001' }, /took longer than 0 s/],
  ] as const) {
    it(`out of ${what}: a neutral check and a comment with the reason, and the next review still works`, async () => {
      const hostile = probotWith(env)
      await hostile.receive({ id: '1', name: 'pull_request', payload: pullRequestEvent('opened', target()) } as never)
      await reviewQueueOf(hostile)!.drained()
      expect(repo.checkRuns[0]).toMatchObject({ conclusion: 'neutral' })
      expect(repo.checkRuns[0]!.output.summary).toMatch(reason)
      expect(repo.comments[0]!.body).toMatch(/could not be made/)
      expect(repo.comments[0]!.body).toMatch(reason)
      for (const k of Object.keys(env)) delete process.env[k]
      const healthy = probotWith({})
      await healthy.receive({ id: '2', name: 'pull_request', payload: pullRequestEvent('synchronize', target()) } as never)
      await reviewQueueOf(healthy)!.drained()
      expect(repo.checkRuns.at(-1)).toMatchObject({ conclusion: 'failure' })
      expect(repo.comments[0]!.body).toContain('<!-- fluxgate:plan -->')
      expect(repo.comments[0]!.body).not.toMatch(/could not be made/)
    }, 240_000)
  }
})

/**
 * The App's warm plan workers (src/adapters/worker/plan-workers.ts), with the built worker
 * (lib/plan-worker.js) and real git: a worker kept between plans of a repository plans exactly
 * what a worker of its own plans, is never reused past a limit, and is ended when idle, crowded
 * out, forgotten or closed.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { planInWorker, PlanWorkers } from '../../src/adapters/worker/plan-workers.js'
import type { WorkerPlanRequest } from '../../src/adapters/worker/plan-worker.js'
import type { ReviewablePlan } from '../../src/flows/plan.js'
import { describeWith } from '../support/components.js'
import { makeFleetRepo, type FleetRepo } from '../github/support/fleet-repo.js'

const LIMITS = { timeoutMs: 120_000, memoryMb: 1024 }
const timeless = (p: ReviewablePlan): string => JSON.stringify({ ...p.plan, durationMs: 0 })

const DEPLOYMENT = (image: string, replicas: number): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: default\nspec:\n  replicas: ${replicas}\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: ${image}\n`

describeWith(['git'], 'warm plan workers', () => {
  let repo: FleetRepo
  let other: FleetRepo
  let cacheDir: string
  const open: PlanWorkers[] = []
  const workers = (opts: ConstructorParameters<typeof PlanWorkers>[0]): PlanWorkers => {
    const w = new PlanWorkers(opts)
    open.push(w)
    return w
  }
  beforeAll(() => {
    execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' })
    repo = makeFleetRepo()
    other = makeFleetRepo()
    cacheDir = mkdtempSync(join(tmpdir(), 'fluxgate-warm-workers-'))
  })
  afterAll(async () => {
    await Promise.all(open.map((w) => w.close()))
    repo.cleanup()
    other.cleanup()
    rmSync(cacheDir, { recursive: true, force: true })
  })
  const req = (r: FleetRepo, head = r.headSha, extra: Partial<WorkerPlanRequest> = {}): WorkerPlanRequest => ({ gitDir: r.dir, base: r.baseSha, head, origin: { kind: 'local' }, repoUrl: 'https://github.com/acme/fleet', ...extra })

  it('plans every push of a pull request in one worker, each plan what a worker of its own plans', async () => {
    const w = workers({ keep: 2 })
    const renders = { renderCacheAt: { dir: join(cacheDir, 'pushes'), maxBytes: 64 * 1024 * 1024 } }
    const heads = [repo.headSha, repo.pushHead({ 'apps/deployment.yaml': DEPLOYMENT('ghcr.io/acme/web:1.4.0', 3) }, 'three replicas'), repo.pushHead({ 'apps/deployment.yaml': DEPLOYMENT('ghcr.io/acme/web:1.5.0', 3) }, 'web 1.5.0')]
    const warm: ReviewablePlan[] = []
    for (const head of [...heads, heads[0]!]) {
      warm.push(await w.plan(req(repo, head, renders), LIMITS))
      expect(w.warm).toBe(1)
    }
    expect(w.started).toBe(1)
    // The next push walks only the head, reusing records the first plan wrote (read back from
    // the worker's memory); the first review asked again walks nothing: both trees were rendered.
    expect(warm[1]!.units!.fromCache).toBeGreaterThan(0)
    expect(warm[1]!.units!.rendered).toBeLessThan(warm[0]!.units!.rendered)
    expect(warm[1]!.units!.wholeTrees).toBe(1)
    expect(warm[3]!.units).toMatchObject({ rendered: 0, reused: 0, wholeTrees: 2 })
    for (const [i, head] of [...heads, heads[0]!].entries()) {
      const alone = await planInWorker(req(repo, head), LIMITS)
      expect(timeless(warm[i]!)).toBe(timeless(alone))
    }
    expect(warm.map((p) => p.plan.head.sha)).toEqual([...heads, heads[0]])
    expect(warm[2]!.plan.clusters[0]!.changes.map((c) => `${c.action} ${c.id.kind}/${c.id.name}`)).toContain('changed Deployment/web')
  })

  it('keeps a worker whose plan failed within its limits, and says why the plan failed', async () => {
    const w = workers({ keep: 1 })
    await expect(w.plan(req(repo, 'f'.repeat(40)), LIMITS)).rejects.toThrow(/unknown revision/)
    expect(w.warm).toBe(1)
    const planned = await w.plan(req(repo), LIMITS)
    expect(planned.plan.head.sha).toBe(repo.headSha)
    expect(w.started).toBe(1)
  })

  it('prunes a warm worker\'s render cache once it has answered and no plan waits', async () => {
    const w = workers({ keep: 1 })
    const dir = join(cacheDir, 'pruned')
    const planned = await w.plan(req(repo, repo.headSha, { renderCacheAt: { dir, maxBytes: 1 } }), LIMITS)
    expect(planned.units!.stored).toBeGreaterThan(0)
    // Pruned to one byte: every record goes, after the answer (the folder is made when the
    // first record reaches the disk, which may be after the answer too).
    const records = (): number => (existsSync(dir) ? readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith('.rec')).length : -1)
    for (let i = 0; i < 100 && records() !== 0; i++) await sleep(50)
    expect(records()).toBe(0)
    expect(w.warm).toBe(1)
  })

  it('loses none of a warm plan\'s records when the next plan is asked at once', async () => {
    const w = workers({ keep: 1 })
    const renders = { renderCacheAt: { dir: join(cacheDir, 'settled'), maxBytes: 64 * 1024 * 1024 } }
    const records = (): number => (existsSync(renders.renderCacheAt.dir) ? readdirSync(renders.renderCacheAt.dir, { recursive: true }).filter((f) => String(f).endsWith('.rec')).length : 0)
    const first = await w.plan(req(repo, repo.headSha, renders), LIMITS)
    const next = repo.pushHead({ 'apps/deployment.yaml': DEPLOYMENT('ghcr.io/acme/web:1.6.0', 2) }, 'web 1.6.0')
    // Asked at once, while the first plan's records may still be on their way.
    const second = await w.plan(req(repo, next, renders), LIMITS)
    expect(first.units!.stored).toBeGreaterThan(0)
    for (let i = 0; i < 100 && records() < first.units!.stored + second.units!.stored; i++) await sleep(50)
    expect(records()).toBeGreaterThanOrEqual(first.units!.stored)
    // A worker of its own, from the disk alone, renders nothing the warm one stored.
    const alone = await planInWorker(req(repo, next, renders), LIMITS)
    expect(alone.units!.fromCache).toBeGreaterThan(0)
    expect(alone.units!.stored).toBe(0)
    expect(timeless(alone)).toBe(timeless(second))
  })

  it('refuses a request that cannot cross to a worker, and goes on planning', async () => {
    const w = workers({ keep: 1 })
    const uncloneable = { ...req(repo), paths: [() => 'clusters'] } as unknown as WorkerPlanRequest
    await expect(w.plan(uncloneable, LIMITS)).rejects.toThrow(/could not be sent to its worker/)
    expect((await w.plan(req(repo), LIMITS)).plan.head.sha).toBe(repo.headSha)
  })

  it('never reuses a worker stopped at its deadline', async () => {
    const w = workers({ keep: 1 })
    await expect(w.plan(req(repo), { ...LIMITS, timeoutMs: 1 })).rejects.toThrow(/took longer than 0 s/)
    expect(w.warm).toBe(0)
    expect((await w.plan(req(repo), LIMITS)).plan.head.sha).toBe(repo.headSha)
    expect(w.started).toBe(2)
  })

  it('starts a second worker for a plan of a repository whose worker is busy, and keeps one', async () => {
    const w = workers({ keep: 2 })
    const [a, b] = await Promise.all([w.plan(req(repo), LIMITS), w.plan(req(repo), LIMITS)])
    expect(timeless(a)).toBe(timeless(b))
    expect(w.started).toBe(2)
    expect(w.warm).toBe(1)
  })

  /** Plans each repository in turn; how many workers were started after each plan. */
  const startedAfterEach = async (w: PlanWorkers, order: FleetRepo[]): Promise<number[]> => {
    const started: number[] = []
    for (const r of order) started.push((await w.plan(req(r), LIMITS), w.started))
    return started
  }

  it('keeps one worker per repository, and a new one crowds out the least recently used', async () => {
    const w = workers({ keep: 1 })
    expect(await startedAfterEach(w, [repo, other, other, repo])).toEqual([1, 2, 2, 3])
    expect(w.warm).toBe(1)
  })

  it('ends a worker idle for longer than idleMs, one of a forgotten repository, and all on close', async () => {
    const idle = workers({ keep: 2, idleMs: 50 })
    await idle.plan(req(repo), LIMITS)
    expect(idle.warm).toBe(1)
    await sleep(300)
    expect(idle.warm).toBe(0)

    const w = workers({ keep: 2 })
    await w.plan(req(repo), LIMITS)
    await w.plan(req(other), LIMITS)
    w.forget(other.dir)
    expect(w.warm).toBe(1)
    await w.close()
    expect(w.warm).toBe(0)
    // A plan after close runs in a worker of its own, which is not kept.
    expect((await w.plan(req(repo), LIMITS)).plan.head.sha).toBe(repo.headSha)
    expect(w.warm).toBe(0)
  })

  it('with keep 0, every plan has a worker of its own', async () => {
    const w = workers({ keep: 0 })
    expect(await startedAfterEach(w, [repo, repo, other])).toEqual([1, 2, 3])
    expect(w.warm).toBe(0)
  })

  it('leaves no git process behind, running or unreaped: a worker of its own, one crowded out, every one on close', async () => {
    // A process a worker thread started is reaped by that thread's own event loop only: one left
    // running when the pool ends the thread stays a zombie of this process for good.
    const before = gitChildren()
    const left = async (): Promise<string[]> => {
      await sleep(300)
      return gitChildren().filter((c) => !before.includes(c))
    }
    await planInWorker(req(repo), LIMITS)
    expect(await left()).toEqual([])
    const w = workers({ keep: 1 })
    await w.plan(req(repo), LIMITS)
    // Warm, its reader's processes stay for the next push; another repository crowds it out.
    expect((await left()).length).toBeGreaterThan(0)
    await w.plan(req(other), LIMITS)
    await w.close()
    expect(await left()).toEqual([])
  })
})

/** This process's git children, running or ended and not reaped (`pid state`). */
function gitChildren(): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((p) => {
      try {
        const [, comm, rest] = /^\d+ \((.*)\) (.*)$/s.exec(readFileSync(`/proc/${p}/stat`, 'utf8')) ?? []
        return comm === 'git' && Number(rest?.split(' ')[1]) === process.pid ? [`${p} ${rest?.[0]}`] : []
      } catch {
        return []
      }
    })
}

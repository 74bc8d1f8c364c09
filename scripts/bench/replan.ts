// The App's replan: the first review of a pull request (base and its first head) runs, then
// the review of the next push (one more line changed) is timed. Three ways:
// - in one process: reading its trees from Git, and the plan itself, without a render cache
//   (the replan renders the base in full and the head incrementally) and with the render cache
//   the App keeps per repository (FLUXGATE_RENDER_CACHE_MB, on by default), which the first
//   review filled; what a long-lived planner with warm memory could do;
// - as the App runs it: in its plan worker (planInWorker, the App's heap limit and deadline),
//   kept warm from the first review (PlanWorkers), and in a worker of its own that starts from
//   nothing but that render cache on disk (a review that finds no warm worker).
// Each plan is timed with the gate's verdict, as the App's review makes it. Bundled by
// scripts/bench.mjs; prints {"firstMs", "treesMs", "planMs", "cachedPlanMs", "workerMs", "warmWorkerMs", "warmAgainMs", "warmWorkersStarted",
// "units", "cachedUnits", "identical"}, where `identical` compares every replan with a plan of
// the same change made in a fresh repository reader.
import { performance } from 'node:perf_hooks'
import { planTrees, verdictOf } from '../../src/flows/plan.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GitRepo } from '../../src/infra/git-repo.js'
import { DiskRenderCache } from '../../src/infra/render-cache.js'
import type { RenderCache } from '../../src/ports/render-cache.js'
import { FLEET_REPO_URL } from '../../test/support/fleet-generator.js'
import { DEFAULT_PLAN_LIMITS } from '../../src/adapters/worker/plan-worker.js'
import { planInWorker, PlanWorkers } from '../../src/adapters/worker/plan-workers.js'

const dir = process.argv[2]!

async function review(repo: GitRepo, base: string, head: string, renderCache?: RenderCache): Promise<{ treesMs: number; planMs: number; units: unknown; plan: string }> {
  const t0 = performance.now()
  const [b, h] = [await repo.resolve(base), await repo.resolve(head)]
  const [bt, ht] = [await repo.tree(b), await repo.tree(h)]
  const t1 = performance.now()
  // Offline: the generated fleet's chart is local; nothing is fetched in a benchmark.
  const planned = await planTrees({ origin: { kind: 'local' }, from: { tree: bt, revision: b, label: base }, to: { tree: ht, revision: h, label: head }, settings: bt, repoUrl: FLEET_REPO_URL, branch: 'main', offline: true, ...(renderCache ? { renderCache } : {}) })
  // The App's review gates every plan (its rules read the masked head objects), so the gate is timed too.
  verdictOf(planned, [])
  const t2 = performance.now()
  return { treesMs: t1 - t0, planMs: t2 - t1, units: planned.units, plan: JSON.stringify({ ...planned.plan, durationMs: 0 }) }
}

const repo = new GitRepo(dir)
const first = await review(repo, 'HEAD~2', 'HEAD~1')
const replan = await review(repo, 'HEAD~2', 'HEAD')
const folder = mkdtempSync(join(tmpdir(), 'fluxgate-replan-'))
const cache = new DiskRenderCache(folder)
const cachedRepo = new GitRepo(dir)
await review(cachedRepo, 'HEAD~2', 'HEAD~1', cache)
const cached = await review(cachedRepo, 'HEAD~2', 'HEAD', cache)
rmSync(folder, { recursive: true, force: true })

// As the App: in a plan worker, the render cache on disk beside the repository. The App keeps
// the worker of the first review warm for the next (PlanWorkers); a worker of its own for
// each review is what FLUXGATE_WARM_PLAN_WORKERS=0 does, and what a review finds when the
// warm one was ended (idle too long, or busy with another review).
// The App plans commits, never refs: it names both by SHA.
const shaOf = new Map(await Promise.all(['HEAD~2', 'HEAD~1', 'HEAD'].map(async (r) => [r, await new GitRepo(dir).resolve(r)] as const)))
async function inWorker(workers: PlanWorkers | undefined, cacheDir: string, base: string, head: string): Promise<{ ms: number; plan: string }> {
  const t0 = performance.now()
  const planned = await planInWorker({ origin: { kind: 'local' }, base: shaOf.get(base)!, head: shaOf.get(head)!, baseLabel: base, headLabel: head, repoUrl: FLEET_REPO_URL, branch: 'main', offline: true, gitDir: dir, renderCacheAt: { dir: cacheDir, maxBytes: 256 * 1024 * 1024 } }, DEFAULT_PLAN_LIMITS, undefined, workers)
  verdictOf(planned, [])
  return { ms: performance.now() - t0, plan: JSON.stringify({ ...planned.plan, durationMs: 0 }) }
}
const workerCache = mkdtempSync(join(tmpdir(), 'fluxgate-replan-worker-'))
await inWorker(undefined, workerCache, 'HEAD~2', 'HEAD~1')
const worker = await inWorker(undefined, workerCache, 'HEAD~2', 'HEAD')
rmSync(workerCache, { recursive: true, force: true })
const warmCache = mkdtempSync(join(tmpdir(), 'fluxgate-replan-warm-'))
const warmWorkers = new PlanWorkers({ keep: 1 })
await inWorker(warmWorkers, warmCache, 'HEAD~2', 'HEAD~1')
const warm = await inWorker(warmWorkers, warmCache, 'HEAD~2', 'HEAD')
// The same review again (a re-run check, a label): the worker has both trees and every record.
const again = await inWorker(warmWorkers, warmCache, 'HEAD~2', 'HEAD')
const warmStarted = warmWorkers.started
await warmWorkers.close()
rmSync(warmCache, { recursive: true, force: true })

const reference = await review(new GitRepo(dir), 'HEAD~2', 'HEAD')
process.stdout.write(
  JSON.stringify({
    firstMs: first.treesMs + first.planMs,
    treesMs: replan.treesMs,
    planMs: replan.planMs,
    cachedPlanMs: cached.planMs,
    workerMs: worker.ms,
    warmWorkerMs: warm.ms,
    warmAgainMs: again.ms,
    warmWorkersStarted: warmStarted,
    units: replan.units,
    cachedUnits: cached.units,
    identical: reference.plan === replan.plan && reference.plan === cached.plan && reference.plan === worker.plan && reference.plan === warm.plan && reference.plan === again.plan,
  }) + '\n',
)

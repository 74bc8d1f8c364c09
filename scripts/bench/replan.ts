// The App's replan, in one process as the App runs it: the first review of a pull request
// (base and its first head) fills an in-memory RenderCache; the review of the next push (one more
// line changed) is then timed: reading its trees from Git, and the plan itself. Bundled by
// scripts/bench.mjs; prints {"firstMs", "treesMs", "planMs", "units", "identical"}, where
// `identical` compares the replan with a plan of the same change made with nothing kept.
import { performance } from 'node:perf_hooks'
import { planTrees } from '../../src/flows/plan.js'
import { GitRepo } from '../../src/infra/git-repo.js'
import { MemoryRenderCache } from '../../src/infra/render-cache.js'
import type { RenderCache } from '../../src/ports/render-cache.js'
import { FLEET_REPO_URL } from '../../test/support/fleet-generator.js'

const dir = process.argv[2]!

async function review(repo: GitRepo, cache: RenderCache, base: string, head: string): Promise<{ treesMs: number; planMs: number; units: unknown; plan: string }> {
  const t0 = performance.now()
  const [b, h] = [await repo.resolve(base), await repo.resolve(head)]
  const [bt, ht] = [await repo.tree(b), await repo.tree(h)]
  const t1 = performance.now()
  const planned = await planTrees({ origin: { kind: 'local' }, from: { tree: bt, revision: b, label: base }, to: { tree: ht, revision: h, label: head }, settings: bt, repoUrl: FLEET_REPO_URL, branch: 'main', renderCache: cache })
  const t2 = performance.now()
  return { treesMs: t1 - t0, planMs: t2 - t1, units: planned.units, plan: JSON.stringify({ ...planned.plan, durationMs: 0 }) }
}

const repo = new GitRepo(dir)
const cache = new MemoryRenderCache(1024 * 1024 * 1024)
const first = await review(repo, cache, 'HEAD~2', 'HEAD~1')
const replan = await review(repo, cache, 'HEAD~2', 'HEAD')
const reference = await review(new GitRepo(dir), new MemoryRenderCache(0), 'HEAD~2', 'HEAD')
process.stdout.write(JSON.stringify({ firstMs: first.treesMs + first.planMs, treesMs: replan.treesMs, planMs: replan.planMs, units: replan.units, identical: reference.plan === replan.plan }) + '\n')

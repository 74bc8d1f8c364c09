// The App's replan, in one process as the App runs it: the first review of a pull request
// (base and its first head) runs, then the review of the next push (one more line changed) is
// timed: reading its trees from Git, and the plan itself. Nothing of a render is kept between
// reviews (there is no render cache): the replan renders the base in full and the head
// incrementally. Bundled by scripts/bench.mjs; prints {"firstMs", "treesMs", "planMs", "units",
// "identical"}, where `identical` compares the replan with a plan of the same change made in a
// fresh repository reader.
import { performance } from 'node:perf_hooks'
import { planTrees } from '../../src/flows/plan.js'
import { GitRepo } from '../../src/infra/git-repo.js'
import { FLEET_REPO_URL } from '../../test/support/fleet-generator.js'

const dir = process.argv[2]!

async function review(repo: GitRepo, base: string, head: string): Promise<{ treesMs: number; planMs: number; units: unknown; plan: string }> {
  const t0 = performance.now()
  const [b, h] = [await repo.resolve(base), await repo.resolve(head)]
  const [bt, ht] = [await repo.tree(b), await repo.tree(h)]
  const t1 = performance.now()
  // Offline: the generated fleet's chart is local; nothing is fetched in a benchmark.
  const planned = await planTrees({ origin: { kind: 'local' }, from: { tree: bt, revision: b, label: base }, to: { tree: ht, revision: h, label: head }, settings: bt, repoUrl: FLEET_REPO_URL, branch: 'main', offline: true })
  const t2 = performance.now()
  return { treesMs: t1 - t0, planMs: t2 - t1, units: planned.units, plan: JSON.stringify({ ...planned.plan, durationMs: 0 }) }
}

const repo = new GitRepo(dir)
const first = await review(repo, 'HEAD~2', 'HEAD~1')
const replan = await review(repo, 'HEAD~2', 'HEAD')
const reference = await review(new GitRepo(dir), 'HEAD~2', 'HEAD')
process.stdout.write(JSON.stringify({ firstMs: first.treesMs + first.planMs, treesMs: replan.treesMs, planMs: replan.planMs, units: replan.units, identical: reference.plan === replan.plan }) + '\n')

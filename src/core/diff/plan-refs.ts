import type { Clock } from '../../ports/clock.js'
import type { FileTree, RepoSource } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { Logger } from '../../ports/logger.js'
import type { Plan } from '../model/plan.js'
import { renderFleet, type RenderOptions } from '../render/render-fleet.js'
import { planChange } from './plan-change.js'

/** What planRefs needs besides the repository. */
export interface PlanRefsOptions {
  base: string
  head: string
  /** Render options shared by both sides (the revision is set per side). */
  render?: Omit<RenderOptions, 'revision'>
  helm?: HelmRunner
  logger?: Logger
  /** Times the plan (`durationMs`); without one it is reported as 0. */
  clock?: Clock
}

/**
 * The plan of a pull request from any repository source (local Git, the GitHub API):
 * 1. resolve both refs and their merge base (base itself, with a warning diagnostic, when
 *    they share no history);
 * 2. load and render the merge-base tree and the head tree;
 * 3. planChange: compare, mask, prune plan.
 * The CLI, the Action and the App all call this; only the RepoSource differs.
 */
export async function planRefs(repo: RepoSource, opts: PlanRefsOptions): Promise<Plan> {
  const started = opts.clock?.now() ?? 0
  const baseSha = await repo.resolve(opts.base)
  const headSha = await repo.resolve(opts.head)
  const mergeBase = await repo.mergeBase(baseSha, headSha)
  const fromSha = mergeBase ?? baseSha
  const ports = { ...(opts.helm ? { helm: opts.helm } : {}), ...(opts.logger ? { logger: opts.logger } : {}) }
  const render = async (sha: string): ReturnType<typeof renderFleet> => {
    const tree: FileTree = await repo.tree(sha)
    return renderFleet(tree, { ...(opts.render ?? {}), revision: sha }, ports)
  }
  const baseFleet = await render(fromSha)
  const headFleet = await render(headSha)
  const baseRef = mergeBase && mergeBase !== baseSha ? `merge base of ${opts.base}` : opts.base
  const plan = planChange(baseFleet, headFleet, { baseRef, headRef: opts.head, durationMs: opts.clock ? opts.clock.now() - started : 0 })
  if (!mergeBase) {
    plan.diagnostics.push({ code: 'diff/no-merge-base', severity: 'warning', message: `${opts.base} and ${opts.head} share no history: compared against ${opts.base} itself` })
  }
  return plan
}

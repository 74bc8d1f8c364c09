import type { ClusterPlan } from '../model/plan.js'
import { isFrozenRender, type ClusterRender } from '../model/render-result.js'
import { frozen } from '../model/frozen.js'
import type { Redactor } from '../mask/redactor.js'
import type { CompareOptions } from './compare-objects.js'

/** What a cluster's plan is a function of besides its head render. */
interface Planned {
  base: ClusterRender
  hub: { base?: ClusterRender; head?: ClusterRender } | undefined
  redactor: Redactor
  diffAddedRemoved: boolean
  plan: ClusterPlan
}

/** Plans kept per head render: the plan of a pull request, and the one before. */
const PER_HEAD = 2

/**
 * Plans of clusters, by head render. A cluster walk reused whole is the same frozen render
 * push after push (ClusterMemo, FleetMemo), and so is its base: the clusters a push does not
 * reach plan exactly as before (about a quarter of a warm replan on the 1,000-Kustomization
 * fleet went to comparing them again). A plan is a function of its base and head renders, the
 * hub's renders of a remote cluster, the values masked and the options, all of which are
 * compared here; only frozen renders are keyed on (a render that could still change is
 * planned each time), and plans are frozen to be shared. Held weakly by the head render: a
 * plan lives as long as the render it came from.
 */
const PLANS = new WeakMap<ClusterRender, Planned[]>()

/** The plan of `head` against `base`, planned by `plan` unless an identical plan was made before. */
export function clusterPlanOf(base: ClusterRender, head: ClusterRender, hub: Planned['hub'], redactor: Redactor, opts: CompareOptions, plan: () => ClusterPlan): ClusterPlan {
  if (![base, head, hub?.base, hub?.head].every((r) => r === undefined || isFrozenRender(r))) return plan()
  const diffAddedRemoved = opts.diffAddedRemoved !== false
  const kept = PLANS.get(head) ?? []
  const found = kept.find((p) => p.base === base && p.hub?.base === hub?.base && p.hub?.head === hub?.head && p.diffAddedRemoved === diffAddedRemoved && p.redactor.sameAs(redactor))
  if (found) return found.plan
  const made = frozen(plan())
  PLANS.set(head, [{ base, hub, redactor, diffAddedRemoved, plan: made }, ...kept].slice(0, PER_HEAD))
  return made
}

import type { ReviewablePlan } from '../../flows/plan.js'
import { frozen } from '../../core/model/frozen.js'
import type { ClusterPlan, Plan } from '../../core/model/plan.js'

/** A cluster plan the App's thread already holds: its place in the clusters of the answer before. */
export interface SentBefore {
  sentBefore: number
}

/** A plan as it crosses from a plan worker: each cluster whole, or its place in the answer before. */
export type WirePlan = Omit<Plan, 'clusters'> & { clusters: (ClusterPlan | SentBefore)[] }

/** A plan worker's answer: the plan and the working plan (the same object when nothing is masked) as they cross. */
export type WirePlanned = Omit<ReviewablePlan, 'redactor' | 'plan' | 'workingPlan'> & { plan: WirePlan; workingPlan: WirePlan }

/** The clusters an answer holds, in the order both sides number them: the plan's, then the working plan's when it is another. */
function clustersOf<C>(plan: { clusters: C[] }, working: { clusters: C[] }): C[] {
  return plan === working ? plan.clusters : [...plan.clusters, ...working.clusters]
}

/**
 * The worker's side. A warm worker plans push after push of one pull request, and the plans of
 * the clusters a push does not reach are the very objects (frozen) of the plan before: at
 * 10,000 Kustomizations the plan is megabytes of owners, and copying it to the App's thread
 * took longer than the replan itself. A cluster plan the thread was sent in the last answer
 * crosses as its place there; the thread keeps that answer's clusters (ClusterReceiver).
 */
export class ClusterSender {
  private sent = new Map<ClusterPlan, number>()

  /** The answer as it crosses, and what to note once it has been posted (`posted`). */
  encode(planned: Omit<ReviewablePlan, 'redactor'>): { wire: WirePlanned; clusters: ClusterPlan[] } {
    const { plan, workingPlan } = planned
    const wireOf = (p: Plan): WirePlan => ({ ...p, clusters: p.clusters.map((c) => (this.sent.has(c) ? { sentBefore: this.sent.get(c)! } : c)) })
    const wirePlan = wireOf(plan)
    const wireWorking = workingPlan === plan ? wirePlan : wireOf(workingPlan)
    return { wire: { ...planned, plan: wirePlan, workingPlan: wireWorking }, clusters: clustersOf(plan, workingPlan) }
  }

  /** The answer reached the thread: its clusters are the ones the next answer may refer to. */
  posted(clusters: readonly ClusterPlan[]): void {
    this.sent = new Map(clusters.map((c, i) => [c, i]))
  }
}

/** The thread's side of ClusterSender, one per worker. */
export class ClusterReceiver {
  private held: readonly ClusterPlan[] = []

  /**
   * The answer with every cluster in place, or a message saying why it cannot be: a place the
   * answer before did not have (the worker and the thread disagree; the worker is not reused).
   * Clusters are kept frozen: the next answer may hand out the same objects again.
   */
  decode(wire: WirePlanned): Omit<ReviewablePlan, 'redactor'> | string {
    let missing: number | undefined
    const planOf = (p: WirePlan): Plan => ({
      ...p,
      clusters: p.clusters.map((c) => {
        if (!('sentBefore' in c)) return frozen(c)
        const held = this.held[c.sentBefore]
        if (held === undefined) missing = c.sentBefore
        return held!
      }),
    })
    const plan = planOf(wire.plan)
    const workingPlan = wire.workingPlan === wire.plan ? plan : planOf(wire.workingPlan)
    if (missing !== undefined) return `the plan worker referred to cluster ${missing} of an answer it had not sent`
    this.held = clustersOf(plan, workingPlan)
    return { ...wire, plan, workingPlan }
  }
}

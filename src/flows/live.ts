import { liveDiff } from '../core/live/live-diff.js'
import { maskShown } from '../core/mask/index.js'
import type { ClusterClient } from '../ports/cluster.js'
import type { PlannedChange } from './plan.js'
import { pickFleetCluster } from './pick-cluster.js'

/**
 * The live view of a planned change (`diff --live`): picks the fleet cluster the connection
 * reaches and attaches the API server's view of the change (server-side dry runs, drift,
 * inventory) to that cluster's plan. Returns the cluster's name, or undefined when no
 * cluster of the fleet matches (the plan is then left as it is).
 */
export async function attachLive(planned: PlannedChange, client: ClusterClient, requested: string | undefined, secretValues: readonly string[] = []): Promise<string | undefined> {
  // The cluster is found and read by its real names (the working plan); what is shown is masked.
  const name = pickFleetCluster(planned.workingPlan, requested, client.context)
  const index = planned.workingPlan.clusters.findIndex((c) => c.name === name)
  const target = planned.workingPlan.clusters[index]
  if (!target) return undefined
  const base = planned.baseFleet.clusters.find((c) => c.name === name)
  const head = planned.headFleet.clusters.find((c) => c.name === name)
  const live = await liveDiff(client, target, base, head, { secretValues: [...secretValues] })
  // A cluster's plan may be shared (a frozen plan reused from an earlier one): the view goes on a copy.
  planned.plan.clusters[index] = { ...planned.plan.clusters[index]!, live: maskShown(live, planned.redactor) }
  return target.name
}

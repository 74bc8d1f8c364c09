import type { Plan } from '../core/model/plan.js'
import { RequestError } from './errors.js'

/**
 * The fleet cluster a cluster connection stands for (one picker for `diff --live`,
 * `reconcile`, the Action and the App): the name asked for, else the cluster named like the
 * kubeconfig context, else the only cluster, else the only cluster the change touches.
 * Undefined when the change touches none; a RequestError names the choices when it is
 * ambiguous or the name is unknown.
 */
export function pickFleetCluster(plan: Plan, requested: string | undefined, context: string): string | undefined {
  const names = plan.clusters.map((c) => c.name)
  if (requested) {
    if (!names.includes(requested)) throw new RequestError(`cluster '${requested}' is not in the repository (clusters: ${names.join(', ') || 'none'})`)
    return requested
  }
  if (names.includes(context)) return context
  if (names.length === 1) return names[0]
  const touched = plan.clusters.filter((c) => c.changes.length > 0 || c.owners.some((o) => o.state !== 'unchanged'))
  if (touched.length <= 1) return touched[0]?.name
  throw new RequestError(`the change touches clusters ${touched.map((c) => c.name).join(', ')} and context '${context}' names none: say which cluster it reaches`)
}

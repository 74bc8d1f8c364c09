import type { GateRule } from '../types.js'

/** Any object change on a protected cluster needs an approval. */
export const protectedClusters: GateRule = {
  id: 'protected-clusters',
  description: 'The pull request changes what is applied to a cluster listed in protectedClusters.',
  defaultLevel: 'fail',
  needsApproval: true,
  evaluate({ plan, config }) {
    const protectedNames = new Set(config.protectedClusters)
    return plan.clusters
      .filter((c) => protectedNames.has(c.name) && c.changes.length > 0)
      .map((c) => ({ message: `cluster ${c.name} is protected and ${c.changes.length} object(s) change on it`, location: { file: c.path } }))
  },
}

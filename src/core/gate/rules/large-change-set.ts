import type { GateRule } from '../types.js'

/** More object changes than `largeChangeSet` in one pull request: hard to review. */
export const largeChangeSet: GateRule = {
  id: 'large-change-set',
  description: 'The pull request changes more objects than the largeChangeSet setting.',
  defaultLevel: 'warn',
  evaluate({ plan, config }) {
    const total = plan.clusters.reduce((n, c) => n + c.changes.length, 0)
    return total > config.largeChangeSet ? [{ message: `${total} objects change (more than ${config.largeChangeSet})` }] : []
  },
}

import type { GateRule, RuleHit } from '../types.js'

/** Render errors fail the gate: Flux would not apply anything of a Kustomization that fails to build (K-18). */
export const renderErrors: GateRule = {
  id: 'render-errors',
  description: 'A cluster, Kustomization or HelmRelease failed to render.',
  defaultLevel: 'fail',
  evaluate({ plan }) {
    const diagnostics = [...plan.diagnostics, ...plan.clusters.flatMap((c) => c.diagnostics)]
    const hits: RuleHit[] = diagnostics
      .filter((d) => d.severity === 'error')
      .map((d) => ({ message: `${d.owner ? `${d.owner}: ` : ''}${d.message} [${d.code}]`, ...(d.location ? { location: d.location } : {}) }))
    for (const cluster of plan.clusters) {
      for (const owner of cluster.owners) {
        if (owner.status !== 'failed') continue
        const name = `${owner.ref.kind}/${owner.ref.namespace}/${owner.ref.name}`
        if (hits.some((h) => h.message.startsWith(`${name}:`))) continue
        hits.push({ message: `${name} in cluster ${cluster.name} failed to render${owner.note ? `: ${owner.note}` : ''}` })
      }
    }
    return hits
  },
}

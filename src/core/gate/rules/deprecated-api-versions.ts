import { apiLifecycleOf, apiVersionStatus } from '../../validate/index.js'
import { fluxKindOf } from '../../model/flux-kinds.js'
import { headObjects, hit } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

/**
 * Objects in head on an API version that is deprecated but still served at the configured
 * Kubernetes (or Flux) version: it works today and breaks on a later upgrade. Removed
 * versions are removed-api-versions' findings.
 */
export const deprecatedApiVersions: GateRule = {
  id: 'deprecated-api-versions',
  description: 'An object uses an API version the configured Kubernetes or Flux version deprecates (still served, removed in a later release).',
  defaultLevel: 'warn',
  evaluate({ plan, config }) {
    const hits: RuleHit[] = []
    for (const { change, after } of headObjects(plan)) {
      const flux = fluxKindOf(after.apiVersion, after.kind)
      if (!flux && !config.kubernetesVersion) continue
      const status = apiVersionStatus(after.apiVersion, after.kind, config.kubernetesVersion ?? '0.0', config.fluxVersion)
      if (status !== 'deprecated') continue
      if (flux) {
        const removedIn = flux.versions.find((v) => after.apiVersion.endsWith(`/${v.version}`))?.removedIn
        hits.push(hit(change, `${after.kind} ${after.metadata.name} uses ${after.apiVersion}, deprecated and removed in Flux ${removedIn ?? '?'}; use ${flux.group}/${flux.current}`))
        continue
      }
      const entry = apiLifecycleOf(after.apiVersion, after.kind)!
      const until = entry.removedIn ? `, removed in Kubernetes ${entry.removedIn}` : ''
      hits.push(hit(change, `${after.kind} ${after.metadata.name} uses ${after.apiVersion}, deprecated since Kubernetes ${entry.deprecatedIn}${until}; use ${entry.replacement}`))
    }
    return hits
  },
}

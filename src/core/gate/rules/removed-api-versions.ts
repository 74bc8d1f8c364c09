import { fluxKindOf } from '../../model/flux-kinds.js'
import { versionOf } from '../../model/resource-id.js'
import { compareMinor, removedKubernetesApi } from '../kubernetes-removed-apis.js'
import { headObjects, hit } from '../inspect.js'
import type { GateRule, RuleHit } from '../types.js'

/**
 * Objects in head that use an API version the configured Flux or Kubernetes release no
 * longer serves (flux-semantics §7.1; Kubernetes deprecation guide).
 */
export const removedApiVersions: GateRule = {
  id: 'removed-api-versions',
  description: 'An object uses an API version the configured Flux or Kubernetes version no longer serves.',
  defaultLevel: 'fail',
  evaluate({ plan, config }) {
    const hits: RuleHit[] = []
    for (const { change, after } of headObjects(plan)) {
      const flux = fluxKindOf(after.apiVersion, after.kind)
      if (flux) {
        const entry = flux.versions.find((v) => v.version === versionOf(after.apiVersion))
        if (entry?.removedIn && compareMinor(config.fluxVersion, entry.removedIn) >= 0) {
          hits.push(hit(change, `${after.kind} ${after.metadata.name} uses ${after.apiVersion}, removed in Flux ${entry.removedIn}; use ${flux.group}/${flux.current}`))
        }
        continue
      }
      if (!config.kubernetesVersion) continue
      const removed = removedKubernetesApi(after.apiVersion, after.kind, config.kubernetesVersion)
      if (removed) {
        hits.push(hit(change, `${after.kind} ${after.metadata.name} uses ${after.apiVersion}, not served since Kubernetes ${removed.removedIn}; use ${removed.replacement}`))
      }
    }
    return hits
  },
}

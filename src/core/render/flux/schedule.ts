import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { ArtifactResult, SourceRef } from '../../load/sources.js'
import { ownerKey } from '../../model/render-result.js'
import { sourceRefOf } from './kustomization.js'
import { dependsOnOf, type OwnerState } from './owners.js'

function depsDone(s: OwnerState, owners: Map<string, OwnerState>): boolean {
  // A dependency that is not in this cluster at all cannot be waited for (Flux would wait forever; reported elsewhere).
  return dependsOnOf(s).every((d) => owners.get(ownerKey(d))?.done !== false)
}

/**
 * The next Kustomization to render: the first whose dependsOn are rendered and whose source
 * is already known (a source declared by a later Kustomization defers it). When none
 * qualifies, one whose dependsOn are done is rendered anyway (its source is then reported
 * missing), and a dependsOn cycle is reported and broken. Undefined: no Kustomization left.
 */
export function nextKustomization(
  pending: OwnerState[],
  owners: Map<string, OwnerState>,
  resolve: (r: SourceRef) => ArtifactResult,
  diagnostics: Diagnostic[],
  cluster: string,
): OwnerState | undefined {
  const pool = pending.filter((s) => s.ref.kind === 'Kustomization')
  if (pool.length === 0) return undefined
  const known = (s: OwnerState): boolean => resolve(sourceRefOf(s.object)).type !== 'missing'
  const ready = pool.find((s) => depsDone(s, owners) && known(s)) ?? pool.find((s) => depsDone(s, owners))
  return ready ?? breakCycle(pool, diagnostics, cluster)
}

/** HelmReleases whose dependsOn are rendered: rendered together (or a cycle, reported and broken). */
export function nextHelmWave(pending: OwnerState[], owners: Map<string, OwnerState>, diagnostics: Diagnostic[], cluster: string): OwnerState[] {
  const wave = pending.filter((s) => depsDone(s, owners))
  return wave.length > 0 ? wave : [breakCycle(pending, diagnostics, cluster)]
}

function breakCycle(pool: OwnerState[], diagnostics: Diagnostic[], cluster: string): OwnerState {
  const first = pool[0]!
  diagnostics.push({
    code: 'render/dependency-cycle',
    severity: 'warning',
    message: `dependsOn of ${ownerKey(first.ref)} cannot be satisfied (cycle among ${pool.map((p) => ownerKey(p.ref)).join(', ')}); Flux would never apply them`,
    cluster,
    owner: ownerKey(first.ref),
  })
  return first
}

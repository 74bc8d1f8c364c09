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
  const chain = cycleFrom(pool)
  const first = chain[0] ?? pool[0]!
  const names = chain.length > 0 ? [...chain, first].map((s) => ownerKey(s.ref)).join(' → ') : pool.map((p) => ownerKey(p.ref)).join(', ')
  // K-19: Flux waits for a dependency forever, so no member of a cycle is ever applied: an error
  // (the members are still rendered, so the rest of the plan can be reviewed).
  diagnostics.push({
    code: 'render/dependency-cycle',
    severity: 'error',
    message: `dependsOn cycle ${names}: Flux would never apply ${chain.length > 1 ? 'these' : 'it'} (K-19)`,
    cluster,
    owner: ownerKey(first.ref),
    ...(first.location ? { location: first.location } : {}),
  })
  return first
}

/** The members of one dependsOn cycle among the waiting owners, in dependency order ([] if none). */
function cycleFrom(pool: OwnerState[]): OwnerState[] {
  const byKey = new Map(pool.map((s) => [ownerKey(s.ref), s]))
  const path: OwnerState[] = []
  let cur: OwnerState | undefined = pool[0]
  while (cur && !path.includes(cur)) {
    path.push(cur)
    cur = dependsOnOf(cur).map((d) => byKey.get(ownerKey(d))).find((d) => d !== undefined)
  }
  return cur ? path.slice(path.indexOf(cur)) : []
}

import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { ownerKey, type OwnerRef } from '../../model/render-result.js'
import { dependsOnOf, type OwnerState } from './owners.js'

/** Finds the owner a dependency names, in the dependent's own cluster. */
export type FindOwner = (dependent: OwnerState, dependency: OwnerRef) => OwnerState | undefined

/** True when every dependsOn of `s` is rendered (the schedule's rule, and the prefetch's). */
export function depsDone(s: OwnerState, find: FindOwner): boolean {
  // A dependency that is not in this cluster at all cannot be waited for (Flux would wait forever; reported elsewhere).
  return dependsOnOf(s).every((d) => find(s, d)?.done !== false)
}

/**
 * The next Kustomization or ResourceSet to render (both apply their objects at once, and
 * may yield more owners): the first whose dependsOn are rendered and whose source is
 * already known (a source declared by a later Kustomization defers it). When none
 * qualifies, one whose dependsOn are done is rendered anyway (its source is then reported
 * missing), and a dependsOn cycle is reported and broken. Undefined: none left.
 */
export function nextKustomization(pending: Iterable<OwnerState>, find: FindOwner, known: (s: OwnerState) => boolean, diagnostics: Diagnostic[], cluster: (s: OwnerState) => string): OwnerState | undefined {
  // One pass that stops at the first ready owner (usually the first one): the walk asks once
  // per owner it renders, so listing every waiting owner first cost n² over a walk.
  let any = false
  let depsOnly: OwnerState | undefined
  for (const s of pending) {
    if (!kustomizationLike(s)) continue
    any = true
    if (!depsDone(s, find)) continue
    if (known(s)) return s
    depsOnly ??= s
  }
  if (!any) return undefined
  return depsOnly ?? breakCycle([...pending].filter(kustomizationLike), diagnostics, cluster)
}

const kustomizationLike = (s: OwnerState): boolean => s.ref.kind === 'Kustomization' || s.ref.kind === 'ResourceSet'

/** HelmReleases whose dependsOn are rendered: rendered together (or a cycle, reported and broken). */
export function nextHelmWave(pending: Iterable<OwnerState>, find: FindOwner, diagnostics: Diagnostic[], cluster: (s: OwnerState) => string): OwnerState[] {
  const all = [...pending]
  const wave = all.filter((s) => depsDone(s, find))
  return wave.length > 0 ? wave : [breakCycle(all, diagnostics, cluster)]
}

function breakCycle(pool: OwnerState[], diagnostics: Diagnostic[], clusterOf: (s: OwnerState) => string): OwnerState {
  const chain = cycleFrom(pool)
  const first = chain[0] ?? pool[0]!
  const names = chain.length > 0 ? [...chain, first].map((s) => ownerKey(s.ref)).join(' → ') : pool.map((p) => ownerKey(p.ref)).join(', ')
  // K-19: Flux waits for a dependency forever, so no member of a cycle is ever applied: an error
  // (the members are still rendered, so the rest of the plan can be reviewed).
  diagnostics.push({
    code: 'render/dependency-cycle',
    severity: 'error',
    message: `dependsOn cycle ${names}: Flux would never apply ${chain.length > 1 ? 'these' : 'it'} (K-19)`,
    cluster: clusterOf(first),
    owner: ownerKey(first.ref),
    ...(first.location ? { location: first.location } : {}),
  })
  return first
}

/** The members of one dependsOn cycle among the waiting owners, in dependency order ([] if none). */
function cycleFrom(pool: OwnerState[]): OwnerState[] {
  const byKey = new Map(pool.map((s) => [`${s.home}|${ownerKey(s.ref)}`, s]))
  const path: OwnerState[] = []
  let cur: OwnerState | undefined = pool[0]
  while (cur && !path.includes(cur)) {
    path.push(cur)
    const home: string = cur.home
    cur = dependsOnOf(cur).map((d) => byKey.get(`${home}|${ownerKey(d)}`)).find((d) => d !== undefined)
  }
  return cur ? path.slice(path.indexOf(cur)) : []
}

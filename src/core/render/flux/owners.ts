import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type KubeObject } from '../../model/object.js'
import { isFluxKustomization, isHelmRelease } from '../../model/flux-kinds.js'
import type { OwnerRef, OwnerStatus, RenderedOwner } from '../../model/render-result.js'

/** A Kustomization or HelmRelease found by the walk, before and after it is rendered. */
export interface OwnerState {
  ref: OwnerRef
  object: KubeObject
  parent?: OwnerRef
  location?: SourceLocation
  status?: OwnerStatus
  note?: string
  helm?: RenderedOwner['helm']
  /** Values this owner took from Secrets: kept so the plan can strip them from every output. */
  secretValues?: string[]
  done: boolean
}

/** The OwnerRef of a Flux Kustomization or HelmRelease object, else undefined. */
export function ownerRefOf(obj: KubeObject): OwnerRef | undefined {
  const kind = isFluxKustomization(obj.apiVersion, obj.kind) ? 'Kustomization' : isHelmRelease(obj.apiVersion, obj.kind) ? 'HelmRelease' : undefined
  if (!kind) return undefined
  return { kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name }
}

/** `spec.dependsOn` as OwnerRefs of the same kind, namespace defaulted to the owner's (K-19). */
export function dependsOnOf(state: OwnerState): OwnerRef[] {
  const spec = isJsonObject(state.object['spec']) ? state.object['spec'] : {}
  const deps = Array.isArray(spec['dependsOn']) ? spec['dependsOn'].filter(isJsonObject) : []
  return deps.map((d) => ({
    kind: state.ref.kind,
    namespace: typeof d['namespace'] === 'string' && d['namespace'] ? d['namespace'] : state.ref.namespace,
    name: String(d['name'] ?? ''),
  }))
}

/** The finished RenderedOwner of a state. */
export function toRenderedOwner(s: OwnerState): RenderedOwner {
  const spec = isJsonObject(s.object['spec']) ? s.object['spec'] : {}
  return {
    ref: s.ref,
    object: s.object,
    ...(s.parent ? { parent: s.parent } : {}),
    status: s.status ?? 'failed',
    // A HelmRelease's objects are always removed by helm when they leave the chart.
    prune: s.ref.kind === 'HelmRelease' ? true : spec['prune'] === true,
    suspended: spec['suspend'] === true,
    dependsOn: dependsOnOf(s),
    ...(s.location ? { location: s.location } : {}),
    ...(s.helm ? { helm: s.helm } : {}),
    ...(s.note ? { note: s.note } : {}),
    ...(s.secretValues && s.secretValues.length > 0 ? { secretValues: s.secretValues } : {}),
  }
}

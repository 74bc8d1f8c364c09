import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type KubeObject } from '../../model/object.js'
import { isFluxKustomization, isHelmRelease } from '../../model/flux-kinds.js'
import type { OwnerRef, OwnerStatus, RenderedOwner } from '../../model/render-result.js'

/** A Kustomization, HelmRelease or ResourceSet found by the walk, before and after it is rendered. */
export interface OwnerState {
  ref: OwnerRef
  object: KubeObject
  parent?: OwnerRef
  /** The cluster the object itself lives in (`''`: the entry cluster; else a kubeConfig key). */
  home: string
  /** The cluster its objects are applied to: its `spec.kubeConfig`'s, else its home. */
  target: string
  location?: SourceLocation
  status?: OwnerStatus
  note?: string
  helm?: RenderedOwner['helm']
  /** Values this owner took from Secrets: kept so the plan can strip them from every output. */
  secretValues?: string[]
  done: boolean
}

/** The OwnerRef of a Flux Kustomization or HelmRelease, or a Flux Operator ResourceSet; else undefined. */
export function ownerRefOf(obj: KubeObject): OwnerRef | undefined {
  const kind = isFluxKustomization(obj.apiVersion, obj.kind) ? 'Kustomization' : isHelmRelease(obj.apiVersion, obj.kind) ? 'HelmRelease' : isResourceSet(obj) ? 'ResourceSet' : undefined
  if (!kind) return undefined
  return { kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name }
}

export function isResourceSet(obj: KubeObject): boolean {
  return obj.kind === 'ResourceSet' && obj.apiVersion.startsWith('fluxcd.controlplane.io/')
}

const OWNER_KINDS: ReadonlySet<string> = new Set(['Kustomization', 'HelmRelease', 'ResourceSet'])

/**
 * `spec.dependsOn` as OwnerRefs, namespace defaulted to the owner's (K-19): of the same kind
 * for Kustomizations and HelmReleases; a ResourceSet names the kind of each dependency, and
 * only those the walk renders (Kustomizations, HelmReleases, ResourceSets) are kept.
 */
export function dependsOnOf(state: OwnerState): OwnerRef[] {
  const spec = isJsonObject(state.object['spec']) ? state.object['spec'] : {}
  const deps = Array.isArray(spec['dependsOn']) ? spec['dependsOn'].filter(isJsonObject) : []
  const out: OwnerRef[] = []
  for (const d of deps) {
    const kind = state.ref.kind === 'ResourceSet' ? String(d['kind'] ?? '') : state.ref.kind
    if (!OWNER_KINDS.has(kind)) continue
    out.push({ kind: kind as OwnerRef['kind'], namespace: typeof d['namespace'] === 'string' && d['namespace'] ? d['namespace'] : state.ref.namespace, name: String(d['name'] ?? '') })
  }
  return out
}

/** The finished RenderedOwner of a state. */
export function toRenderedOwner(s: OwnerState): RenderedOwner {
  const spec = isJsonObject(s.object['spec']) ? s.object['spec'] : {}
  return {
    ref: s.ref,
    object: s.object,
    ...(s.parent ? { parent: s.parent } : {}),
    status: s.status ?? 'failed',
    // A HelmRelease's objects are always removed by helm when they leave the chart, and a
    // ResourceSet always garbage-collects what it no longer generates.
    prune: s.ref.kind === 'Kustomization' ? spec['prune'] === true : true,
    suspended: spec['suspend'] === true,
    dependsOn: dependsOnOf(s),
    ...(s.location ? { location: s.location } : {}),
    ...(s.helm ? { helm: s.helm } : {}),
    ...(s.note ? { note: s.note } : {}),
    ...(s.secretValues && s.secretValues.length > 0 ? { secretValues: s.secretValues } : {}),
  }
}

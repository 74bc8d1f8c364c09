import type { KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import type { PruneAction } from '../model/plan.js'
import type { ClusterRender, OwnerRef, RenderedOwner } from '../model/render-result.js'
import { ownerKey } from '../model/render-result.js'

/** What Flux's garbage collection does with one object that left Git, and why. */
export interface PruneDecision {
  prune: PruneAction
  reason: string
}

/** Labels/annotations that stop Flux from deleting a stale object (P-9), value case-insensitive. */
const PROTECTIONS: readonly [string, string][] = [
  ['kustomize.toolkit.fluxcd.io/prune', 'disabled'],
  ['kustomize.toolkit.fluxcd.io/reconcile', 'disabled'],
  ['kustomize.toolkit.fluxcd.io/ssa', 'ignore'],
]

/** The owners of both renders of one cluster, for lookups while deciding. */
export interface OwnerIndex {
  base: ReadonlyMap<string, RenderedOwner>
  head: ReadonlyMap<string, RenderedOwner>
}

/** Indexes the owners of a cluster's base and head renders by `Kind/namespace/name`. */
export function indexOwners(base: ClusterRender | undefined, head: ClusterRender | undefined): OwnerIndex {
  return {
    base: new Map((base?.owners ?? []).map((o) => [ownerKey(o.ref), o])),
    head: new Map((head?.owners ?? []).map((o) => [ownerKey(o.ref), o])),
  }
}

/**
 * What happens to `object` (present in base, gone from head) under Flux GC. `live` is the
 * stand-in for the live object: the base render (P-9 reads the live object, not Git).
 * Rules: P-6 (prune off orphans), P-9 (protection), P-13/P-14 (removed Kustomization: its
 * finalizer, or kept by a parent without prune), P-15 (HelmRelease uninstall / helm upgrade).
 */
export function decideRemoval(object: KubeObject, owner: OwnerRef, index: OwnerIndex): PruneDecision {
  const fate = ownerFate(owner, index, new Set())
  if (fate.prune === 'orphan') return fate
  if (owner.kind === 'HelmRelease') {
    const keep = annotation(object, 'helm.sh/resource-policy')?.toLowerCase() === 'keep'
    return keep ? { prune: 'orphan', reason: 'helm.sh/resource-policy: keep (Helm leaves it)' } : fate
  }
  const protection = protectedBy(object)
  return protection ? { prune: 'orphan', reason: `${protection} (P-9)` } : fate
}

/** The label or annotation that protects an object from Flux GC, as `key: value`, if any. */
export function protectedBy(object: KubeObject): string | undefined {
  for (const [key, value] of PROTECTIONS) {
    const found = label(object, key) ?? annotation(object, key)
    if (found !== undefined && found.toLowerCase() === value) return `${key}: ${found}`
  }
  return undefined
}

/** Whether the owner still deletes what it no longer has, or is itself gone, and how. */
function ownerFate(owner: OwnerRef, index: OwnerIndex, seen: Set<string>): PruneDecision {
  const key = ownerKey(owner)
  const head = index.head.get(key)
  if (head) return stillThere(head)
  const base = index.base.get(key)
  if (!base || seen.has(key)) return { prune: 'orphan', reason: `${key} is unknown to this plan` }
  seen.add(key)
  if (!base.parent) return { prune: 'orphan', reason: `${key} is the cluster entry and is gone: nothing reconciles it` }
  const self = decideRemovalOfOwner(base, index, seen)
  if (self.prune === 'orphan') {
    return { prune: 'orphan', reason: `${key} stays in the cluster (${self.reason}) and keeps applying its last revision (P-14)` }
  }
  return removedOwner(base)
}

function decideRemovalOfOwner(base: RenderedOwner, index: OwnerIndex, seen: Set<string>): PruneDecision {
  const parentFate = ownerFate(base.parent as OwnerRef, index, seen)
  if (parentFate.prune === 'orphan') return parentFate
  const protection = protectedBy(base.object)
  return protection ? { prune: 'orphan', reason: `${protection} (P-9)` } : parentFate
}

function stillThere(head: RenderedOwner): PruneDecision {
  const key = ownerKey(head.ref)
  const paused = head.suspended ? '; suspended, so it happens only after resume (K-19)' : ''
  if (head.ref.kind === 'HelmRelease') {
    return { prune: 'delete', reason: `removed from the chart of ${key}: Helm deletes it on upgrade (P-15)${paused}` }
  }
  if (!head.prune) return { prune: 'orphan', reason: `${key} has prune: false (P-6)` }
  return { prune: 'delete', reason: `${key} has prune: true (P-10)${paused}` }
}

/**
 * What deleting a Flux object sets off, for the reason shown on that object: a HelmRelease is
 * uninstalled, a Kustomization's finalizer deletes or keeps its inventory (P-13, P-15).
 */
export function consequenceOfDeleting(base: RenderedOwner): string {
  const d = removedOwner(base)
  const unseen = base.status === 'rendered' ? '' : ` (its objects were not rendered here: ${base.status})`
  if (base.ref.kind === 'HelmRelease') {
    return d.prune === 'delete' ? `helm-controller then uninstalls the release and deletes its objects (P-15)${unseen}` : d.reason
  }
  return d.prune === 'delete' ? `its finalizer then deletes its inventory (P-13)${unseen}` : d.reason
}

/** A Flux object that Flux deletes: its finalizer decides for its inventory (P-13, P-15). */
function removedOwner(base: RenderedOwner): PruneDecision {
  const key = ownerKey(base.ref)
  if (base.suspended) return { prune: 'orphan', reason: `${key} is removed while suspended: its finalizer deletes nothing (P-13)` }
  if (base.ref.kind === 'HelmRelease') return { prune: 'delete', reason: `${key} is removed: helm-controller uninstalls the release (P-15)` }
  const spec = isJsonObject(base.object['spec']) ? base.object['spec'] : {}
  const policy = typeof spec['deletionPolicy'] === 'string' ? spec['deletionPolicy'] : 'MirrorPrune'
  if (policy === 'Orphan') return { prune: 'orphan', reason: `${key} is removed with deletionPolicy: Orphan (P-13)` }
  if (policy === 'Delete' || policy === 'WaitForTermination') {
    return { prune: 'delete', reason: `${key} is removed with deletionPolicy: ${policy}: its inventory is deleted (P-13)` }
  }
  return base.prune
    ? { prune: 'delete', reason: `${key} is removed with prune: true: its inventory is deleted (P-13)` }
    : { prune: 'orphan', reason: `${key} is removed with prune: false: its inventory is left (P-13)` }
}

function label(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.labels?.[key]
}

function annotation(obj: KubeObject, key: string): string | undefined {
  return obj.metadata.annotations?.[key]
}

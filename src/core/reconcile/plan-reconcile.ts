import type { ObjectRef } from '../../ports/cluster.js'
import { isJsonObject, type KubeObject } from '../model/object.js'
import type { ClusterPlan } from '../model/plan.js'
import { ownerKey, type ClusterRender, type OwnerRef, type RenderedOwner } from '../model/render-result.js'
import { refKey, type ReconcilePlan, type ReconcileTarget } from './types.js'

/** Source kinds `flux reconcile --with-source` refreshes (§4.4 step 2). */
const SOURCE_KINDS: ReadonlySet<string> = new Set(['GitRepository', 'OCIRepository', 'Bucket'])

function refOf(owner: RenderedOwner): ObjectRef {
  return { apiVersion: owner.object.apiVersion, kind: owner.ref.kind, namespace: owner.ref.namespace, name: owner.ref.name }
}

/** A Kustomization's `spec.sourceRef`, with its namespace defaulted to the Kustomization's. */
function sourceOf(obj: KubeObject, namespace: string): ObjectRef | undefined {
  const spec = obj['spec']
  const ref = isJsonObject(spec) ? spec['sourceRef'] : undefined
  if (!isJsonObject(ref) || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return undefined
  if (!SOURCE_KINDS.has(ref['kind'])) return undefined
  const apiVersion = typeof ref['apiVersion'] === 'string' ? ref['apiVersion'] : 'source.toolkit.fluxcd.io/v1'
  return { apiVersion, kind: ref['kind'], namespace: typeof ref['namespace'] === 'string' ? ref['namespace'] : namespace, name: ref['name'] }
}

/** Owners the merge touches: one of their objects changes, or the owner itself is added or changed. */
function affectedOwners(plan: ClusterPlan): Set<string> {
  const out = new Set<string>()
  for (const c of plan.changes) {
    out.add(ownerKey(c.owner))
    if (c.previousOwner) out.add(ownerKey(c.previousOwner))
  }
  for (const o of plan.owners) if (o.state === 'added' || o.state === 'changed') out.add(ownerKey(o.ref))
  return out
}

/**
 * Orders owners so that every dependsOn target and every parent comes first; ties keep the
 * render's order. Edges to owners outside the set are dropped: Flux checks those itself.
 * A cycle (already reported by the render) is broken by render order.
 */
function order(owners: RenderedOwner[]): RenderedOwner[] {
  const byKey = new Map(owners.map((o) => [ownerKey(o.ref), o]))
  const done = new Set<string>()
  const visiting = new Set<string>()
  const out: RenderedOwner[] = []
  const visit = (o: RenderedOwner): void => {
    const k = ownerKey(o.ref)
    if (done.has(k) || visiting.has(k)) return
    visiting.add(k)
    for (const dep of prerequisites(o)) {
      const d = byKey.get(ownerKey(dep))
      if (d) visit(d)
    }
    visiting.delete(k)
    done.add(k)
    out.push(o)
  }
  for (const o of owners) visit(o)
  return out
}

function prerequisites(o: RenderedOwner): OwnerRef[] {
  return o.parent ? [o.parent, ...o.dependsOn] : o.dependsOn
}

/**
 * What to reconcile on one cluster after a merge (§4.4, "Fluxgate's post-merge step"):
 * 1. the owners the plan touches, looked up in the head render (removed ones are noted, not
 *    asked: their parent prunes them, P-13);
 * 2. ordered by dependsOn and parent, so a Kustomization that applies another comes first;
 * 3. the sources those Kustomizations read (GitRepository, OCIRepository, Bucket), to refresh
 *    before anything else.
 * Suspension is decided later, on the live object. Pure.
 */
export function planReconcile(plan: ClusterPlan, head: ClusterRender | undefined): ReconcilePlan {
  const affected = affectedOwners(plan)
  const headOwners = new Map((head?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const notes: ReconcilePlan['notes'] = []
  const chosen: RenderedOwner[] = []
  // flux-operator reconciles a ResourceSet when its spec changes; the Kustomization that applies it is asked.
  for (const o of head?.owners ?? []) if (affected.has(ownerKey(o.ref)) && o.ref.kind !== 'ResourceSet') chosen.push(o)
  for (const key of affected) {
    if (headOwners.has(key)) continue
    const summary = plan.owners.find((s) => ownerKey(s.ref) === key)
    const ref = summary?.ref ?? parseOwnerKey(key)
    notes.push({ ref: { apiVersion: apiVersionOf(ref.kind), kind: ref.kind, namespace: ref.namespace, name: ref.name }, note: 'removed by the merge: its parent prunes it' })
  }
  const sources = new Map<string, ReconcileTarget>()
  const targets: ReconcileTarget[] = []
  const chosenKeys = new Set(chosen.map((o) => ownerKey(o.ref)))
  for (const o of order(chosen)) {
    const source = o.ref.kind === 'Kustomization' ? sourceOf(o.object, o.ref.namespace) : undefined
    if (source && !sources.has(refKey(source))) sources.set(refKey(source), { ref: source, role: 'source', after: [] })
    const after = prerequisites(o).filter((p) => chosenKeys.has(ownerKey(p))).map(ownerKey)
    targets.push({ ref: refOf(o), role: o.ref.kind === 'Kustomization' ? 'kustomization' : 'helmrelease', after, ...(source ? { source } : {}) })
  }
  return { cluster: plan.name, sources: [...sources.values()], targets, notes }
}

function apiVersionOf(kind: OwnerRef['kind']): string {
  return kind === 'Kustomization' ? 'kustomize.toolkit.fluxcd.io/v1' : kind === 'ResourceSet' ? 'fluxcd.controlplane.io/v1' : 'helm.toolkit.fluxcd.io/v2'
}

function parseOwnerKey(key: string): OwnerRef {
  const [kind = 'Kustomization', namespace = '', ...name] = key.split('/')
  return { kind: kind as OwnerRef['kind'], namespace, name: name.join('/') }
}

import type { ClusterClient } from '../../ports/cluster.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject, type KubeObject } from '../model/object.js'
import type { ClusterPlan, InventoryFinding } from '../model/plan.js'
import { ownerKey, type ClusterRender, type RenderedOwner } from '../model/render-result.js'
import { displayId, inventoryId, resourceIdOf, type ResourceId } from '../model/resource-id.js'

/** The ids of `status.inventory.entries` (P-1), or undefined when the object has no inventory yet. */
export function inventoryIds(obj: KubeObject): Set<string> | undefined {
  const status = obj['status']
  const inv = isJsonObject(status) ? status['inventory'] : undefined
  const entries = isJsonObject(inv) ? inv['entries'] : undefined
  if (!Array.isArray(entries)) return undefined
  return new Set(entries.flatMap((e) => (isJsonObject(e) && typeof e['id'] === 'string' ? [e['id']] : [])))
}

/** Inverse of inventoryId for messages; RBAC `__` stays as written. */
function idFromInventory(id: string): ResourceId {
  const [namespace = '', ...rest] = id.split('_')
  const kind = rest.pop() ?? ''
  const group = rest.pop() ?? ''
  return { namespace, name: rest.join('_'), group, kind }
}

/**
 * Confirms the prune plan against each Kustomization's live inventory, in both directions
 * (P-4: stale = in the inventory, not in the new render; the version is ignored):
 * - a planned delete whose id the inventory lacks → `not-in-inventory`;
 * - an inventory id the head render drops that the plan does not prune → `unplanned-prune`
 *   (only for `prune: true`; with prune off Flux orphans, P-6).
 * Kustomizations not on the cluster yet, or without an inventory, are skipped; owners that
 * failed to render are skipped (their objects are unknown, P-5).
 */
export async function checkInventories(cluster: ClusterClient, plan: ClusterPlan, head: ClusterRender | undefined, diagnostics: Diagnostic[]): Promise<InventoryFinding[]> {
  const findings: InventoryFinding[] = []
  for (const owner of head?.owners ?? []) {
    if (owner.ref.kind !== 'Kustomization' || owner.status !== 'rendered') continue
    const live = await cluster.get({ apiVersion: owner.object.apiVersion, kind: 'Kustomization', namespace: owner.ref.namespace, name: owner.ref.name }).catch((err: unknown) => {
      diagnostics.push({ code: 'cluster/read-failed', severity: 'warning', message: `${ownerKey(owner.ref)}: ${err instanceof Error ? err.message : String(err)}`, cluster: plan.name })
      return undefined
    })
    const inventory = live ? inventoryIds(live) : undefined
    if (!inventory) continue
    findings.push(...compareOne(owner, inventory, plan, head))
  }
  return findings
}

function compareOne(owner: RenderedOwner, inventory: Set<string>, plan: ClusterPlan, head: ClusterRender | undefined): InventoryFinding[] {
  const key = ownerKey(owner.ref)
  const out: InventoryFinding[] = []
  const planned = new Map<string, ResourceId>()
  // Removals the plan explains either way (orphaned by an opt-out, moved to another owner, P-16).
  const explained = new Set<string>()
  for (const c of plan.changes) {
    const from = c.action === 'moved' ? c.previousOwner : c.action === 'removed' ? c.owner : undefined
    if (!from || ownerKey(from) !== key) continue
    explained.add(inventoryId(c.id))
    if (c.action === 'removed' && c.prune === 'delete') planned.set(inventoryId(c.id), c.id)
  }
  for (const [inv, id] of planned) {
    if (inventory.has(inv)) continue
    out.push({ type: 'not-in-inventory', owner: owner.ref, id, inventoryId: inv, message: `the plan prunes ${displayId(id)}, but ${key}'s inventory does not hold it: Flux will leave it in place` })
  }
  if (!owner.prune) return out
  const headIds = new Set((head?.objects ?? []).filter((o) => ownerKey(o.owner) === key).map((o) => inventoryId(resourceIdOf(o.object))))
  for (const inv of inventory) {
    if (headIds.has(inv) || explained.has(inv)) continue
    const id = idFromInventory(inv)
    out.push({ type: 'unplanned-prune', owner: owner.ref, id, inventoryId: inv, message: `${key}'s inventory holds ${displayId(id)}, which the head render does not contain: Flux will prune it, but the plan does not list it` })
  }
  return out
}

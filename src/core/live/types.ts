import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { FieldChange } from '../model/plan.js'
import type { OwnerRef } from '../model/render-result.js'
import type { ResourceId } from '../model/resource-id.js'

/**
 * What one cluster really runs against what the merge will apply, from server-side apply dry
 * runs (so API-server defaults and mutating webhooks are in both sides). Masked like the plan:
 * no Secret value, Secret-sourced value or token appears anywhere in it.
 */
export interface LiveView {
  /** The kubeconfig context the view was read from. */
  context: string
  /** What the merge changes on the cluster: dry-run of the base render against dry-run of the head render. */
  changes: LiveChange[]
  /** Objects whose live state already differs from the base render: changed behind Flux's back. */
  drift: LiveChange[]
  /** Where the prune plan and Flux's inventories disagree. */
  inventory: InventoryFinding[]
  /** Objects compared, for the summary line. */
  checked: number
  diagnostics: Diagnostic[]
}

/** One object's difference, normalized and masked. */
export interface LiveChange {
  /**
   * For changes: added / changed / removed by the merge. For drift: `changed` (live differs),
   * `missing` (in the base render, not on the cluster), `unmanaged` (the merge adds it but it
   * already exists).
   */
  action: 'added' | 'changed' | 'removed' | 'missing' | 'unmanaged'
  id: ResourceId
  apiVersion: string
  owner: OwnerRef
  fields: FieldChange[]
  /** Unified diff of the normalized YAML (masked). */
  diff: string
}

/**
 * A disagreement between the render's prune plan and a Kustomization's `status.inventory`
 * (P-1, P-4):
 * - `not-in-inventory`: the render says Flux prunes the object, but the inventory does not hold
 *   it, so Flux will leave it alone;
 * - `unplanned-prune`: the inventory holds an object the head render no longer contains, so
 *   Flux will prune it, but the plan does not say so.
 */
export interface InventoryFinding {
  type: 'not-in-inventory' | 'unplanned-prune'
  owner: OwnerRef
  id: ResourceId
  /** The inventory entry id (`<ns>_<name>_<group>_<kind>`). */
  inventoryId: string
  message: string
}

import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { ObjectChange } from '../model/plan.js'
import type { ClusterRender } from '../model/render-result.js'
import { ownerKey } from '../model/render-result.js'
import { displayId, idKey, objectKey, parseIdKey } from '../model/resource-id.js'
import type { KubeObject } from '../model/object.js'
import { applyCascades } from './cascade.js'
import { isHighRiskKind } from './high-risk.js'
import { consequenceOfDeleting, decideRemoval, indexOwners } from './prune-rules.js'

/** `Kind/namespace/name` when the change is a Kustomization or HelmRelease object itself. */
function ownerKeyOfObject(c: ObjectChange): string {
  const flux = c.id.group === 'kustomize.toolkit.fluxcd.io' || c.id.group === 'helm.toolkit.fluxcd.io'
  return flux ? `${c.id.kind}/${c.id.namespace}/${c.id.name}` : ''
}

/**
 * Fills in the prune plan of one cluster's changes, in place: `prune` + `pruneReason` for every
 * removed object (P-4…P-15), the Namespace/CRD cascade (P-12), `highRisk` for deletions and
 * moves of data-holding kinds, and the P-16 caution on moves whose old owner would delete the
 * object. Returns warnings for objects still in head that a cascade deletes anyway. Never
 * deletes anything: a plan is data.
 */
export function planPrune(changes: ObjectChange[], base: ClusterRender | undefined, head: ClusterRender | undefined): Diagnostic[] {
  // Most plans remove and move nothing: then no object of the fleet needs indexing.
  if (!changes.some((c) => c.action === 'removed' || c.action === 'moved')) return []
  const index = indexOwners(base, head)
  const baseById = new Map((base?.objects ?? []).map((r) => [objectKey(r.object), r]))
  const removed: ObjectChange[] = []
  for (const c of changes) {
    const was = baseById.get(idKey(c.id)) ?? (c.encrypted === 'identity' ? { object: unknownObject(c), owner: c.owner } : undefined)
    if (c.action === 'removed' && was) {
      const d = decideRemoval(was.object, was.owner, index)
      c.prune = d.prune
      c.pruneReason = d.reason
      const owned = d.prune === 'delete' ? index.base.get(ownerKeyOfObject(c)) : undefined
      if (owned) c.pruneReason += `; ${consequenceOfDeleting(owned)}`
      removed.push(c)
    } else if (c.action === 'moved' && was && c.previousOwner) {
      const d = decideRemoval(was.object, c.previousOwner, index)
      if (d.prune === 'delete') {
        c.note = `moves from ${ownerKey(c.previousOwner)} to ${ownerKey(c.owner)}: if the old owner reconciles first it deletes the object and the new one recreates it (P-16)`
        c.highRisk = isHighRiskKind(c.id)
      }
    }
  }
  const headKeys = new Set((head?.objects ?? []).map((r) => objectKey(r.object)))
  const cascades = applyCascades(removed, base?.objects ?? [], headKeys)
  // An object whose kind is ciphertext may be a Secret or a Namespace: its deletion is risky.
  for (const c of removed) c.highRisk = c.prune === 'delete' && (isHighRiskKind(c.id) || c.encrypted === 'identity')
  const diagnostics: Diagnostic[] = []
  for (const cascade of cascades) {
    if (cascade.survivors.length === 0) continue
    const names = cascade.survivors.slice(0, 5).map((k) => displayId(parseIdKey(k)))
    const more = cascade.survivors.length > 5 ? ` and ${cascade.survivors.length - 5} more` : ''
    diagnostics.push({
      code: 'prune/cascade-deletes-kept-objects',
      severity: 'warning',
      message: `Deleting ${cascade.root} also deletes objects the head still declares (P-12): ${names.join(', ')}${more}`,
      ...(head ? { cluster: head.name } : {}),
    })
  }
  return diagnostics
}

/** A whole-file SOPS document in base: only its owner is known, and no protection can be read (its metadata is ciphertext). */
function unknownObject(c: ObjectChange): KubeObject {
  return { apiVersion: c.apiVersion, kind: c.id.kind, metadata: { name: c.id.name } }
}

import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { ChangeAction, ObjectChange } from '../model/plan.js'
import type { ClusterRender, OwnerRef, RenderedObject, RenderedOwner } from '../model/render-result.js'
import { ownerKey } from '../model/render-result.js'
import { displayId, idKey, resourceIdOf } from '../model/resource-id.js'
import { maskChange } from '../mask/mask-change.js'
import type { Redactor } from '../mask/redactor.js'
import { deepEqual, fieldChanges } from './field-changes.js'
import { normalizeObject } from './normalize.js'
import { objectYaml, unifiedYamlDiff } from './yaml-diff.js'

/** Options of the object comparison. */
export interface CompareOptions {
  /** Unified diffs for added and removed objects too (all `+` or all `-`). Default true. */
  diffAddedRemoved?: boolean
}

/** The object changes of one cluster and what the comparison noticed. */
export interface ObjectComparison {
  changes: ObjectChange[]
  diagnostics: Diagnostic[]
  /** Owners whose objects were not compared, with why (failed or external render). */
  skipped: Map<string, string>
}

/**
 * Compares two renders of one cluster object by object, by ResourceId (group, kind,
 * namespace, name; never the version, P-4). Both sides are normalized first; every change
 * leaves here masked. Objects whose owner could not be rendered on either side are not
 * compared (their absence says nothing: P-5), and `skipped` says which owners.
 */
export function compareObjects(
  base: ClusterRender | undefined,
  head: ClusterRender | undefined,
  redactor: Redactor,
  opts: CompareOptions = {},
): ObjectComparison {
  const diagnostics: Diagnostic[] = []
  const before = indexObjects(base, diagnostics)
  const after = indexObjects(head, diagnostics)
  const skipped = unsettledOwners(base, head)
  const changes: ObjectChange[] = []
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key)
    const a = after.get(key)
    if (skipped.has(ownerKey((a ?? b)!.owner)) || (b && skipped.has(ownerKey(b.owner)))) continue
    const change = buildChange(b, a, redactor, opts)
    if (change) changes.push(change)
  }
  const rank = ownerRanks(base, head)
  changes.sort((x, y) => (rank.get(ownerKey(x.owner)) ?? 0) - (rank.get(ownerKey(y.owner)) ?? 0) || compareChanges(x, y))
  return { changes, diagnostics, skipped }
}

function indexObjects(cluster: ClusterRender | undefined, diagnostics: Diagnostic[]): Map<string, RenderedObject> {
  const out = new Map<string, RenderedObject>()
  for (const r of cluster?.objects ?? []) {
    const key = idKey(resourceIdOf(r.object))
    const prev = out.get(key)
    if (prev && ownerKey(prev.owner) !== ownerKey(r.owner)) {
      diagnostics.push({
        code: 'diff/duplicate-object',
        severity: 'warning',
        message: `${displayId(resourceIdOf(r.object))} is applied by both ${ownerKey(prev.owner)} and ${ownerKey(r.owner)}; the last one wins`,
        cluster: cluster!.name,
        ...(r.source ? { location: r.source } : {}),
      })
    }
    out.set(key, r)
  }
  return out
}

/**
 * Owners whose objects cannot be compared: not rendered (failed, external source) on either
 * side, or gone from head because an ancestor failed to render there.
 */
function unsettledOwners(base: ClusterRender | undefined, head: ClusterRender | undefined): Map<string, string> {
  const headOwners = new Map((head?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const baseOwners = new Map((base?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const out = new Map<string, string>()
  for (const [key, o] of [...baseOwners, ...headOwners]) {
    const reason = unsettledReason(o, headOwners.get(key), baseOwners.get(key), headOwners, baseOwners)
    if (reason) out.set(key, reason)
  }
  return out
}

function unsettledReason(
  o: RenderedOwner,
  inHead: RenderedOwner | undefined,
  inBase: RenderedOwner | undefined,
  headOwners: Map<string, RenderedOwner>,
  baseOwners: Map<string, RenderedOwner>,
): string | undefined {
  const notRendered = (x: RenderedOwner | undefined): boolean => x !== undefined && x.status !== 'rendered'
  if (notRendered(inHead)) {
    if (inHead!.status === 'values-only') return 'chart not rendered in head (values-only): only its values and chart version are compared'
    return `not rendered in head (${inHead!.status}): its objects are not compared and nothing is pruned (P-5)`
  }
  if (notRendered(inBase) && inHead) return `not rendered in base (${inBase!.status}): its objects are not compared`
  if (inHead) return undefined
  // Gone from head: fine when an ancestor removed it, unknown when an ancestor failed.
  let parent = o.parent
  for (let depth = 0; parent && depth < 64; depth++) {
    const p = headOwners.get(ownerKey(parent))
    if (p) return notRendered(p) ? `its parent ${ownerKey(parent)} was not rendered in head: nothing is known about it` : undefined
    parent = baseOwners.get(ownerKey(parent))?.parent
  }
  return undefined
}

function buildChange(b: RenderedObject | undefined, a: RenderedObject | undefined, redactor: Redactor, opts: CompareOptions): ObjectChange | undefined {
  // Most objects of a pull request are untouched: equal as rendered means equal once
  // normalized (normalizing is a function of the object), without copying either.
  if (b && a && ownerKey(b.owner) === ownerKey(a.owner) && deepEqual(b.object as never, a.object as never)) return undefined
  const nb = b ? normalizeObject(b.object) : undefined
  const na = a ? normalizeObject(a.object) : undefined
  const moved = b !== undefined && a !== undefined && ownerKey(b.owner) !== ownerKey(a.owner)
  const sameContent = nb !== undefined && na !== undefined && deepEqual(nb as never, na as never)
  if (sameContent && !moved) return undefined
  const action: ChangeAction = !b ? 'added' : !a ? 'removed' : moved ? 'moved' : 'changed'
  const fields = nb && na ? fieldChanges(nb as never, na as never) : []
  const masked = maskChange(nb, na, fields, redactor)
  const showText = action === 'changed' || action === 'moved' || opts.diffAddedRemoved !== false
  const diff = showText ? redactor.text(unifiedYamlDiff(objectYaml(masked.before), objectYaml(masked.after))) : ''
  const main = (a ?? b)!
  const change: ObjectChange = {
    action,
    id: resourceIdOf(main.object),
    apiVersion: main.object.apiVersion,
    owner: (a ?? b)!.owner as OwnerRef,
    prune: null,
    highRisk: false,
    fields: masked.fields,
    diff,
  }
  if (moved) change.previousOwner = b.owner
  if (masked.before) change.before = masked.before
  if (masked.after) change.after = masked.after
  if (main.source) change.source = main.source
  return change
}

/** Owners in the order the renderer walked them (head first, then owners only base has). */
function ownerRanks(base: ClusterRender | undefined, head: ClusterRender | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const o of [...(head?.owners ?? []), ...(base?.owners ?? [])]) if (!out.has(ownerKey(o.ref))) out.set(ownerKey(o.ref), out.size)
  return out
}

/** Kind, namespace and name within an owner: the order the report lists objects in. */
function compareChanges(x: ObjectChange, y: ObjectChange): number {
  const kx = `${ownerKey(x.owner)}\0${x.id.kind}\0${x.id.namespace}\0${x.id.name}\0${x.id.group}`
  const ky = `${ownerKey(y.owner)}\0${y.id.kind}\0${y.id.namespace}\0${y.id.name}\0${y.id.group}`
  return kx < ky ? -1 : kx > ky ? 1 : 0
}

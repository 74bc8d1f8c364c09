import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { ChangeAction, FieldChange, IgnoredChange, ObjectChange, UnknownObjects } from '../model/plan.js'
import type { ClusterRender, OwnerRef, RenderedObject, RenderedOwner } from '../model/render-result.js'
import { isFrozenRender, ownerKey } from '../model/render-result.js'
import { displayId, ENCRYPTED_KIND, objectKey, resourceIdOf } from '../model/resource-id.js'
import { maskChange } from '../mask/mask-change.js'
import { isCiphertext } from '../mask/mask-secret.js'
import type { Redactor } from '../mask/redactor.js'
import { compareEncrypted } from './compare-encrypted.js'
import { applyIgnoreRules, ignoreRulesByOwner, type IgnoreRules } from './drift-ignore.js'
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
  /** Objects whose only differences are paths `spec.ignore` keeps at the in-cluster value. */
  ignored: IgnoredChange[]
  diagnostics: Diagnostic[]
  /** Owners whose objects were not compared, with why (failed or external render). */
  skipped: Map<string, string>
  /** Base objects of those owners, whose fate the change leaves open (never listed as removed). */
  unknown: UnknownObjects[]
}

/** Why an owner's objects were not compared, and what that means for its base objects. */
interface Unsettled {
  reason: string
  /** What happens to the base objects: stay as they are (apply fails), unknown, or nothing to say (base side only). */
  state: UnknownObjects['state'] | 'base-only'
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
  // The same render on both sides (a cluster walk reused whole, a review asked again): its
  // objects are the same objects with the same owners, so no object can have changed; its
  // duplicates are reported for each side, as for any other pair.
  const same = base !== undefined && base === head
  const after = same ? before : indexObjects(head, diagnostics)
  if (same) diagnostics.push(...diagnostics.slice())
  const unsettled = unsettledOwners(base, head)
  const { rulesOf, diagnostics: ruleDiagnostics } = ignoreRulesByOwner(head)
  diagnostics.push(...ruleDiagnostics)
  const changes: ObjectChange[] = []
  const ignored: IgnoredChange[] = []
  const compare = (b: RenderedObject | undefined, a: RenderedObject | undefined): void => {
    // Most objects of a pull request are the very objects of the base (an unchanged unit's
    // render is shared, not copied): nothing to compare, and no owner to look up. Whether the
    // owner is unsettled does not matter: its objects would be passed over below.
    if (a !== undefined && b !== undefined && a.object === b.object && sameOwner(a.owner, b.owner) && !hasRules) return
    if (unsettled.size > 0 && (unsettled.has(ownerKey((a ?? b)!.owner)) || (b && unsettled.has(ownerKey(b.owner))))) return
    const built = buildChange(b, a, a ? rulesOf(a.owner) : undefined, redactor, opts)
    if (built.change) changes.push(built.change)
    if (built.ignored) ignored.push(built.ignored)
  }
  const hasRules = rulesOf.any
  if (!same) {
    for (const [key, b] of before) compare(b, after.get(key))
    for (const [key, a] of after) if (!before.has(key)) compare(undefined, a)
  }
  changes.push(...compareEncrypted(base, head, unsettled))
  const rank = ownerRanks(base, head)
  const byRank = (x: Listed, y: Listed): number => (rank.get(ownerKey(x.owner)) ?? 0) - (rank.get(ownerKey(y.owner)) ?? 0) || compareChanges(x, y)
  changes.sort(byRank)
  ignored.sort(byRank)
  const skipped = new Map([...unsettled].map(([k, u]) => [k, u.reason]))
  return { changes, ignored, diagnostics, skipped, unknown: unknownObjects(base, unsettled, rank, redactor) }
}

/** The base objects of owners that could not be compared, grouped by owner in walk order. */
function unknownObjects(base: ClusterRender | undefined, unsettled: Map<string, Unsettled>, rank: Map<string, number>, redactor: Redactor): UnknownObjects[] {
  if (unsettled.size === 0) return []
  const groups = new Map<string, UnknownObjects>()
  for (const r of base?.objects ?? []) {
    const key = ownerKey(r.owner)
    const u = unsettled.get(key)
    if (!u || u.state === 'base-only') continue
    let g = groups.get(key)
    if (!g) {
      g = { owner: r.owner, state: u.state, reason: redactor.text(u.reason), objects: [] }
      groups.set(key, g)
    }
    g.objects.push({ id: resourceIdOf(r.object), apiVersion: r.object.apiVersion, ...(r.source ? { source: r.source } : {}) })
  }
  // Whole-file SOPS documents of such owners are open too: one entry per file, like their changes.
  const files = new Set<string>()
  for (const e of base?.encrypted ?? []) {
    const u = unsettled.get(ownerKey(e.owner))
    const file = e.source?.file
    if (!u || u.state === 'base-only' || !file || files.has(`${ownerKey(e.owner)}\0${file}`)) continue
    files.add(`${ownerKey(e.owner)}\0${file}`)
    const g = groups.get(ownerKey(e.owner)) ?? { owner: e.owner, state: u.state, reason: redactor.text(u.reason), objects: [] }
    groups.set(ownerKey(e.owner), g)
    g.objects.push({ id: { group: '', kind: ENCRYPTED_KIND, namespace: '', name: file }, apiVersion: '', source: e.source! })
  }
  return [...groups.values()].sort((x, y) => (rank.get(ownerKey(x.owner)) ?? 0) - (rank.get(ownerKey(y.owner)) ?? 0))
}

/** What the report lists per object: its owner and id. */
type Listed = Pick<ObjectChange, 'owner' | 'id'>

const sameOwner = (x: OwnerRef, y: OwnerRef): boolean => x === y || (x.kind === y.kind && x.namespace === y.namespace && x.name === y.name)

/**
 * Indexes of frozen cluster renders (isFrozenRender), with their findings: a warm planner
 * compares the same base cluster with each new push's head.
 */
const INDEXES = new WeakMap<ClusterRender, { index: ReadonlyMap<string, RenderedObject>; diagnostics: readonly Diagnostic[] }>()

function indexObjects(cluster: ClusterRender | undefined, diagnostics: Diagnostic[]): ReadonlyMap<string, RenderedObject> {
  if (!cluster || !isFrozenRender(cluster)) return indexOf(cluster, diagnostics)
  let known = INDEXES.get(cluster)
  if (!known) {
    const found: Diagnostic[] = []
    INDEXES.set(cluster, (known = { index: indexOf(cluster, found), diagnostics: found }))
  }
  // Copies: a finding leaves here as each comparison's own.
  for (const d of known.diagnostics) diagnostics.push({ ...d })
  return known.index
}

function indexOf(cluster: ClusterRender | undefined, diagnostics: Diagnostic[]): Map<string, RenderedObject> {
  const out = new Map<string, RenderedObject>()
  for (const r of cluster?.objects ?? []) {
    const key = objectKey(r.object)
    const prev = out.get(key)
    if (prev && !sameOwner(prev.owner, r.owner)) {
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
function unsettledOwners(base: ClusterRender | undefined, head: ClusterRender | undefined): Map<string, Unsettled> {
  const headOwners = new Map((head?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const baseOwners = new Map((base?.owners ?? []).map((o) => [ownerKey(o.ref), o]))
  const out = new Map<string, Unsettled>()
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
): Unsettled | undefined {
  const notRendered = (x: RenderedOwner | undefined): boolean => x !== undefined && x.status !== 'rendered'
  if (notRendered(inHead)) {
    if (inHead!.status === 'values-only') return { state: 'not-comparable', reason: 'chart not rendered in head (values-only): only its values and chart version are compared' }
    if (inHead!.status === 'failed') return { state: 'apply-fails', reason: `Flux fails to apply it in head${inHead!.note ? ` (${inHead!.note})` : ''}: nothing of it is applied or pruned, its objects stay as they are` }
    return { state: 'not-comparable', reason: `not rendered in head (${inHead!.status}${inHead!.note ? `: ${inHead!.note}` : ''}): its objects cannot be compared, and what Flux does to them is unknown` }
  }
  if (notRendered(inBase) && inHead) return { state: 'base-only', reason: `not rendered in base (${inBase!.status}): its objects are not compared` }
  if (inHead) return undefined
  // Gone from head: fine when an ancestor removed it, unknown when an ancestor failed.
  let parent = o.parent
  for (let depth = 0; parent && depth < 64; depth++) {
    const p = headOwners.get(ownerKey(parent))
    if (p) {
      if (!notRendered(p)) return undefined
      return p.status === 'failed'
        ? { state: 'apply-fails', reason: `its parent ${ownerKey(parent)} fails to apply in head: it stays as it is` }
        : { state: 'not-comparable', reason: `its parent ${ownerKey(parent)} was not rendered in head (${p.status}): nothing is known about it` }
    }
    parent = baseOwners.get(ownerKey(parent))?.parent
  }
  return undefined
}

function buildChange(
  b: RenderedObject | undefined,
  a: RenderedObject | undefined,
  rules: IgnoreRules | undefined,
  redactor: Redactor,
  opts: CompareOptions,
): { change?: ObjectChange; ignored?: IgnoredChange } {
  // Most objects of a pull request are untouched: equal as rendered means equal once
  // normalized (normalizing is a function of the object), without copying either. Ignore
  // rules may report fields even then, so objects under them take the long way.
  if (!rules && b && a && sameOwner(b.owner, a.owner) && deepEqual(b.object as never, a.object as never)) return {}
  const nb = b ? normalizeObject(b.object) : undefined
  const written = a ? normalizeObject(a.object) : undefined
  // spec.ignore acts on updates only: an object new to the cluster is created as written.
  const kept = rules && nb && written ? applyIgnoreRules(rules, nb, written, a!.object) : undefined
  const na = kept ? kept.after : written
  const ignoredFields = kept && kept.ignored.length > 0 ? maskChange(nb, written, kept.ignored, redactor).fields : undefined
  const moved = b !== undefined && a !== undefined && ownerKey(b.owner) !== ownerKey(a.owner)
  const sameContent = nb !== undefined && na !== undefined && deepEqual(nb as never, na as never)
  if (sameContent && !moved) {
    if (!ignoredFields) return {}
    const ignored: IgnoredChange = { id: resourceIdOf(a!.object), apiVersion: a!.object.apiVersion, owner: a!.owner, fields: ignoredFields }
    if (a!.source) ignored.source = a!.source
    return { ignored }
  }
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
  if (action === 'changed') markEncrypted(change, b!, a!, fields)
  if (ignoredFields) change.ignored = ignoredFields
  return { change }
}

const SOPS_FIELDS: ReadonlySet<string> = new Set(['data', 'stringData', 'binaryData', 'sops'])

/** K-17: a change in ciphertext says nothing about the plaintext; the reviewer is told so. */
function markEncrypted(change: ObjectChange, b: RenderedObject, a: RenderedObject, fields: FieldChange[]): void {
  const ciphertext = fields.some((f) => SOPS_FIELDS.has(f.path.split('/')[0] ?? '') || isCiphertext(f.before) || isCiphertext(f.after))
  const inputs = a.encryptedInput ?? b.encryptedInput
  if (inputs && ciphertext) {
    change.encrypted = 'input'
    change.note = `encrypted input changed (${inputs.join(', ')}): Flux decrypts it before the build, so its values, and the hash suffix of the name, are unknown offline`
  } else if ((a.sops === true || b.sops === true) && ciphertext) {
    change.encrypted = 'data'
    change.note = 'SOPS-encrypted values changed: the ciphertext differs (a re-encryption or a new value); the plaintext is unknown offline'
  }
}

/** Owners in the order the renderer walked them (head first, then owners only base has). */
function ownerRanks(base: ClusterRender | undefined, head: ClusterRender | undefined): Map<string, number> {
  const out = new Map<string, number>()
  for (const o of [...(head?.owners ?? []), ...(base?.owners ?? [])]) if (!out.has(ownerKey(o.ref))) out.set(ownerKey(o.ref), out.size)
  return out
}

/** Kind, namespace and name within an owner: the order the report lists objects in. */
function compareChanges(x: Listed, y: Listed): number {
  const kx = `${ownerKey(x.owner)}\0${x.id.kind}\0${x.id.namespace}\0${x.id.name}\0${x.id.group}`
  const ky = `${ownerKey(y.owner)}\0${y.id.kind}\0${y.id.namespace}\0${y.id.name}\0${y.id.group}`
  return kx < ky ? -1 : kx > ky ? 1 : 0
}

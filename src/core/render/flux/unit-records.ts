import { isKubeObject, type KubeObject } from '../../model/object.js'
import { textDigest } from '../../tree/content-id.js'
import { identityOf } from '../../tree/tree-delta.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { HelmContext, HelmReleaseRender } from '../helm/helm-release.js'
import type { KustomizationRender } from './kustomization.js'
import { shareBlocks } from './source-questions.js'
import { storedAnswer } from './stored-answers.js'
import type { PackedReads, ReadSet } from './unit-reads.js'

/*
 * A UnitMemo's records as a RenderCache keeps them between runs: their key, their form, and
 * the checks a record read back must pass (anything unreadable, foreign or of another format
 * is no record).
 */

/** Bumped whenever what a stored record holds or how it is read changes: older records are then never found. */
export const RECORD_FORMAT = 2

export const storeKeyOf = (key: string): string => textDigest(`fluxgate-unit/${RECORD_FORMAT}\u0000${key}`)

/** A unit's memo key (its object and settings as JSON), and its store key once asked for. */
export interface UnitKey {
  readonly key: string
  store?: string
}

/**
 * Keys of Kustomization units, kept per unit object when that object is frozen (frozen to the
 * leaves: the output of a parent's render, shared by every plan that reuses it). A warm replan
 * asks for every unit of the cluster a push reaches, and each object's JSON and its digest were
 * most of what finding an unchanged unit's record cost.
 */
const KUSTOMIZATION_KEYS = new WeakMap<KubeObject, UnitKey & { strict: boolean }>()

export function kustomizationKey(ks: KubeObject, strict: boolean): UnitKey {
  const known = KUSTOMIZATION_KEYS.get(ks)
  if (known?.strict === strict) return known
  const unit = { strict, key: JSON.stringify(['K', strict, ks]) }
  if (Object.isFrozen(ks)) KUSTOMIZATION_KEYS.set(ks, unit)
  return unit
}

/** The memo key of a HelmRelease unit: its object and every setting its render depends on. */
export function releaseKey(hr: KubeObject, ctx: HelmContext): string {
  // The commit reaches a release only as chart version metadata under the Revision reconcile
  // strategy (H-5), which the object then spells out: otherwise renders are shared across commits.
  const revision = JSON.stringify(hr).includes('Revision') ? (ctx.revision ?? '') : ''
  const settings = [ctx.allowRemoteCharts, ctx.remoteChartsOff ?? null, ctx.helmOff ?? null, revision, ctx.apiVersions ?? [], helmId(ctx.helm)]
  return JSON.stringify(['H', settings, hr])
}

/** Helm runners told apart within this process: a render by one is not reused for another. */
const helmIds = new WeakMap<HelmRunner, number>()
let helmCount = 0

function helmId(helm: HelmRunner | undefined): string {
  if (!helm) return ''
  if (helm.cacheIdentity) return `helm ${helm.cacheIdentity}`
  let id = helmIds.get(helm)
  if (id === undefined) helmIds.set(helm, (id = ++helmCount))
  return `process-local helm ${id}`
}

/** The store key of a unit key, worked out once per key object. */
export function storeKeyOfUnit(k: UnitKey): string {
  return (k.store ??= storeKeyOf(k.key))
}

/** The names of a read-set's trees, by source, where they have one (what a set keeps instead of trees). */
export function treeNames(trees: ReadSet['trees']): [string, string][] {
  return [...(trees ?? [])].flatMap(([ref, t]): [string, string][] => {
    const id = identityOf(t)
    return id === undefined ? [] : [[ref, id]]
  })
}

/**
 * A read-set as the store keeps it: answers as digests, and the names of the trees they came
 * from (never the trees: a stored set read back holds them in memory only).
 */
export function storedSet(set: ReadSet): ReadSet {
  // A set read back from the store (UnitMemo.load checks it) is already flat.
  if (set.packed) return { reads: [], packed: set.packed, builts: set.builts, stored: true, ...(set.treeIds ? { treeIds: set.treeIds } : {}) }
  // Once per set: a unit's record is stored again, with its earlier sets, each time it renders.
  let stored = STORED_SETS.get(set)
  if (stored) return stored
  const treeIds = treeNames(set.trees)
  const packed: PackedReads = { parts: [], arity: '', answers: [] }
  for (const r of set.reads) {
    packed.parts.push(...r.q)
    packed.arity += String(r.q.length)
    packed.answers.push(storedAnswer(r.a))
  }
  stored = { reads: [], packed, builts: set.builts, stored: true, ...(treeIds.length > 0 ? { treeIds } : {}) }
  shareBlocks(set, stored)
  STORED_SETS.set(set, stored)
  return stored
}

const STORED_SETS = new WeakMap<ReadSet, ReadSet>()

/**
 * A result as the store keeps it. A Kustomization's objects carry each object as built, before
 * post-build, as the key of its source location (and of a finding's subject): a quarter of a
 * record's bytes, read back on every warm plan. Kept, each object stands for its built form in
 * those keys (they are found by identity, never read), so only the object is written.
 */
export function storedResult<T>(result: T): T {
  if (typeof result !== 'object' || result === null) return result
  // Once per result, and a stored result is its own: a record's entries are stored again each
  // time the unit renders, and the walk places a stored result it saw before as it did then.
  const known = STORED_RESULTS.get(result)
  if (known !== undefined) return known as T
  const stored = storedForm(result)
  STORED_RESULTS.set(result, stored)
  if (typeof stored === 'object' && stored !== null) STORED_RESULTS.set(stored, stored)
  return stored
}

const STORED_RESULTS = new WeakMap<object, unknown>()

function storedForm<T>(result: T): T {
  if (!validKustomization(result)) return result
  const swap = new Map(result.objects.map((p) => [p.built, p.object]))
  const as = (o: KubeObject): KubeObject => swap.get(o) ?? o
  return {
    ...result,
    objects: result.objects.map((p) => ({ ...p, built: p.object })),
    ...(result.sources ? { sources: new Map([...result.sources].map(([o, at]) => [as(o), at])) } : {}),
    ...(result.subjects ? { subjects: new Map([...result.subjects].map(([d, o]) => [d, as(o)])) } : {}),
  }
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

/** Every question has one to four parts (its kind first), and one answer. */
function validPacked(v: unknown): v is PackedReads {
  const p = v as Partial<PackedReads> | undefined
  if (typeof p !== 'object' || p === null || !strings(p.parts) || !strings(p.answers) || typeof p.arity !== 'string') return false
  if (!/^[1-4]*$/.test(p.arity) || p.arity.length !== p.answers.length) return false
  let parts = 0
  for (let i = 0; i < p.arity.length; i++) parts += p.arity.charCodeAt(i) - 48
  return parts === p.parts.length
}

export function validStoredSet(v: unknown): v is ReadSet {
  const s = v as Partial<ReadSet> | undefined
  return (
    typeof s === 'object' &&
    s !== null &&
    Array.isArray(s.reads) &&
    s.reads.length === 0 &&
    validPacked(s.packed) &&
    Array.isArray(s.builts) &&
    s.builts.every((b) => Array.isArray(b) && b.every(isKubeObject)) &&
    (s.treeIds === undefined || (Array.isArray(s.treeIds) && s.treeIds.every((p) => strings(p) && p.length === 2))) &&
    s.trees === undefined
  )
}

export function validKustomization(v: unknown): v is KustomizationRender {
  const r = v as Partial<KustomizationRender> | undefined
  return typeof r === 'object' && r !== null && typeof r.status === 'string' && Array.isArray(r.diagnostics) && Array.isArray(r.objects) && r.objects.every((p) => isKubeObject(p?.object) && isKubeObject(p.built))
}

export function validRelease(v: unknown): v is HelmReleaseRender {
  const r = v as Partial<HelmReleaseRender> | undefined
  return typeof r === 'object' && r !== null && typeof r.status === 'string' && Array.isArray(r.diagnostics) && Array.isArray(r.templates) && Array.isArray(r.secretValues) && typeof r.helm === 'object' && Array.isArray(r.objects) && r.objects.every(isKubeObject)
}

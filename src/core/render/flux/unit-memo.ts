import type { HelmRunner } from '../../../ports/helm.js'
import type { KubeObject } from '../../model/object.js'
import type { ClusterRender } from '../../model/render-result.js'
import { frozen } from '../../model/frozen.js'
import { phase } from '../../timings/phases.js'
import { renderHelmRelease, type HelmContext, type HelmReleaseRender } from '../helm/helm-release.js'
import { renderKustomization, type KustomizationContext, type KustomizationRender } from './kustomization.js'
import { replay, UnitRecorder, type ReadSet, type UnitInputs } from './unit-reads.js'
import type { ScanStore } from '../../load/scan-records.js'
import { kustomizationKey, RECORD_FORMAT, releaseKey, storedResult, storedSet, storeKeyOfUnit, treeNames, validKustomization, validRelease, validStoredSet, type UnitKey } from './unit-records.js'
import type { ThreadMemo, UnitMemoOptions, UnitMemoStats } from './unit-memo-types.js'

/** Records kept per unit object and settings (the base and head variants of a unit, and a few more). */
const PER_KEY = 4

/**
 * One rendered unit: what it asked and what it yielded (frozen, shared by every use).
 * `volatile`: it read or holds a Secret value, so it is kept in memory for this memo only.
 */
interface Entry<T> {
  set: ReadSet
  result: T
  volatile: boolean
  fromCache?: boolean
  /** Rendered ahead of its turn (prefetchHelmRelease) and not used yet: its first use is its render, not a reuse. */
  ahead?: boolean
}

/** True when `Covered` names every field of `T`. */
type Exhaustive<T, Covered extends keyof T> = [Exclude<keyof T, Covered>] extends [never] ? true : false


/**
 * Incremental rendering: every Flux Kustomization and HelmRelease a walk renders is recorded
 * with its read-set (unit-reads.ts), and a later walk with the same memo (the head of a pull
 * request after its base) reuses the result when the unit object and its settings are the same
 * and every recorded question gets the same answer again: a changed file, a new file in a
 * listed folder, a changed `.sourceignore`, a changed parent (its output is the unit object),
 * a changed ConfigMap, Secret or cluster value behind substituteFrom or valuesFrom, a changed
 * CRD all make it render again. Records stay in this memo's memory (they hold what the render
 * read, Secrets included); results are frozen and shared (`frozen`), provenance maps with them.
 */
export class UnitMemo {
  /**
   * Every field of a unit's context is in its key or recorded as a read: a field added to
   * either context fails to compile here until it is one or the other.
   */
  static readonly covers: [
    Exhaustive<KustomizationContext, 'strictSubstitution' | 'resolveSource' | 'values' | 'crds' | 'fluxOperator'>,
    Exhaustive<HelmContext, 'allowRemoteCharts' | 'remoteChartsOff' | 'helmOff' | 'revision' | 'apiVersions' | 'helm' | 'values' | 'findSource' | 'resolveArtifact'>,
  ] = [true, true]

  readonly stats: UnitMemoStats = { rendered: 0, reused: 0, fromCache: 0, stored: 0, uncacheable: 0 }
  private readonly kustomizations = new Map<string, Entry<KustomizationRender>[]>()
  private readonly releases = new Map<string, Entry<HelmReleaseRender>[]>()
  /** Values taken from Secrets so far: a unit object holding one (its parent substituted it) is never stored. */
  private readonly secrets = new Set<string>()
  /** HelmRelease renders under way, by key: a later ask for the same key waits for it, then replays it. */
  private readonly inflight = new Map<string, Promise<HelmReleaseRender>>()

  constructor(private readonly opts: UnitMemoOptions = {}) {}

  /**
   * How the memo of another thread walking clusters for this one behaves like it (ThreadWalks):
   * keeping records or not, and the same RenderCache opened there, read-only when this one is.
   * undefined when this memo's store cannot be opened in another thread.
   */
  threadMode(): ThreadMemo | undefined {
    const mode = this.opts.retain === false ? 'once' : 'retain'
    const store = this.opts.store
    if (!store) return { mode }
    if (store.threadHandle === undefined) return undefined
    return { mode, store: { handle: store.threadHandle, readOnly: this.opts.readOnly === true } }
  }

  /** Whether this memo only reads records (an untrusted change): what walks with it make is not kept either. */
  get readOnly(): boolean {
    return this.opts.readOnly === true
  }

  /** Where this memo keeps records between runs: discovery keeps its scan records beside them (scan-records.ts). */
  scanStore(): ScanStore | undefined {
    return this.opts.store ? { cache: this.opts.store, readOnly: this.opts.readOnly === true } : undefined
  }

  /**
   * A cluster's whole walk was reused (ClusterMemo): counted, and the Secret values its units
   * took noted, as if its units had been reused one by one (a later unit object that carries
   * one is never stored).
   */
  reusedWalk(clusters: readonly ClusterRender[]): void {
    this.stats.wholeClusters = (this.stats.wholeClusters ?? 0) + 1
    for (const c of clusters) for (const o of c.owners) this.noteSecrets(o.secretValues)
  }

  /** Counts of another thread's memo, added to this one's (a walk that ran there). */
  absorb(counts: UnitMemoStats): void {
    for (const k of Object.keys(this.stats) as (keyof UnitMemoStats)[]) this.stats[k] = (this.stats[k] ?? 0) + (counts[k] ?? 0)
  }

  /** renderKustomization, or a copy of its earlier result when nothing it read has changed. */
  kustomization(ks: KubeObject, ctx: KustomizationContext): KustomizationRender {
    if (this.opts.retain === false) {
      this.stats.rendered++
      return renderKustomization(ks, ctx)
    }
    const unit = kustomizationKey(ks, ctx.strictSubstitution)
    const key = unit.key
    const inputs: UnitInputs = {
      resolve: (r) => ctx.resolveSource(r),
      values: (built) => ctx.values(built),
      crds: () => ctx.crds?.() ?? [],
      fluxOperator: () => ctx.fluxOperator?.() === true,
    }
    const hit = this.find(this.kustomizations, unit, inputs, validKustomization)
    if (hit) return hit
    const rec = new UnitRecorder(inputs)
    const result = renderKustomization(ks, {
      ...ctx,
      resolveSource: (r) => rec.resolve(r),
      values: (built) => rec.values(built),
      crds: () => rec.crds(),
      fluxOperator: () => rec.fluxOperator(),
    })
    this.stats.rendered++
    const volatile =
      rec.secretRead ||
      this.tainted(key) ||
      (result.secretValues ?? []).length > 0 ||
      result.objects.some((p) => p.sops || p.encryptedInput !== undefined || p.encryptedIdentity !== undefined || p.object.kind === 'Secret' || p.built.kind === 'Secret') ||
      rec.set.builts.some((b) => b.some((o) => o.kind === 'Secret'))
    this.noteSecrets(result.secretValues)
    return this.remember(this.kustomizations, unit, rec.set, result, volatile)
  }

  /** renderHelmRelease, or its earlier result when nothing it read has changed (charts of the repository only). */
  async helmRelease(hr: KubeObject, ctx: HelmContext): Promise<HelmReleaseRender> {
    return this.release(hr, ctx, false)
  }

  /**
   * Starts rendering a HelmRelease of a chart in Git before its turn, while the walk goes on
   * with Kustomizations: helm runs beside the walk instead of after it. When its turn comes,
   * `helmRelease` waits for this render and replays what it read, as for any earlier render:
   * the same answers give the same result, and anything that changed meanwhile (a CRD, a
   * valuesFrom ConfigMap placed later) renders it again.
   */
  prefetchHelmRelease(hr: KubeObject, ctx: HelmContext): void {
    this.release(hr, ctx, true).catch(() => undefined)
  }

  /** Whether a release is rendering (ahead of its turn, or at it). */
  rendering(): boolean {
    return this.inflight.size > 0
  }

  /** Every render under way has ended. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inflight.values()])
  }

  private async release(hr: KubeObject, ctx: HelmContext, ahead: boolean): Promise<HelmReleaseRender> {
    const unit: UnitKey = { key: releaseKey(hr, ctx) }
    const key = unit.key
    const running = this.inflight.get(key)
    if (running) {
      if (ahead) return running
      await running.catch(() => undefined)
    }
    const inputs: UnitInputs = { resolve: (r) => ctx.resolveArtifact(r), values: () => ctx.values, findSource: (k, ns, n) => ctx.findSource(k, ns, n) }
    // Ahead of its turn, a record that replays is left for the turn to use (and count).
    const hit = this.find(this.releases, unit, inputs, validRelease, ahead)
    if (hit) return hit
    const job = this.renderRelease(unit, hr, ctx, inputs, ahead)
    this.inflight.set(key, job)
    try {
      return await job
    } finally {
      if (this.inflight.get(key) === job) this.inflight.delete(key)
    }
  }

  private async renderRelease(unit: UnitKey, hr: KubeObject, ctx: HelmContext, inputs: UnitInputs, ahead: boolean): Promise<HelmReleaseRender> {
    const rec = new UnitRecorder(inputs)
    const helm = ctx.helm
    // What a registry or an HTTP repository answers is not in the read-set: such units always render.
    let remote = false
    let templated = false
    const recordingHelm: HelmRunner | undefined = helm && {
      fetchIndex: (url) => ((remote = true), helm.fetchIndex(url)),
      listTags: (ref, insecure) => ((remote = true), helm.listTags(ref, insecure)),
      template: (req) => {
        templated = true
        if (req.chart.type !== 'files') remote = true
        return helm.template(req)
      },
    }
    const result = await renderHelmRelease(hr, {
      ...ctx,
      values: rec.values([]),
      findSource: (k, ns, n) => rec.findSource(k, ns, n),
      resolveArtifact: (r) => rec.resolve(r),
      ...(recordingHelm ? { helm: recordingHelm } : {}),
    })
    this.stats.rendered++
    this.noteSecrets(result.secretValues)
    if (remote) {
      this.stats.uncacheable++
      return result
    }
    // Only a helm that names itself may have its output kept beyond this process.
    const volatile = rec.secretRead || this.tainted(unit.key) || result.secretValues.length > 0 || result.objects.some((o) => o.kind === 'Secret') || (templated && !helm?.cacheIdentity)
    return this.remember(this.releases, unit, rec.set, result, volatile, ahead)
  }

  private find<T extends { secretValues?: string[] | undefined }>(map: Map<string, Entry<T>[]>, unit: UnitKey, inputs: UnitInputs, valid: (v: unknown) => v is T, peek = false): T | undefined {
    let list = map.get(unit.key)
    if (!list) map.set(unit.key, (list = [...this.load(unit, valid), ...this.kept<T>(unit.key)].slice(0, PER_KEY)))
    for (const e of list) {
      if (!phase('incremental: read-set check', () => replay(e.set, inputs))) continue
      if (peek) return e.result
      if (this.opts.retain === false) list.splice(list.indexOf(e), 1)
      if (e.ahead) e.ahead = false
      else this.stats.reused++
      if (e.fromCache) this.stats.fromCache++
      this.noteSecrets(e.result.secretValues)
      return phase('incremental: reuse', () => frozen(e.result))
    }
    return undefined
  }

  /** Keeps a render's record; the result to use from now on (a stored one in its stored form). */
  private remember<T>(map: Map<string, Entry<T>[]>, unit: UnitKey, set: ReadSet, result: T, volatile: boolean, ahead = false): T {
    if (this.opts.retain === false && !ahead) return result
    const store = this.opts.store
    const storing = !volatile && store !== undefined && !this.opts.readOnly
    // A result the store keeps is used in the form it keeps, here too: later plans read that
    // very value back from the store's memory, and the walk places it as it did the first time.
    const kept = phase('incremental: record', () => frozen(storing ? storedResult(frozen(result)) : result))
    const entry: Entry<T> = { set, result: kept, volatile, ...(ahead ? { ahead } : {}) }
    const list = [entry, ...(map.get(unit.key) ?? [])].slice(0, PER_KEY)
    map.set(unit.key, list)
    const secrets = this.opts.volatile
    if (secrets && !this.opts.readOnly && volatile) secrets.set(unit.key, list.filter((e) => e.volatile && !e.ahead).map(detached))
    if (!storing) return kept
    const entries = list.filter((e) => !e.volatile).map((e) => ({ set: storedSet(e.set), result: storedResult(e.result) }))
    const storeKey = storeKeyOfUnit(unit)
    const record = { format: RECORD_FORMAT, key: storeKey, entries }
    // Made here from this render: a store that keeps it in memory hands back this very value (frozen), with nothing to check.
    checkedRecords.add(record)
    phase('incremental: cache write', () => store!.set(storeKey, record))
    this.stats.stored++
    return kept
  }

  /** The stored records of a unit; anything unreadable, foreign or of another format is none. */
  private load<T>(unit: UnitKey, valid: (v: unknown) => v is T): Entry<T>[] {
    const store = this.opts.store
    if (!store) return []
    const storeKey = storeKeyOfUnit(unit)
    const v = phase('incremental: cache read', () => store.get(storeKey)) as { format?: unknown; key?: unknown; entries?: unknown } | undefined
    if (!v || typeof v !== 'object' || v.format !== RECORD_FORMAT || v.key !== storeKey || !Array.isArray(v.entries)) return []
    const out: Entry<T>[] = []
    // A record handed out again (a store that keeps records in memory) is frozen to the leaves:
    // what was checked once stays right.
    const checkedBefore = Object.isFrozen(v) && checkedRecords.has(v)
    for (const e of v.entries as { set?: unknown; result?: unknown }[]) {
      if (checkedBefore || (validStoredSet(e?.set) && valid(e.result))) out.push({ set: { ...(e.set as ReadSet), stored: true }, result: e.result as T, volatile: false, fromCache: true })
    }
    if (Object.isFrozen(v) && out.length === v.entries.length) checkedRecords.add(v)
    return out.slice(0, PER_KEY)
  }

  /** The records of a unit that holds a Secret, kept from an earlier plan (VolatileRecords); each replay gets a set of its own. */
  private kept<T>(key: string): Entry<T>[] {
    return ((this.opts.volatile?.get(key) ?? []) as Entry<T>[]).map((e) => ({ ...e, set: { ...e.set } }))
  }

  // A unit object can carry a value its parent substituted from a Secret.
  private tainted(json: string): boolean {
    for (const s of this.secrets) if (json.includes(s) || json.includes(JSON.stringify(s).slice(1, -1))) return true
    return false
  }

  private noteSecrets(values: readonly string[] | undefined): void {
    for (const v of values ?? []) if (v !== '') this.secrets.add(v)
  }
}

/**
 * An entry as VolatileRecords keeps it: its trees by name only (a later check relates its tree
 * to them by name), so it does not keep an old commit's tree alive.
 */
function detached<T>(e: Entry<T>): Entry<T> {
  const { trees, ...set } = e.set
  const named = treeNames(trees)
  return { set: { ...set, ...(named.length > 0 ? { treeIds: named } : {}) }, result: e.result, volatile: true }
}

/** Stored records found valid, when the store hands out the same frozen value again (its memory). */
const checkedRecords = new WeakSet<object>()

import type { HelmRunner } from '../../../ports/helm.js'
import type { RenderCache } from '../../../ports/render-cache.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { ArtifactResult } from '../../load/sources.js'
import { isKubeObject, type KubeObject } from '../../model/object.js'
import { phase } from '../../timings/phases.js'
import { textDigest } from '../../tree/content-id.js'
import { renderHelmRelease, type HelmContext, type HelmReleaseRender } from '../helm/helm-release.js'
import { renderKustomization, sourceRefOf, type KustomizationContext, type KustomizationRender } from './kustomization.js'
import { refKey, replay, UnitRecorder, validReads, type UnitInputs, type UnitRead } from './unit-reads.js'

/** Bumped whenever what a record holds or how it is read changes: older records are then never found. */
const RECORD_FORMAT = 1
/** Records kept per unit object (the base and head variants of a unit, and a few before them). */
const PER_KEY = 4

/** One rendered unit: what it read and what it yielded (JSON text, decoded afresh on every use). */
interface Entry {
  reads: UnitRead[]
  result: string
  /** Holds or read something from a Secret: kept in memory for this render only, never stored. */
  volatile: boolean
}

/** How a UnitMemo fared, for `--timings` and the benchmark. */
export interface UnitMemoStats {
  /** Units rendered. */
  rendered: number
  /** Units whose earlier render was reused (all their reads answered the same). */
  reused: number
  /** Of the reused, those read back from the RenderCache. */
  fromCache: number
  /** Records written to the RenderCache. */
  stored: number
  /** Units that cannot be reused: a remote chart, or a value JSON cannot carry exactly. */
  uncacheable: number
}

/** Options of a UnitMemo. */
export interface UnitMemoOptions {
  /** Where records outlive this process; without one they live as long as the memo. */
  store?: RenderCache
  /** Names the code that renders (its version and build): records of other code are never used. */
  engine?: string
}

/**
 * Incremental rendering: every Flux Kustomization and HelmRelease a walk renders is recorded
 * with its read-set (unit-reads.ts), and a later walk (the head of a pull request after its
 * base, the next review of a repository, the next CI run through a RenderCache) reuses the
 * result when the unit object is the same and every recorded question gets the same answer
 * again: a changed file, a new file in a listed folder, a changed `.sourceignore`, a changed
 * parent (its output is the unit object), a changed ConfigMap behind substituteFrom or
 * valuesFrom, a changed CRD all make it render again. Results are copied in and out.
 */
export class UnitMemo {
  readonly stats: UnitMemoStats = { rendered: 0, reused: 0, fromCache: 0, stored: 0, uncacheable: 0 }
  private readonly live = new Map<string, Entry[]>()
  /** Values taken from Secrets so far: a unit object holding one is never stored. */
  private readonly secrets = new Set<string>()

  constructor(private readonly opts: UnitMemoOptions = {}) {}

  /** The RenderCache records go to (other caches of the render use it too: parsed declarations). */
  get store(): RenderCache | undefined {
    return this.opts.store
  }

  /** renderKustomization, or its earlier result when nothing it read has changed. */
  kustomization(ks: KubeObject, ctx: KustomizationContext): KustomizationRender {
    const json = JSON.stringify(ks)
    const key = `K\u0000${ctx.strictSubstitution}\u0000${json}`
    const inputs: UnitInputs = { resolve: (r) => ctx.resolveSource(r), lookup: (k, ns, n) => ctx.lookup(k as 'ConfigMap' | 'Secret', ns, n), crds: () => ctx.crds?.() ?? [] }
    const hit = this.find(key, inputs, (text, sources) => decodeKustomization(text, sources))
    if (hit) return this.reused(hit)
    const rec = new UnitRecorder(inputs)
    const result = renderKustomization(ks, { ...ctx, resolveSource: (r) => rec.resolve(r), lookup: (k, ns, n) => rec.lookup(k, ns, n), crds: () => rec.crds() })
    this.stats.rendered++
    this.noteSecrets(result.secretValues)
    const volatile = rec.secretLookups || this.tainted(json) || (result.secretValues ?? []).length > 0 || result.objects.some((p) => p.sops || p.object.kind === 'Secret' || p.built.kind === 'Secret')
    this.remember(key, rec.reads, phase('incremental: record', () => encodeKustomization(result, refKey(sourceRefOf(ks)))), volatile)
    return result
  }

  /** renderHelmRelease, or its earlier result when nothing it read has changed (local charts only). */
  async helmRelease(hr: KubeObject, ctx: HelmContext): Promise<HelmReleaseRender> {
    const json = JSON.stringify(hr)
    // The commit only reaches a chart's version under the Revision reconcile strategy (H-5);
    // any mention of that word keeps it in the key, so other units reuse across commits.
    const revision = json.includes('Revision') ? (ctx.revision ?? '') : ''
    const key = `H\u0000${ctx.allowRemoteCharts}\u0000${revision}\u0000${(ctx.apiVersions ?? []).join(' ')}\u0000${this.helmId(ctx.helm)}\u0000${json}`
    const inputs: UnitInputs = { resolve: (r) => ctx.resolveArtifact(r), lookup: (k, ns, n) => ctx.lookup(k as 'ConfigMap' | 'Secret', ns, n), findSource: (k, ns, n) => ctx.findSource(k, ns, n) }
    const hit = this.find(key, inputs, (text) => decodeHelmRelease(text))
    if (hit) return this.reused(hit)
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
      lookup: (k, ns, n) => rec.lookup(k, ns, n),
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
    // Only a helm that names its version may have its output kept beyond this process.
    const volatile = rec.secretLookups || this.tainted(json) || result.secretValues.length > 0 || result.objects.some((o) => o.kind === 'Secret') || (templated && !helm?.cacheIdentity)
    this.remember(key, rec.reads, phase('incremental: record', () => encodeJson(result)), volatile)
    return result
  }

  private reused<T extends { secretValues?: string[] }>(hit: T & { fromCache: boolean }): T {
    this.stats.reused++
    if (hit.fromCache) this.stats.fromCache++
    this.noteSecrets(hit.secretValues)
    const { fromCache: _fromCache, ...result } = hit
    return result as unknown as T
  }

  private find<T>(key: string, inputs: UnitInputs, decode: (text: string, sources: Map<string, ArtifactResult>) => T | undefined): (T & { fromCache: boolean }) | undefined {
    let list = this.live.get(key)
    let fromCache = false
    if (!list) {
      list = this.load(key)
      fromCache = list.length > 0
      this.live.set(key, list)
    }
    for (const e of list) {
      const sources = phase('incremental: read-set check', () => replay(e.reads, inputs))
      if (!sources) continue
      const value = phase('incremental: reuse (decode)', () => decode(e.result, sources))
      if (value !== undefined) return { ...value, fromCache }
    }
    return undefined
  }

  private remember(key: string, reads: UnitRead[], result: string | undefined, volatile: boolean): void {
    if (result === undefined) {
      this.stats.uncacheable++
      return
    }
    const list = [{ reads, result, volatile }, ...(this.live.get(key) ?? [])].slice(0, PER_KEY)
    this.live.set(key, list)
    if (volatile || !this.opts.store) return
    const stored = list.filter((e) => !e.volatile).map((e) => ({ reads: e.reads, result: e.result }))
    const storeKey = this.storeKey(key)
    const store = this.opts.store
    phase('incremental: cache write', () => store.set(storeKey, JSON.stringify({ format: RECORD_FORMAT, key: storeKey, entries: stored })))
    this.stats.stored++
  }

  /** The stored records of a unit; anything unreadable, foreign or of another format is none. */
  private load(key: string): Entry[] {
    const store = this.opts.store
    if (!store) return []
    const storeKey = this.storeKey(key)
    const text = phase('incremental: cache read', () => store.get(storeKey))
    if (text === undefined) return []
    try {
      const v = JSON.parse(text) as { format?: unknown; key?: unknown; entries?: unknown }
      if (v.format !== RECORD_FORMAT || v.key !== storeKey || !Array.isArray(v.entries)) return []
      const out: Entry[] = []
      for (const e of v.entries as { reads?: unknown; result?: unknown }[]) {
        if (validReads(e?.reads) && typeof e.result === 'string') out.push({ reads: e.reads, result: e.result, volatile: false })
      }
      return out.slice(0, PER_KEY)
    } catch {
      return []
    }
  }

  private storeKey(key: string): string {
    return textDigest(`fluxgate-unit/${RECORD_FORMAT}\u0000${this.opts.engine ?? ''}\u0000${key}`)
  }

  private helmId(helm: HelmRunner | undefined): string {
    if (!helm) return ''
    if (helm.cacheIdentity) return `helm ${helm.cacheIdentity}`
    let id = helmIds.get(helm)
    if (!id) {
      id = `process-local helm ${++helmCount}`
      helmIds.set(helm, id)
    }
    return id
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

/** Helm runners without a cacheIdentity, told apart within this process only. */
const helmIds = new WeakMap<HelmRunner, string>()
let helmCount = 0

/** JSON text of a value, or undefined when JSON would not give it back exactly (NaN, ±Infinity, -0, holes, non-plain objects). */
function encodeJson(value: unknown): string | undefined {
  return exactJson(value) ? JSON.stringify(value) : undefined
}

function exactJson(v: unknown): boolean {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true
  if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0)
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) if (!(i in v) || v[i] === undefined || !exactJson(v[i])) return false
    return true
  }
  if (typeof v !== 'object') return false
  // A plain object of any realm (structuredClone hands out the main realm's, test sandboxes have their own): its prototype is a root.
  const proto = Object.getPrototypeOf(v) as object | null
  if ((proto !== null && Object.getPrototypeOf(proto) !== null) || Object.getOwnPropertySymbols(v).length > 0) return false
  // An undefined property is absent once read back, which is how every reader treats it.
  for (const x of Object.values(v as Record<string, unknown>)) if (x !== undefined && !exactJson(x)) return false
  return true
}

/** The result as JSON: `subjects` as (diagnostic index, object) pairs, the artifact by its source ref. */
function encodeKustomization(r: KustomizationRender, ref: string): string | undefined {
  const { artifact, subjects, ...rest } = r
  const index = new Map(r.diagnostics.map((d, i) => [d, i]))
  const pairs = [...(subjects ?? new Map<Diagnostic, KubeObject>())].flatMap(([d, o]) => (index.has(d) ? [[index.get(d)!, o] as const] : []))
  return encodeJson({ rest, ...(subjects ? { subjects: pairs } : {}), ...(artifact ? { artifact: { ref, source: artifact.source, dir: artifact.dir } } : {}) })
}

function decodeKustomization(text: string, sources: Map<string, ArtifactResult>): KustomizationRender | undefined {
  const v = parse(text) as { rest?: KustomizationRender; subjects?: [number, KubeObject][]; artifact?: { ref: string; source: string; dir: string } } | undefined
  const r = v?.rest
  if (!r || typeof r.status !== 'string' || !Array.isArray(r.objects) || !Array.isArray(r.diagnostics)) return undefined
  if (!r.objects.every((p) => isKubeObject(p?.object) && isKubeObject(p?.built))) return undefined
  const out: KustomizationRender = { ...r }
  if (v.subjects) {
    const subjects = new Map<Diagnostic, KubeObject>()
    for (const [i, o] of v.subjects) {
      const d = r.diagnostics[i]
      if (!d) return undefined
      subjects.set(d, o)
    }
    out.subjects = subjects
  }
  if (v.artifact) {
    const src = sources.get(v.artifact.ref)
    if (src?.type !== 'tree' || src.source !== v.artifact.source) return undefined
    out.artifact = { tree: src.tree, source: src.source, dir: v.artifact.dir, ...(src.origin ? { origin: src.origin } : {}) }
  }
  return out
}

function decodeHelmRelease(text: string): HelmReleaseRender | undefined {
  const r = parse(text) as HelmReleaseRender | undefined
  if (!r || typeof r.status !== 'string' || !Array.isArray(r.objects) || !Array.isArray(r.diagnostics) || !Array.isArray(r.secretValues) || !r.helm) return undefined
  return r.objects.every(isKubeObject) ? r : undefined
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

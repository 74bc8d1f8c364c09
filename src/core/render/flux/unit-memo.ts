import type { HelmRunner } from '../../../ports/helm.js'
import type { KubeObject } from '../../model/object.js'
import { phase } from '../../timings/phases.js'
import { renderHelmRelease, type HelmContext, type HelmReleaseRender } from '../helm/helm-release.js'
import { renderKustomization, type KustomizationContext, type KustomizationRender } from './kustomization.js'
import { replay, UnitRecorder, type ReadSet, type UnitInputs } from './unit-reads.js'

/** Records kept per unit object and settings (the base and head variants of a unit, and a few more). */
const PER_KEY = 4

/** One rendered unit: what it asked and what it yielded (a private copy, copied again on every use). */
interface Entry<T> {
  set: ReadSet
  result: T
}

/** True when `Covered` names every field of `T`. */
type Exhaustive<T, Covered extends keyof T> = [Exclude<keyof T, Covered>] extends [never] ? true : false

/** How a UnitMemo fared, for `--timings` and the benchmark. */
export interface UnitMemoStats {
  /** Units rendered. */
  rendered: number
  /** Units whose earlier render was reused (every question answered the same). */
  reused: number
  /** Units that cannot be reused: a remote chart, or a result that cannot be copied. */
  uncacheable: number
}

/**
 * Incremental rendering: every Flux Kustomization and HelmRelease a walk renders is recorded
 * with its read-set (unit-reads.ts), and a later walk with the same memo (the head of a pull
 * request after its base) reuses the result when the unit object and its settings are the same
 * and every recorded question gets the same answer again: a changed file, a new file in a
 * listed folder, a changed `.sourceignore`, a changed parent (its output is the unit object),
 * a changed ConfigMap, Secret or cluster value behind substituteFrom or valuesFrom, a changed
 * CRD all make it render again. Records stay in this memo's memory (they hold what the render
 * read, Secrets included) and results are copied in and out, provenance maps with them.
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

  readonly stats: UnitMemoStats = { rendered: 0, reused: 0, uncacheable: 0 }
  private readonly kustomizations = new Map<string, Entry<KustomizationRender>[]>()
  private readonly releases = new Map<string, Entry<HelmReleaseRender>[]>()

  /** renderKustomization, or a copy of its earlier result when nothing it read has changed. */
  kustomization(ks: KubeObject, ctx: KustomizationContext): KustomizationRender {
    const key = JSON.stringify(['K', ctx.strictSubstitution, ks])
    const inputs: UnitInputs = {
      resolve: (r) => ctx.resolveSource(r),
      values: (built) => ctx.values(built),
      crds: () => ctx.crds?.() ?? [],
      fluxOperator: () => ctx.fluxOperator?.() === true,
    }
    const hit = this.find(this.kustomizations, key, inputs)
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
    this.remember(this.kustomizations, key, rec.set, result)
    return result
  }

  /** renderHelmRelease, or a copy of its earlier result when nothing it read has changed (charts of the repository only). */
  async helmRelease(hr: KubeObject, ctx: HelmContext): Promise<HelmReleaseRender> {
    const json = JSON.stringify(hr)
    // The commit reaches a release only as chart version metadata under the Revision reconcile
    // strategy (H-5), which the object then spells out: otherwise renders are shared across commits.
    const revision = json.includes('Revision') ? (ctx.revision ?? '') : ''
    const settings = [ctx.allowRemoteCharts, ctx.remoteChartsOff ?? null, ctx.helmOff ?? null, revision, ctx.apiVersions ?? [], helmId(ctx.helm)]
    const key = JSON.stringify(['H', settings, hr])
    const inputs: UnitInputs = { resolve: (r) => ctx.resolveArtifact(r), values: () => ctx.values, findSource: (k, ns, n) => ctx.findSource(k, ns, n) }
    const hit = this.find(this.releases, key, inputs)
    if (hit) return hit
    const rec = new UnitRecorder(inputs)
    const helm = ctx.helm
    // What a registry or an HTTP repository answers is not in the read-set: such units always render.
    let remote = false
    const recordingHelm: HelmRunner | undefined = helm && {
      fetchIndex: (url) => ((remote = true), helm.fetchIndex(url)),
      listTags: (ref, insecure) => ((remote = true), helm.listTags(ref, insecure)),
      template: (req) => {
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
    if (remote) this.stats.uncacheable++
    else this.remember(this.releases, key, rec.set, result)
    return result
  }

  private find<T>(store: Map<string, Entry<T>[]>, key: string, inputs: UnitInputs): T | undefined {
    for (const e of store.get(key) ?? []) {
      if (!phase('incremental: read-set check', () => replay(e.set, inputs))) continue
      this.stats.reused++
      return phase('incremental: reuse (copy)', () => structuredClone(e.result))
    }
    return undefined
  }

  private remember<T>(store: Map<string, Entry<T>[]>, key: string, set: ReadSet, result: T): void {
    let copy: T
    try {
      copy = phase('incremental: record', () => structuredClone(result))
    } catch {
      // Something a copy cannot carry (a function): rendered every time.
      this.stats.uncacheable++
      return
    }
    store.set(key, [{ set, result: copy }, ...(store.get(key) ?? [])].slice(0, PER_KEY))
  }
}

/** Helm runners told apart within this process: a render by one is not reused for another. */
const helmIds = new WeakMap<HelmRunner, number>()
let helmCount = 0

function helmId(helm: HelmRunner | undefined): number {
  if (!helm) return 0
  let id = helmIds.get(helm)
  if (id === undefined) helmIds.set(helm, (id = ++helmCount))
  return id
}

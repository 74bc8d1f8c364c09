import { isFluxKustomization, isHelmRelease } from '../model/flux-kinds.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import { setOwn } from '../model/own.js'
import { parseYaml12All } from '../yaml/index.js'
import type { LocatedObject } from './yaml-docs.js'

/** A FluxInstance as the repository declares it, and how it was found. */
export interface FoundInstance {
  object: KubeObject
  file: string
  line: number
  /**
   * `object`: a FluxInstance manifest; `helm-values`: the flux-instance chart's `values.instance`
   * of a HelmRelease; `patch`: a kustomize patch that sets `spec.sync` on a FluxInstance.
   */
  via: 'object' | 'helm-values' | 'patch'
}

const API_VERSION = 'fluxcd.controlplane.io/v1'
const KIND = 'FluxInstance'

/** The flux-instance chart names its FluxInstance `flux` (values `fullnameOverride`). */
const CHART_INSTANCE_NAME = 'flux'

/** The `spec.sync` of a FluxInstance, with the CRD's and the chart's defaults. */
export interface InstanceSync {
  kind: string
  url: string
  ref: string
  path: string
  /** Default: the FluxInstance's namespace. */
  name: string
  interval: string
  pullSecret?: string
  provider?: string
}

/** `spec.sync` with defaults, or undefined when the FluxInstance syncs nothing. */
export function instanceSync(instance: KubeObject): InstanceSync | undefined {
  const spec = isJsonObject(instance['spec']) ? instance['spec'] : {}
  const sync = isJsonObject(spec['sync']) ? spec['sync'] : undefined
  if (!sync || typeof sync['path'] !== 'string') return undefined
  const str = (k: string): string => (typeof sync[k] === 'string' ? (sync[k] as string) : '')
  return {
    kind: str('kind') || 'GitRepository',
    url: str('url'),
    ref: str('ref'),
    path: str('path'),
    name: str('name') || (instance.metadata.namespace ?? 'flux-system'),
    interval: goDuration(str('interval') || '1m'),
    ...(str('pullSecret') ? { pullSecret: str('pullSecret') } : {}),
    ...(str('provider') ? { provider: str('provider') } : {}),
  }
}

/**
 * The FluxInstances a repository declares: manifests, the flux-instance chart's values in a
 * HelmRelease (home-lab fleets install Flux that way), and kustomize patches (in a
 * kustomization file or a Flux Kustomization's `spec.patches`) that set `spec.sync` on one,
 * merged onto the FluxInstance of that name when the repository has it.
 */
export function fluxInstancesIn(objects: LocatedObject[], patchFiles: ReadonlySet<string>, inlinePatches: { file: string; line: number; patch: JsonValue; target?: JsonObject }[]): FoundInstance[] {
  const out: FoundInstance[] = []
  const patches: FoundInstance[] = []
  const inline = [...inlinePatches]
  for (const o of objects) {
    const { apiVersion, kind } = o.object
    if (kind === KIND && apiVersion.startsWith('fluxcd.controlplane.io/')) {
      ;(patchFiles.has(o.file) ? patches : out).push({ object: o.object, file: o.file, line: o.line, via: patchFiles.has(o.file) ? 'patch' : 'object' })
    } else if (isHelmRelease(apiVersion, kind)) {
      const fromValues = chartInstance(o.object)
      if (fromValues) out.push({ object: fromValues, file: o.file, line: o.line, via: 'helm-values' })
    } else if (isFluxKustomization(apiVersion, kind)) {
      const spec = isJsonObject(o.object['spec']) ? o.object['spec'] : {}
      for (const p of Array.isArray(spec['patches']) ? spec['patches'].filter(isJsonObject) : []) {
        if (typeof p['patch'] === 'string') inline.push({ file: o.file, line: o.line, patch: p['patch'], ...(isJsonObject(p['target']) ? { target: p['target'] } : {}) })
      }
    }
  }
  for (const p of inline) {
    const applied = instanceFromInlinePatch(p.patch, p.target)
    if (applied) patches.push({ object: applied, file: p.file, line: p.line, via: 'patch' })
  }
  for (const p of patches) {
    const sync = isJsonObject(p.object['spec']) && isJsonObject(p.object['spec']['sync']) ? p.object['spec']['sync'] : undefined
    if (!sync) continue
    const base = out.find((b) => b.via !== 'patch' && b.object.metadata.name === p.object.metadata.name)
    const baseSpec = base && isJsonObject(base.object['spec']) ? base.object['spec'] : {}
    const baseSync = isJsonObject(baseSpec['sync']) ? baseSpec['sync'] : {}
    out.push({ ...p, object: { ...(base?.object ?? p.object), spec: { ...baseSpec, sync: { ...baseSync, ...sync } } } })
  }
  return out
}

/** The FluxInstance the flux-instance chart renders from a HelmRelease's values, if it has a sync. */
function chartInstance(hr: KubeObject): KubeObject | undefined {
  const spec = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const values = isJsonObject(spec['values']) ? spec['values'] : undefined
  const instance = values && isJsonObject(values['instance']) ? values['instance'] : undefined
  if (!instance || !isJsonObject(instance['sync']) || typeof instance['sync']['url'] !== 'string' || !instance['sync']['url']) return undefined
  const namespace = typeof spec['targetNamespace'] === 'string' && spec['targetNamespace'] ? spec['targetNamespace'] : (hr.metadata.namespace ?? 'flux-system')
  const name = values && typeof values['fullnameOverride'] === 'string' && values['fullnameOverride'] ? values['fullnameOverride'] : CHART_INSTANCE_NAME
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name, namespace }, spec: instance }
}

/** A FluxInstance-shaped object from an inline patch that sets its sync: strategic merge or JSON 6902. */
function instanceFromInlinePatch(patch: JsonValue, target: JsonObject | undefined): KubeObject | undefined {
  if (typeof patch !== 'string' || (!patch.includes('sync') && !patch.includes('FluxInstance'))) return undefined
  let docs: unknown[]
  try {
    docs = parseYaml12All(patch)
  } catch {
    return undefined
  }
  const targetName = target && typeof target['name'] === 'string' ? target['name'] : CHART_INSTANCE_NAME
  const first = docs[0]
  if (Array.isArray(first)) {
    if (target?.['kind'] !== KIND) return undefined
    const sync: JsonObject = {}
    for (const op of first.filter(isJsonObject)) {
      if (op['op'] !== 'add' && op['op'] !== 'replace') continue
      const path = typeof op['path'] === 'string' ? op['path'] : ''
      const value = op['value'] as JsonValue
      if (path === '/spec/sync' && isJsonObject(value)) for (const [k, v] of Object.entries(value)) setOwn(sync, k, v)
      const field = /^\/spec\/sync\/(\w+)$/.exec(path)?.[1]
      if (field && value !== undefined) setOwn(sync, field, value)
    }
    return Object.keys(sync).length > 0 ? { apiVersion: API_VERSION, kind: KIND, metadata: { name: targetName }, spec: { sync } } : undefined
  }
  const doc = docs.find((d) => isJsonObject(d) && d['kind'] === KIND)
  if (!isJsonObject(doc) || !isJsonObject(doc['spec']) || !isJsonObject(doc['spec']['sync'])) return undefined
  const meta = isJsonObject(doc['metadata']) ? doc['metadata'] : {}
  return { apiVersion: API_VERSION, kind: KIND, metadata: { name: typeof meta['name'] === 'string' ? meta['name'] : targetName }, spec: { sync: doc['spec']['sync'] } }
}

/** A duration as Go's `time.Duration.String()` prints it (`1m` → `1m0s`), which the sync template writes. */
export function goDuration(text: string): string {
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g
  const unit: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 }
  let seconds = 0
  let matched = ''
  for (const m of text.matchAll(re)) {
    seconds += Number(m[1]) * unit[m[2]!]!
    matched += m[0]
  }
  if (matched !== text || seconds < 1) return text
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = Math.round((seconds % 60) * 1e9) / 1e9
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}

import { isJsonObject, type JsonValue } from '../../model/object.js'
import { DEFAULT_FIELD_SPECS, DEFAULT_NAME_REFERENCES } from './builtin-config.js'
import { fieldSpecsFromYaml, mergeSpecs, parseSpecLine, type FieldSpec } from './fieldspec.js'
import type { Gvk } from './resid.js'

/** Fields that name a resource of kind `target`. */
export interface NameBackRef {
  target: Partial<Gvk>
  referrers: FieldSpec[]
}

/** The field specs every builtin transformer uses, extended by `configurations:` and `crds:`. */
export interface TransformerConfig {
  namePrefix: FieldSpec[]
  nameSuffix: FieldSpec[]
  namespace: FieldSpec[]
  commonLabels: FieldSpec[]
  templateLabels: FieldSpec[]
  volumeClaimTemplateLabels: FieldSpec[]
  labels: FieldSpec[]
  commonAnnotations: FieldSpec[]
  images: FieldSpec[]
  replicas: FieldSpec[]
  varReference: FieldSpec[]
  nameReference: NameBackRef[]
}

const SPEC_KEYS = ['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'templateLabels', 'volumeClaimTemplateLabels', 'labels', 'commonAnnotations', 'images', 'replicas', 'varReference'] as const

function parseTarget(t: string): Partial<Gvk> {
  const [kind, group, version] = t.split(' ') as [string, string, string]
  const g: Partial<Gvk> = { kind }
  if (group !== '-') g.group = group
  if (version !== '-') g.version = version
  return g
}

let cachedDefault: TransformerConfig | undefined

/**
 * kustomize's default configuration. One shared instance: configurations are never mutated
 * (mergeConfig builds new lists), and a stable identity lets mergeConfig memoize merges,
 * which every target of every build repeats with the same defaults.
 */
export function defaultConfig(): TransformerConfig {
  cachedDefault ??= parseDefaultConfig()
  return cachedDefault
}

function parseDefaultConfig(): TransformerConfig {
  const d = DEFAULT_FIELD_SPECS as unknown as Record<string, readonly string[]>
  const specs = (k: string): FieldSpec[] => (d[k] ?? []).map(parseSpecLine)
  return {
    namePrefix: specs('namePrefix'),
    nameSuffix: specs('nameSuffix'),
    namespace: specs('namespace'),
    commonLabels: specs('commonLabels'),
    templateLabels: specs('templateLabels'),
    volumeClaimTemplateLabels: specs('volumeClaimTemplateLabels'),
    labels: [],
    commonAnnotations: specs('commonAnnotations'),
    images: specs('images'),
    replicas: specs('replicas'),
    varReference: specs('varReference'),
    nameReference: DEFAULT_NAME_REFERENCES.map((b) => ({ target: parseTarget(b.target), referrers: b.referrers.map(parseSpecLine) })),
  }
}

/** An empty configuration (what a kustomization adds on top of nothing). */
export function emptyConfig(): TransformerConfig {
  return {
    namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], templateLabels: [], volumeClaimTemplateLabels: [],
    labels: [], commonAnnotations: [], images: [], replicas: [], varReference: [], nameReference: [],
  }
}

function sameTarget(a: Partial<Gvk>, b: Partial<Gvk>): boolean {
  return (a.kind ?? '') === (b.kind ?? '') && (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '')
}

const merged = new WeakMap<TransformerConfig, WeakMap<TransformerConfig, TransformerConfig>>()
const mergedIntoEmpty = new WeakMap<TransformerConfig, TransformerConfig>()

function isEmptyConfig(c: TransformerConfig): boolean {
  return c.nameReference.length === 0 && SPEC_KEYS.every((k) => c[k].length === 0)
}

/**
 * Merges `b` into `a` (kustomize's TransformerConfig.Merge). Pure, so results are memoized by
 * the inputs' identities (configurations are never mutated), and a merge that adds nothing
 * returns `a` itself so that repeated merges of the defaults keep hitting the memo.
 */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (isEmptyConfig(a)) {
    let hit = mergedIntoEmpty.get(b)
    if (!hit) mergedIntoEmpty.set(b, (hit = mergeUncached(a, b)))
    return hit
  }
  let byB = merged.get(a)
  if (!byB) merged.set(a, (byB = new WeakMap()))
  let hit = byB.get(b)
  if (!hit) byB.set(b, (hit = mergeUncached(a, b)))
  return hit
}

function mergeUncached(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  const out = { ...a } as TransformerConfig
  let grew = false
  for (const k of SPEC_KEYS) {
    out[k] = mergeSpecs(a[k], b[k])
    if (out[k].length !== a[k].length) grew = true
  }
  const refs = a.nameReference.map((r) => ({ target: r.target, referrers: [...r.referrers] }))
  for (const r of b.nameReference) {
    const hit = refs.find((x) => sameTarget(x.target, r.target))
    if (hit) {
      const before = hit.referrers.length
      hit.referrers = mergeSpecs(hit.referrers, r.referrers)
      if (hit.referrers.length !== before) grew = true
    } else {
      refs.push({ target: r.target, referrers: [...r.referrers] })
      grew = true
    }
  }
  // mergeSpecs only appends, so equal lengths mean equal contents in the same order.
  if (!grew) return a
  out.nameReference = refs
  return out
}

/** Reads a `configurations:` file (same shape as kustomize's transformer config). */
export function configFromYaml(doc: JsonValue): TransformerConfig {
  const c = emptyConfig()
  if (!isJsonObject(doc)) return c
  for (const k of SPEC_KEYS) c[k] = fieldSpecsFromYaml(doc[k])
  const nr = doc['nameReference']
  if (Array.isArray(nr)) {
    for (const b of nr) {
      if (!isJsonObject(b)) continue
      const target: Partial<Gvk> = {}
      for (const f of ['kind', 'group', 'version'] as const) if (typeof b[f] === 'string' && b[f] !== '') target[f] = b[f] as string
      c.nameReference.push({ target, referrers: fieldSpecsFromYaml(b['fieldSpecs']) })
    }
  }
  return c
}

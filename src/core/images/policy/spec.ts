import { isJsonObject } from '../../model/object.js'

/** `spec.policy` of an ImagePolicy, as written (validated when a tag is selected, like Flux). */
export interface PolicyChoice {
  semver?: { range: string }
  alphabetical?: { order?: string }
  numerical?: { order?: string }
}

/** The fields of an `image.toolkit.fluxcd.io` ImagePolicy spec that tag selection and scans use. */
export interface PolicySpec {
  imageRepositoryRef: { name: string; namespace?: string }
  policy: PolicyChoice
  filterTags?: { pattern: string; extract: string }
  digestReflectionPolicy?: 'Never' | 'IfNotPresent' | 'Always'
  interval?: string
  suspend?: boolean
}

type Parsed = { ok: true; spec: PolicySpec } | { ok: false; error: string }

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

function parseChoice(raw: unknown): PolicyChoice | string {
  if (raw === undefined || raw === null) return {}
  if (!isJsonObject(raw)) return 'spec.policy must be a mapping'
  const choice: PolicyChoice = {}
  const { semver, alphabetical, numerical } = raw
  if (semver !== undefined && semver !== null) {
    if (!isJsonObject(semver) || typeof semver['range'] !== 'string') return 'spec.policy.semver.range must be a string'
    choice.semver = { range: semver['range'] }
  }
  for (const [key, value] of [['alphabetical', alphabetical], ['numerical', numerical]] as const) {
    if (value === undefined || value === null) continue
    if (!isJsonObject(value)) return `spec.policy.${key} must be a mapping`
    const order = value['order']
    if (order !== undefined && typeof order !== 'string') return `spec.policy.${key}.order must be a string`
    choice[key] = order === undefined ? {} : { order }
  }
  return choice
}

/**
 * Reads an ImagePolicy object (any `image.toolkit.fluxcd.io` version) into a PolicySpec.
 * Only the shape is checked here; an invalid range, order or pattern is reported by
 * selectTag with Flux's message, as the controller does at reconcile time.
 */
export function parseImagePolicy(obj: unknown): Parsed {
  if (!isJsonObject(obj)) return { ok: false, error: 'not a Kubernetes object' }
  const apiVersion = str(obj['apiVersion']) ?? ''
  if (obj['kind'] !== 'ImagePolicy' || !apiVersion.startsWith('image.toolkit.fluxcd.io/')) {
    return { ok: false, error: `expected an image.toolkit.fluxcd.io ImagePolicy, got ${apiVersion || '?'} ${str(obj['kind']) ?? '?'}` }
  }
  const spec = obj['spec']
  if (!isJsonObject(spec)) return { ok: false, error: 'ImagePolicy has no spec' }
  const ref = spec['imageRepositoryRef']
  if (!isJsonObject(ref) || typeof ref['name'] !== 'string') return { ok: false, error: 'spec.imageRepositoryRef.name is required' }
  const policy = parseChoice(spec['policy'])
  if (typeof policy === 'string') return { ok: false, error: policy }
  const out: PolicySpec = { imageRepositoryRef: { name: ref['name'], ...(typeof ref['namespace'] === 'string' ? { namespace: ref['namespace'] } : {}) }, policy }
  const ft = spec['filterTags']
  if (ft !== undefined && ft !== null) {
    if (!isJsonObject(ft)) return { ok: false, error: 'spec.filterTags must be a mapping' }
    out.filterTags = { pattern: str(ft['pattern']) ?? '', extract: str(ft['extract']) ?? '' }
  }
  const drp = spec['digestReflectionPolicy']
  if (drp === 'Never' || drp === 'IfNotPresent' || drp === 'Always') out.digestReflectionPolicy = drp
  if (typeof spec['interval'] === 'string') out.interval = spec['interval']
  if (typeof spec['suspend'] === 'boolean') out.suspend = spec['suspend']
  return { ok: true, spec: out }
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { mergeConfig } from './config.js'
import { fieldSpecsFromYaml, mergeSpecs, type FieldSpec } from './fieldspec.js'
import { generateConfigMap, generateSecret, mergeGlobalOptions, parseOptions } from './generators.js'
import { field } from './kustomization.js'
import { display, KustomizeError } from './loader.js'
import { runPluginConfigs, loadPluginConfigs } from './plugins.js'
import { absorbAll } from './resmap.js'
import { ANNO, curId, getAnnotations, getApiVersion, setAnnotation, type Res } from './resource.js'
import type { Accumulator, Target } from './target.js'
import { mapEntriesTransform, namespaceTransform, prefixSuffixTransform, replicaTransform } from './transformers/basic.js'
import { imageTagFromYaml, imageTransform } from './transformers/images.js'
import { applyJsonOps, applyUntargeted, parseJsonOps, patchTransform, type PatchSpec } from './transformers/patch.js'
import { replacementTransform, loadReplacements } from './transformers/replacements.js'
import { selectorFromYaml, select } from './transformers/select.js'
import { resourcesFromText } from './resmap.js'

/** Generated resources carry where they were configured when origin tracking is on. */
function generatorOrigin(t: Target, kind: string): string | undefined {
  if (t.origin === undefined) return undefined
  const ci = t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`
  return `configuredIn: ${ci}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${kind}\n`
}

/** configMapGenerator, secretGenerator, then `generators:` plugins (kustomize's order). */
export function runGenerators(t: Target, ra: Accumulator): void {
  const global = parseOptions(t.k.generatorOptions)
  for (const args of t.k.configMapGenerator) {
    const r = generateConfigMap(args, t.ldr, mergeGlobalOptions(parseOptions(field(args, 'options')), global))
    const o = generatorOrigin(t, 'ConfigMapGenerator')
    if (o) setAnnotation(r, ANNO.origin, o)
    absorbAll(ra.resources, [r])
  }
  for (const args of t.k.secretGenerator) {
    const r = generateSecret(args, t.ldr, mergeGlobalOptions(parseOptions(field(args, 'options')), global))
    const o = generatorOrigin(t, 'SecretGenerator')
    if (o) setAnnotation(r, ANNO.origin, o)
    absorbAll(ra.resources, [r])
  }
  const configs = loadPluginConfigs(t, t.k.generators)
  for (const c of configs) {
    const generated = runPluginConfigs(t, [c], [], ra).generated
    const o = pluginOrigin(t, c)
    if (o) for (const r of generated) setAnnotation(r, ANNO.origin, o)
    absorbAll(ra.resources, generated)
  }
}

interface BuiltinStep {
  kind: string
  /** How many instances kustomize configures for this kustomization (0: the step is off). */
  count: (t: Target) => number
  run: (t: Target, ra: Accumulator) => void
}

/**
 * The builtin transformers in kustomize's fixed order (api/internal/target,
 * configureBuiltinTransformers). Patches run first so they see the names written in the
 * files; namespace before prefix/suffix so renamed ids keep their namespace; labels and
 * annotations after renames; replacements last so they copy final values.
 */
const BUILTIN_ORDER: readonly BuiltinStep[] = [
  { kind: 'PatchStrategicMergeTransformer', count: (t) => (t.k.patchesStrategicMerge.length > 0 ? 1 : 0), run: patchesStrategicMerge },
  { kind: 'PatchTransformer', count: (t) => t.k.patches.length, run: patches },
  { kind: 'NamespaceTransformer', count: (t) => (t.k.namespace ? 1 : 0), run: namespace },
  { kind: 'PrefixTransformer', count: (t) => (t.k.namePrefix ? 1 : 0), run: (t, ra) => prefixSuffixTransform(ra.resources, t.k.namePrefix, '', ra.config.namePrefix) },
  { kind: 'SuffixTransformer', count: (t) => (t.k.nameSuffix ? 1 : 0), run: (t, ra) => prefixSuffixTransform(ra.resources, '', t.k.nameSuffix, ra.config.nameSuffix) },
  // One LabelTransformer per `labels:` entry plus one for commonLabels, when either is set.
  { kind: 'LabelTransformer', count: (t) => (t.k.labels.length + Object.keys(t.k.commonLabels).length > 0 ? t.k.labels.length + 1 : 0), run: labels },
  { kind: 'AnnotationsTransformer', count: (t) => (Object.keys(t.k.commonAnnotations).length > 0 ? 1 : 0), run: (t, ra) => mapEntriesTransform(ra.resources, t.k.commonAnnotations, ra.config.commonAnnotations) },
  { kind: 'PatchJson6902Transformer', count: (t) => t.k.patchesJson6902.length, run: patchesJson6902 },
  { kind: 'ReplicaCountTransformer', count: (t) => t.k.replicas.length, run: replicas },
  { kind: 'ImageTagTransformer', count: (t) => t.k.images.length, run: (t, ra) => t.k.images.forEach((i) => imageTransform(ra.resources, imageTagFromYaml(i), ra.config.images)) },
  { kind: 'ReplacementTransformer', count: (t) => (t.k.replacements.length > 0 ? 1 : 0), run: (t, ra) => replacementTransform(ra, loadReplacements(t, t.k.replacements)) },
]

/** Builtin transformers, then the kustomization's `transformers:` plugins. */
export function runTransformers(t: Target, ra: Accumulator): void {
  for (const step of BUILTIN_ORDER) {
    const n = step.count(t)
    if (n === 0) continue
    step.run(t, ra)
    const o = generatorOrigin(t, step.kind)
    if (o) for (let i = 0; i < n; i++) for (const r of ra.resources) recordTransformer(r, o)
  }
  const configs = loadPluginConfigs(t, t.k.transformers)
  for (const c of configs) {
    runPluginConfigs(t, [c], [], ra)
    const o = pluginOrigin(t, c)
    if (o) for (const r of ra.resources) recordTransformer(r, o)
  }
}

/** kustomize's AddTransformerAnnotation: an origin for resources without one, else a transformation entry. */
function recordTransformer(r: Res, origin: string): void {
  const a = getAnnotations(r)
  if (a[ANNO.origin] === undefined) {
    setAnnotation(r, ANNO.origin, origin)
    return
  }
  const entry = origin.split('\n').filter((l) => l !== '').map((l, i) => (i === 0 ? '- ' : '  ') + l).join('\n') + '\n'
  setAnnotation(r, ANNO.transformations, (a[ANNO.transformations] ?? '') + entry)
}

/** Origin of a resource made by a `generators:`/`transformers:` plugin config. */
export function pluginOrigin(t: Target, c: Res): string | undefined {
  if (t.origin === undefined) return undefined
  const path = /^path: (.*)$/m.exec(getAnnotations(c)[ANNO.origin] ?? '')
  const configuredIn = path ? (path[1] as string) : t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`
  const id = curId(c)
  let s = `configuredIn: ${configuredIn}\nconfiguredBy:\n  apiVersion: ${getApiVersion(c)}\n  kind: ${id.kind}\n`
  if (id.name) s += `  name: ${id.name}\n`
  if (id.namespace) s += `  namespace: ${id.namespace}\n`
  return s
}

/** Validators may look but not change anything; builtin ones never do. */
export function runValidators(t: Target, ra: Accumulator): void {
  if (t.k.validators.length === 0) return
  const configs = loadPluginConfigs(t, t.k.validators)
  const before = JSON.stringify(ra.resources.map((r) => r.obj))
  runPluginConfigs(t, configs, [], ra)
  if (JSON.stringify(ra.resources.map((r) => r.obj)) !== before) throw new KustomizeError("validator shouldn't modify the resource map", 'kustomize/validator-modified')
}

function loadPatchFileOrInline(t: Target, entry: string): Res[] {
  if (t.ldr.exists(entry)) return resourcesFromText(t.ldr.load(entry), display(t.ldr.resolve(entry)))
  let inline: Res[] | undefined
  try {
    inline = resourcesFromText(entry, 'inline patch')
  } catch {
    inline = undefined
  }
  if (inline && inline.length > 0 && entry.includes('\n')) return inline
  // Not inline YAML: report the file problem (missing, or outside the root).
  return resourcesFromText(t.ldr.load(entry), display(t.ldr.resolve(entry)))
}

function patchesStrategicMerge(t: Target, ra: Accumulator): void {
  if (t.k.patchesStrategicMerge.length === 0) return
  const loaded: Res[] = []
  for (const p of t.k.patchesStrategicMerge) loaded.push(...loadPatchFileOrInline(t, p))
  if (loaded.length === 0) {
    throw new KustomizeError(`patch appears to be empty; files=[${t.k.patchesStrategicMerge.join(' ')}], Patch=`, 'kustomize/empty-patch')
  }
  ra.resources = applyUntargeted(ra.resources, loaded, t.ctx.schemas)
}

function patches(t: Target, ra: Accumulator): void {
  for (const p of t.k.patches) ra.resources = patchTransform(ra.resources, patchSpecFromYaml(t, p), t.ctx.schemas)
}

/** Reads a `patches:` entry / PatchTransformer config. */
export function patchSpecFromYaml(t: Target, p: JsonObject): PatchSpec {
  const path = field(p, 'path')
  const raw = field(p, 'patch')
  const patchText = typeof raw === 'string' ? raw.trim() : ''
  const pathText = typeof path === 'string' ? path : ''
  if (patchText === '' && pathText === '') throw new KustomizeError(`must specify one of patch and path in\n${JSON.stringify(p)}`, 'kustomize/invalid-patch')
  if (patchText !== '' && pathText !== '') throw new KustomizeError(`patch and path can't be set at the same time\n${JSON.stringify(p)}`, 'kustomize/invalid-patch')
  let text = patchText
  let source = `[patch: ${JSON.stringify(patchText)}]`
  if (pathText !== '') {
    try {
      text = t.ldr.load(pathText)
    } catch (e) {
      if (e instanceof KustomizeError) throw new KustomizeError(`failed to get the patch file from path(${pathText}): ${e.message}`, e.code, e.file)
      throw e
    }
    source = `[path: ${JSON.stringify(pathText)}]`
  }
  const target = field(p, 'target')
  const options = field(p, 'options')
  const spec: PatchSpec = { text, source }
  const sel = selectorFromYaml(isJsonObject(target) ? target : undefined)
  if (sel) spec.target = sel
  if (isJsonObject(options)) {
    if (field(options, 'allowNameChange') === true) spec.allowNameChange = true
    if (field(options, 'allowKindChange') === true) spec.allowKindChange = true
  }
  return spec
}

function namespace(t: Target, ra: Accumulator): void {
  if (t.k.namespace) namespaceTransform(ra.resources, t.k.namespace, ra.config.namespace, 'defaultOnly', false)
}

function labels(t: Target, ra: Accumulator): void {
  for (const l of t.k.labels) {
    const pairs: Record<string, string> = {}
    const pv = field(l, 'pairs')
    if (isJsonObject(pv)) for (const [k, v] of Object.entries(pv)) pairs[k] = v === null ? '' : String(v)
    let fss: FieldSpec[] = mergeSpecs(fieldSpecsFromYaml(field(l, 'fields')), ra.config.labels)
    if (field(l, 'includeSelectors') === true) fss = mergeSpecs(fss, ra.config.commonLabels)
    else {
      if (field(l, 'includeTemplates') === true) fss = mergeSpecs(fss, ra.config.templateLabels)
      // Newer kustomize (v5.6+) option; v5.5 rejects the field, we honour it.
      if (field(l, 'includeVolumeClaimTemplates') === true) fss = mergeSpecs(fss, ra.config.volumeClaimTemplateLabels)
      fss = mergeSpecs(fss, [{ path: 'metadata/labels', create: true }])
    }
    mapEntriesTransform(ra.resources, pairs, fss)
  }
  mapEntriesTransform(ra.resources, t.k.commonLabels, ra.config.commonLabels)
}

function patchesJson6902(t: Target, ra: Accumulator): void {
  for (const p of t.k.patchesJson6902) {
    const target = selectorFromYaml(isJsonObject(field(p, 'target')) ? (field(p, 'target') as JsonObject) : undefined)
    const path = field(p, 'path')
    const inline = field(p, 'patch')
    if (typeof path === 'string' && typeof inline === 'string' && path && inline) throw new KustomizeError('must specify a file path or jsonOp, not both', 'kustomize/invalid-patch')
    const text = typeof path === 'string' && path !== '' ? t.ldr.load(path) : typeof inline === 'string' ? inline : ''
    if (!target) throw new KustomizeError(`must specify a target for patch ${text}`, 'kustomize/patch-target')
    applyJsonOps(select(ra.resources, target), parseJsonOps(text, String(path ?? 'inline')), false)
  }
}

function replicas(t: Target, ra: Accumulator): void {
  for (const r of t.k.replicas) {
    const name = String(field(r, 'name') ?? '')
    const count = Number(field(r, 'count') ?? 0)
    replicaTransform(ra.resources, name, count, ra.config.replicas)
  }
}

export { mergeConfig }
export type { JsonValue }

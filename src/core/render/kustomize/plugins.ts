import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { getOwn, setOwn } from '../../model/own.js'
import { fieldSpecsFromYaml } from './fieldspec.js'
import { generateConfigMap, generateSecret, parseOptions } from './generators.js'
import { field } from './kustomization.js'
import { KustomizeError } from './loader.js'
import { applyUntargeted, applyJsonOps, parseJsonOps, patchTransform } from './transformers/patch.js'
import { mapEntriesTransform, namespaceTransform, prefixSuffixTransform, replicaTransform, type SubjectMode } from './transformers/basic.js'
import { imageTagFromYaml, imageTransform } from './transformers/images.js'
import { loadReplacements, replacementTransform } from './transformers/replacements.js'
import { select, selectorFromYaml } from './transformers/select.js'
import { resourcesFromText } from './resmap.js'
import { parseYamlDocuments } from '../../yaml/index.js'
import { ANNO, curId, getApiVersion, getAnnotations, getKind, makeRes, setAnnotation, type Res } from './resource.js'
import { idString } from './resid.js'
import { accumulateResources, emptyAccumulator, type Accumulator, type Target } from './target.js'
import { patchSpecFromYaml } from './pipeline.js'

/**
 * Reads `transformers:` / `generators:` / `validators:` entries: inline YAML configs or
 * paths (a file of configs, or a kustomization folder whose output are configs).
 */
export function loadPluginConfigs(t: Target, entries: string[]): Res[] {
  const out: Res[] = []
  const paths: string[] = []
  for (const e of entries) {
    let inline: Res[] | undefined
    try {
      inline = e.includes('\n') || e.trim().startsWith('{') ? resourcesFromText(e, 'inline config') : undefined
    } catch {
      inline = undefined
    }
    if (inline) {
      if (t.origin !== undefined) for (const r of inline) setAnnotation(r, ANNO.origin, `path: ${t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`}\n`)
      out.push(...inline)
    } else paths.push(e)
  }
  if (paths.length > 0) out.push(...accumulateResources(t, emptyAccumulator(), paths).resources)
  return out
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

function checkBuiltin(c: Res): void {
  const a = getAnnotations(c)
  if (a['config.kubernetes.io/function'] !== undefined || a['config.k8s.io/function'] !== undefined) {
    throw new KustomizeError(`only builtin plugins are allowed: KRM function ${idString(curId(c))} needs kustomize --enable-alpha-plugins, which Flux does not run`, 'kustomize/plugins-disabled')
  }
  if (getApiVersion(c) !== 'builtin') {
    throw new KustomizeError(`external plugins disabled; unable to load external plugin '${getKind(c)}' (only builtin plugins allowed)`, 'kustomize/plugins-disabled')
  }
}

function iamPolicy(c: JsonObject): Res {
  const cloud = str(field(c, 'cloud'))
  if (cloud !== 'gke') throw new KustomizeError(`IAMPolicyGenerator: cloud ${JSON.stringify(cloud)} is not supported`, 'kustomize/plugin-config')
  const ks = field(c, 'kubernetesService')
  const sa = field(c, 'serviceAccount')
  const k = isJsonObject(ks) ? ks : {}
  const s = isJsonObject(sa) ? sa : {}
  const metadata: JsonObject = {
    annotations: { 'iam.gke.io/gcp-service-account': `${str(s['name'])}@${str(s['projectId'])}.iam.gserviceaccount.com` },
    name: str(k['name']),
  }
  if (str(k['namespace'])) metadata['namespace'] = str(k['namespace'])
  return makeRes({ apiVersion: 'v1', kind: 'ServiceAccount', metadata })
}

function subjectMode(v: JsonValue | undefined): SubjectMode {
  const s = str(v)
  if (s === '' || s === 'defaultOnly') return 'defaultOnly'
  if (s === 'allServiceAccounts') return 'allServiceAccounts'
  if (s === 'none') return 'none'
  throw new KustomizeError(`invalid value "${s}" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts"`, 'kustomize/plugin-config')
}

/** Runs builtin plugin configs: generators return resources, transformers change `ra`. */
export function runPluginConfigs(t: Target, configs: Res[], _unused: never[], ra: Accumulator): { generated: Res[] } {
  const generated: Res[] = []
  for (const cfg of configs) {
    checkBuiltin(cfg)
    const c = cfg.obj
    const specs = fieldSpecsFromYaml(field(c, 'fieldSpecs'))
    switch (getKind(cfg)) {
      case 'ConfigMapGenerator':
        generated.push(generateConfigMap(generatorArgs(c), t.ldr, parseOptions(field(c, 'options'))))
        break
      case 'SecretGenerator':
        generated.push(generateSecret(generatorArgs(c), t.ldr, parseOptions(field(c, 'options'))))
        break
      case 'IAMPolicyGenerator':
        generated.push(iamPolicy(c))
        break
      case 'AnnotationsTransformer':
        mapEntriesTransform(ra.resources, strMap(field(c, 'annotations')), specs)
        break
      case 'LabelTransformer':
        mapEntriesTransform(ra.resources, strMap(field(c, 'labels')), specs)
        break
      case 'NamespaceTransformer': {
        const m = field(c, 'metadata')
        const ns = isJsonObject(m) ? str(m['namespace']) : ''
        namespaceTransform(ra.resources, ns, specs, subjectMode(field(c, 'setRoleBindingSubjects')), field(c, 'unsetOnly') === true)
        break
      }
      case 'PrefixSuffixTransformer':
      case 'PrefixTransformer':
      case 'SuffixTransformer': {
        const p = str(field(c, 'prefix')), s = str(field(c, 'suffix'))
        if (p || s) prefixSuffixTransform(ra.resources, p, s, specs)
        break
      }
      case 'ImageTagTransformer': {
        const it = field(c, 'imageTag')
        imageTransform(ra.resources, imageTagFromYaml(isJsonObject(it) ? it : {}), specs)
        break
      }
      case 'ReplicaCountTransformer': {
        const r = field(c, 'replica')
        const rr = isJsonObject(r) ? r : {}
        replicaTransform(ra.resources, str(rr['name']), Number(rr['count'] ?? 0), specs)
        break
      }
      case 'PatchTransformer':
        ra.resources = patchTransform(ra.resources, patchSpecFromYaml(t, c), t.ctx.schemas)
        break
      case 'PatchStrategicMergeTransformer':
        ra.resources = smTransformer(t, c, ra.resources)
        break
      case 'PatchJson6902Transformer':
        json6902Transformer(t, c, ra.resources)
        break
      case 'ReplacementTransformer': {
        const reps = field(c, 'replacements')
        replacementTransform(ra, loadReplacements(t, Array.isArray(reps) ? reps.filter(isJsonObject) : []))
        break
      }
      case 'ValueAddTransformer':
        valueAdd(t, c, ra.resources)
        break
      default:
        throw new KustomizeError(`unable to load builtin ${idString(curId(cfg)).split('/')[0]}`, 'kustomize/unknown-builtin')
    }
  }
  return { generated }
}

function strMap(v: JsonValue | undefined): Record<string, string> {
  return isJsonObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : {}
}

function smTransformer(t: Target, c: JsonObject, resources: Res[]): Res[] {
  const paths = field(c, 'paths')
  const inline = str(field(c, 'patches'))
  const list = Array.isArray(paths) ? paths.map(str) : []
  if (list.length === 0 && inline === '') throw new KustomizeError('empty file path and empty patch content', 'kustomize/invalid-patch')
  const loaded: Res[] = []
  for (const p of list) loaded.push(...resourcesFromText(t.ldr.load(p), p))
  if (inline) loaded.push(...resourcesFromText(inline, 'inline patch'))
  if (loaded.length === 0) throw new KustomizeError(`patch appears to be empty; files=[${list.join(' ')}], Patch=${inline}`, 'kustomize/empty-patch')
  return applyUntargeted(resources, loaded, t.ctx.schemas)
}

function json6902Transformer(t: Target, c: JsonObject, resources: Res[]): void {
  const path = str(field(c, 'path'))
  const op = str(field(c, 'jsonOp'))
  if (path && op) throw new KustomizeError('must specify a file path or jsonOp, not both', 'kustomize/invalid-patch')
  if (!path && !op) throw new KustomizeError('empty file path and empty jsonOp', 'kustomize/invalid-patch')
  const text = path ? t.ldr.load(path) : op
  const target = field(c, 'target')
  const sel = selectorFromYaml(isJsonObject(target) ? target : undefined)
  if (!sel) throw new KustomizeError(`must specify a target for patch ${text}`, 'kustomize/patch-target')
  applyJsonOps(select(resources, sel), parseJsonOps(text, path || 'jsonOp'), false)
}

/** A generator plugin config names its output in its own metadata. */
function generatorArgs(c: JsonObject): JsonObject {
  const m = field(c, 'metadata')
  const out: JsonObject = { ...c }
  if (isJsonObject(m)) {
    if (!field(c, 'name') && m['name'] !== undefined) out['name'] = m['name']
    if (!field(c, 'namespace') && m['namespace'] !== undefined) out['namespace'] = m['namespace']
  }
  return out
}

/** Inserts `part` as path segment `pos` of a slash-separated value (kustomize's InsertPathPart). */
function insertPathPart(path: string, pos: number, part: string): string {
  const lead = path.startsWith('/') ? '/' : ''
  const parts = path.split('/').filter((p) => p !== '')
  parts.splice(Math.min(pos, parts.length), 0, part)
  return lead + parts.join('/')
}

/** ValueAddTransformer: writes a value (or a path part of it) into fields of selected resources. */
function valueAdd(t: Target, c: JsonObject, resources: Res[]): void {
  let value = str(field(c, 'value')).trim()
  if (value === '') value = t.ldr.root.split('/').pop() ?? ''
  const targets: JsonObject[] = []
  const own = field(c, 'targets')
  if (Array.isArray(own)) targets.push(...own.filter(isJsonObject))
  const file = str(field(c, 'targetFilePath'))
  if (file) {
    const doc = parseYamlDocuments(t.ldr.load(file))[0]
    const list = isJsonObject(doc) ? doc['targets'] : undefined
    if (Array.isArray(list)) targets.push(...list.filter(isJsonObject))
  }
  if (targets.length === 0) throw new KustomizeError('must specify at least one target', 'kustomize/plugin-config')
  for (const tg of targets) {
    const selV = field(tg, 'selector')
    const sel = selectorFromYaml(isJsonObject(selV) ? selV : undefined)
    const picked = sel ? select(resources, sel) : resources
    const fp = str(field(tg, 'fieldPath'))
    const pos = Number(field(tg, 'filePathPosition') ?? 0)
    for (const r of picked) {
      if (fp === 'metadata/namespace') {
        namespaceTransform([r], value, [], 'defaultOnly', false, false)
        continue
      }
      const segs = fp.split('/')
      let node: JsonObject = r.obj
      for (const seg of segs.slice(0, -1)) {
        if (!isJsonObject(getOwn(node, seg))) setOwn(node, seg, {})
        node = node[seg] as JsonObject
      }
      const last = segs[segs.length - 1] as string
      const cur = getOwn(node, last)
      if (cur !== undefined && cur !== null && typeof cur === 'object') throw new KustomizeError(`wrong node kind: expected ScalarNode`, 'kustomize/field-spec')
      setOwn(node, last, pos > 0 ? insertPathPart(cur === undefined || cur === null ? '' : String(cur), pos - 1, value) : value)
    }
  }
}

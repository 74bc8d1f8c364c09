import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { field } from '../kustomization.js'
import { display, KustomizeError } from '../loader.js'
import { resourcesFromText } from '../resmap.js'
import type { Res } from '../resource.js'
import { applyJsonOps, applyUntargeted, parseJsonOps, patchTransform, type PatchSpec } from '../transformers/patch.js'
import { select, selectorFromYaml } from '../transformers/select.js'
import type { BuiltinTransformer, PluginHelpers } from './plugin.js'

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

/** A `patchesStrategicMerge` entry: a file, or (for legacy reasons) the patch text itself. */
function loadPatchFileOrInline(h: PluginHelpers, entry: string): Res[] {
  if (h.ldr.exists(entry)) return resourcesFromText(h.ldr.load(entry), display(h.ldr.resolve(entry)))
  let inline: Res[] | undefined
  try {
    inline = resourcesFromText(entry, 'inline patch')
  } catch {
    inline = undefined
  }
  if (inline && inline.length > 0 && entry.includes('\n')) return inline
  // Not inline YAML: report the file problem (missing, or outside the root).
  return resourcesFromText(h.ldr.load(entry), display(h.ldr.resolve(entry)))
}

/** PatchStrategicMergeTransformer: `patchesStrategicMerge:`, or `paths` / `patches` in a config. */
export const patchStrategicMergeTransformer: BuiltinTransformer = {
  kind: 'PatchStrategicMergeTransformer',
  lower: (k) => (k.patchesStrategicMerge.length > 0 ? [{ paths: k.patchesStrategicMerge }] : []),
  configure(h, c) {
    const paths = field(c, 'paths')
    const list = Array.isArray(paths) ? paths.map(str) : []
    const inline = str(field(c, 'patches'))
    if (list.length === 0 && inline === '') throw new KustomizeError('empty file path and empty patch content', 'kustomize/invalid-patch')
    const loaded: Res[] = []
    for (const p of list) loaded.push(...loadPatchFileOrInline(h, p))
    if (inline) loaded.push(...resourcesFromText(inline, 'inline patch'))
    if (loaded.length === 0) throw new KustomizeError(`patch appears to be empty; files=[${list.join(' ')}], Patch=${inline}`, 'kustomize/empty-patch')
    return { transform: (ra) => void (ra.resources = applyUntargeted(ra.resources, loaded, h.schemas)) }
  },
}

/** PatchTransformer: one `patches:` entry (strategic merge or JSON 6902, by path or inline). */
export const patchTransformer: BuiltinTransformer = {
  kind: 'PatchTransformer',
  lower: (k) => k.patches,
  configure(h, p) {
    const spec = patchSpec(h, p)
    return { transform: (ra) => void (ra.resources = patchTransform(ra.resources, spec, h.schemas)) }
  },
}

function patchSpec(h: PluginHelpers, p: JsonObject): PatchSpec {
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
      text = h.ldr.load(pathText)
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

/** PatchJson6902Transformer: a `patchesJson6902:` entry (its `patch` is the config's `jsonOp`). */
export const patchJson6902Transformer: BuiltinTransformer = {
  kind: 'PatchJson6902Transformer',
  lower: (k) =>
    k.patchesJson6902.map((p) => {
      const c: JsonObject = {}
      for (const [from, to] of [['target', 'target'], ['path', 'path'], ['patch', 'jsonOp']] as const) {
        const v = field(p, from)
        if (v !== undefined) c[to] = v
      }
      return c
    }),
  configure(h, c) {
    const path = str(field(c, 'path'))
    const op = str(field(c, 'jsonOp'))
    if (path && op) throw new KustomizeError('must specify a file path or jsonOp, not both', 'kustomize/invalid-patch')
    if (!path && !op) throw new KustomizeError('empty file path and empty jsonOp', 'kustomize/invalid-patch')
    const text = path ? h.ldr.load(path) : op
    const target = field(c, 'target')
    const sel = selectorFromYaml(isJsonObject(target) ? target : undefined)
    if (!sel) throw new KustomizeError(`must specify a target for patch ${text}`, 'kustomize/patch-target')
    const ops = parseJsonOps(text, path || 'inline')
    return { transform: (ra) => applyJsonOps(select(ra.resources, sel), ops, false) }
  },
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { getOwn, setOwn } from '../../../model/own.js'
import { parseYamlDocuments } from '../../../yaml/index.js'
import { field } from '../kustomization.js'
import { KustomizeError } from '../loader.js'
import type { Res } from '../resource.js'
import { namespaceTransform } from '../transformers/basic.js'
import { loadReplacements, replacementTransform } from '../transformers/replacements.js'
import { select, selectorFromYaml } from '../transformers/select.js'
import type { BuiltinTransformer } from './plugin.js'

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

export const replacementTransformer: BuiltinTransformer = {
  kind: 'ReplacementTransformer',
  lower: (k) => (k.replacements.length > 0 ? [{ replacements: k.replacements }] : []),
  configure(h, c) {
    const reps = field(c, 'replacements')
    const loaded = loadReplacements(h.ldr, Array.isArray(reps) ? reps.filter(isJsonObject) : [])
    return { transform: (ra) => replacementTransform(ra, loaded) }
  },
}

/** Inserts `part` as path segment `pos` of a slash-separated value (kustomize's InsertPathPart). */
function insertPathPart(path: string, pos: number, part: string): string {
  const lead = path.startsWith('/') ? '/' : ''
  const parts = path.split('/').filter((p) => p !== '')
  parts.splice(Math.min(pos, parts.length), 0, part)
  return lead + parts.join('/')
}

/** ValueAddTransformer (no kustomization field): writes a value, or a path part of it, into fields. */
export const valueAddTransformer: BuiltinTransformer = {
  kind: 'ValueAddTransformer',
  configure(h, c) {
    let value = str(field(c, 'value')).trim()
    if (value === '') value = h.ldr.root.split('/').pop() ?? ''
    const targets: JsonObject[] = []
    const own = field(c, 'targets')
    if (Array.isArray(own)) targets.push(...own.filter(isJsonObject))
    const file = str(field(c, 'targetFilePath'))
    if (file) {
      const doc = parseYamlDocuments(h.ldr.load(file))[0]
      const list = isJsonObject(doc) ? doc['targets'] : undefined
      if (Array.isArray(list)) targets.push(...list.filter(isJsonObject))
    }
    if (targets.length === 0) throw new KustomizeError('must specify at least one target', 'kustomize/plugin-config')
    return { transform: (ra) => valueAdd(ra.resources, targets, value) }
  },
}

function valueAdd(resources: Res[], targets: JsonObject[], value: string): void {
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

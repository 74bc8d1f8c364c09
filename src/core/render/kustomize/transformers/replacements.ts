import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { cloneJson } from '../../../model/clone.js'
import { getOwn, setOwn } from '../../../model/own.js'
import { field } from '../kustomization.js'
import { KustomizeError } from '../loader.js'
import { allIds, getAnnotations, getLabels, type Res } from '../resource.js'
import { effectiveNamespace, gvkSelected, type ResId } from '../resid.js'
import type { Loader } from '../loader.js'
import type { Accumulator } from '../types.js'
import { parseYamlDocuments, resolvePlain } from '../../../yaml/index.js'
import { splitFieldPath, step } from './fieldpath.js'
import { parseLabelSelector } from './select.js'

interface IdSel {
  group?: string
  version?: string
  kind?: string
  name?: string
  namespace?: string
}

interface Options {
  delimiter?: string
  index: number
  create: boolean
}

interface TargetSel {
  select?: IdSel & { labelSelector?: string; annotationSelector?: string }
  reject: IdSel[]
  fieldPaths: string[]
  options?: Options
}

/** One replacement: copy a source field into target fields. */
export interface Replacement {
  source: IdSel & { fieldPath: string; options?: Options }
  targets: TargetSel[]
}

function s(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function idSel(v: JsonValue | undefined): IdSel {
  const out: IdSel & { labelSelector?: string; annotationSelector?: string } = {}
  if (!isJsonObject(v)) return out
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    const x = s(field(v, k))
    if (x) out[k] = x
  }
  return out
}

function opts(v: JsonValue | undefined): Options | undefined {
  if (!isJsonObject(v)) return undefined
  const o: Options = { index: Number(field(v, 'index') ?? 0), create: field(v, 'create') === true }
  const d = s(field(v, 'delimiter'))
  if (d) o.delimiter = d
  return o
}

function parseOne(v: JsonObject): Replacement {
  const src = field(v, 'source')
  const sv = isJsonObject(src) ? src : {}
  const so = opts(field(sv, 'options'))
  const targets = field(v, 'targets')
  return {
    source: { ...idSel(sv), fieldPath: s(field(sv, 'fieldPath')) ?? 'metadata.name', ...(so ? { options: so } : {}) },
    targets: (Array.isArray(targets) ? targets.filter(isJsonObject) : []).map((t) => {
      const sel = field(t, 'select')
      const rej = field(t, 'reject')
      const fp = field(t, 'fieldPaths')
      const o = opts(field(t, 'options'))
      return {
        ...(isJsonObject(sel) ? { select: idSel(sel) } : {}),
        reject: Array.isArray(rej) ? rej.map(idSel) : [],
        fieldPaths: Array.isArray(fp) && fp.length > 0 ? fp.map(String) : ['metadata.name'],
        ...(o ? { options: o } : {}),
      }
    }),
  }
}

/** Reads `replacements:` entries: inline, or `path:` files holding one or a list. */
export function loadReplacements(ldr: Loader, entries: JsonObject[]): Replacement[] {
  const out: Replacement[] = []
  for (const e of entries) {
    const path = s(field(e, 'path'))
    if (path) {
      for (const d of parseYamlDocuments(ldr.load(path))) {
        if (Array.isArray(d)) out.push(...d.filter(isJsonObject).map(parseOne))
        else if (isJsonObject(d)) out.push(parseOne(d))
      }
    } else out.push(parseOne(e))
  }
  return out
}

function selectedBy(id: ResId, sel: IdSel): boolean {
  if (sel.name && sel.name !== id.name) return false
  if (sel.namespace && effectiveNamespace({ ...id, namespace: sel.namespace }) !== effectiveNamespace(id)) return false
  return gvkSelected(id, { group: sel.group ?? '', version: sel.version ?? '', kind: sel.kind ?? '' })
}

function describe(sel: IdSel): string {
  return `${sel.kind ?? '[noKind]'}.${sel.version ?? '[noVer]'}.${sel.group ?? '[noGrp]'}/${sel.name ?? '[noName]'}.${sel.namespace ?? '[noNs]'}`
}

function sourceValue(resources: Res[], r: Replacement): JsonValue {
  const hits = resources.filter((x) => allIds(x).some((id) => selectedBy(id, r.source)))
  if (hits.length > 1) throw new KustomizeError(`multiple matches for selector ${describe(r.source)}`, 'kustomize/replacement-source')
  if (hits.length === 0) throw new KustomizeError(`nothing selected by ${describe(r.source)}`, 'kustomize/replacement-source')
  let cur: JsonValue | undefined = (hits[0] as Res).obj
  for (const seg of splitFieldPath(r.source.fieldPath)) cur = step(cur, seg)
  if (cur === undefined) throw new KustomizeError(`fieldPath \`${r.source.fieldPath}\` is missing for replacement source ${describe(r.source)}`, 'kustomize/replacement-source')
  const o = r.source.options
  if (o?.delimiter) {
    if (typeof cur === 'object' && cur !== null) throw new KustomizeError('delimiter option can only be used with scalar nodes', 'kustomize/replacement-source')
    const parts = String(cur).split(o.delimiter)
    if (o.index >= parts.length || o.index < 0) throw new KustomizeError(`options.index ${o.index} is out of bounds for value ${String(cur)}`, 'kustomize/replacement-source')
    return parts[o.index] as string
  }
  return cur
}

/** kustomize's ReplacementTransformer. */
export function replacementTransform(ra: Accumulator, reps: Replacement[]): void {
  for (const r of reps) {
    const value = sourceValue(ra.resources, r)
    for (const t of r.targets) {
      if (!t.select) throw new KustomizeError('target must specify resources to select', 'kustomize/replacement-target')
      const sel = t.select as IdSel & { labelSelector?: string; annotationSelector?: string }
      for (const res of ra.resources) {
        if (sel.labelSelector && !parseLabelSelector(sel.labelSelector)(getLabels(res))) continue
        if (sel.annotationSelector && !parseLabelSelector(sel.annotationSelector)(getAnnotations(res))) continue
        const ids = allIds(res)
        if (!ids.some((id) => selectedBy(id, sel) && !t.reject.some((rj) => Object.keys(rj).length > 0 && selectedBy(id, rj)))) continue
        if (t.reject.some((rj) => Object.keys(rj).length > 0 && ids.some((id) => selectedBy(id, rj)))) continue
        for (const fp of t.fieldPaths) copyTo(res.obj, splitFieldPath(fp), fp, value, t.options)
      }
    }
  }
}

function copyTo(obj: JsonObject, segs: string[], fp: string, value: JsonValue, o: Options | undefined): void {
  const found: Found = []
  collect(obj, segs, o?.create === true, found)
  if (found.length === 0) {
    throw new KustomizeError(o?.create ? `unable to find or create field "${fp}" in replacement target` : `unable to find field "${fp}" in replacement target`, 'kustomize/replacement-target')
  }
  for (const { holder, key } of found) {
    const cur = Array.isArray(holder) ? holder[key as number] : getOwn(holder, key as string)
    let v: JsonValue = cloneJson(value)
    if (o?.delimiter) {
      if (typeof cur === 'object' && cur !== null) throw new KustomizeError('delimiter option can only be used with scalar nodes', 'kustomize/replacement-target')
      const parts = cur === undefined || cur === null ? [''] : String(cur).split(o.delimiter)
      const val = String(value)
      if (o.index < 0) parts.unshift(val)
      else if (o.index >= parts.length) parts.push(val)
      else parts[o.index] = val
      v = parts.join(o.delimiter)
    }
    if (cur !== undefined && cur !== null && typeof cur !== 'object' && (typeof v !== 'object' || v === null)) {
      // A scalar target keeps its type: only the text is copied.
      v = typeof cur === 'string' ? scalarText(v) : resolvePlain(scalarText(v))
    }
    if (Array.isArray(holder)) holder[key as number] = v
    else setOwn(holder, key as string, v)
  }
}

function scalarText(v: JsonValue): string {
  return v === null ? '' : String(v)
}

type Found = { holder: JsonObject | JsonValue[]; key: string | number }[]

/** Records `holder[key]` when the path ends here, else walks on. */
function next(holder: JsonObject | JsonValue[], key: string | number, rest: string[], create: boolean, out: Found): void {
  if (rest.length === 0) out.push({ holder, key })
  else collect(Array.isArray(holder) ? holder[key as number] : getOwn(holder, key as string), rest, create, out)
}

function collect(node: JsonValue | undefined, segs: string[], create: boolean, out: Found): void {
  if (node === undefined || node === null) return
  const [seg, ...rest] = segs as [string, ...string[]]
  if (seg === '*') {
    if (Array.isArray(node)) node.forEach((_, i) => next(node, i, rest, create, out))
    else if (isJsonObject(node)) for (const k of Object.keys(node)) next(node, k, rest, create, out)
    return
  }
  const m = /^\[(.*)\]$/.exec(seg)
  if (m && Array.isArray(node)) {
    const inner = m[1] as string
    if (/^\d+$/.test(inner)) {
      if (Number(inner) < node.length) next(node, Number(inner), rest, create, out)
      return
    }
    const eq = inner.indexOf('=')
    const k = inner.slice(0, eq), val = inner.slice(eq + 1)
    const matches = (el: JsonValue): boolean =>
      k === '' ? el !== null && typeof el !== 'object' && String(el) === val : isJsonObject(el) && getOwn(el, k) !== undefined && String(el[k]) === val
    let hits = node.map((el, i) => (matches(el) ? i : -1)).filter((i) => i >= 0)
    if (hits.length === 0 && create) {
      node.push(k === '' ? val : { [k]: val })
      hits = [node.length - 1]
    }
    for (const i of hits) next(node, i, rest, create, out)
    return
  }
  if (Array.isArray(node) && /^\d+$/.test(seg)) {
    if (Number(seg) < node.length) next(node, Number(seg), rest, create, out)
    return
  }
  if (!isJsonObject(node)) return
  if (!Object.hasOwn(node, seg) || node[seg] === null) {
    if (!create) return
    if (rest.length > 0) setOwn(node, seg, /^\[.*\]$/.test(rest[0] as string) ? [] : {})
  }
  next(node, seg, rest, create, out)
}

import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { gvkSelected, type Gvk } from './resid.js'

/** Where a transformer acts: a path in objects of the selected kinds. */
export interface FieldSpec {
  group?: string
  version?: string
  kind?: string
  path: string
  create?: boolean
}

/** Reads our compact table form (`Kind group version path [+]`). */
export function parseSpecLine(line: string): FieldSpec {
  const [kind, group, version, path, plus] = line.split(' ') as [string, string, string, string, string?]
  const fs: FieldSpec = { path }
  if (kind !== '*') fs.kind = kind
  if (group !== '-') fs.group = group
  if (version !== '-') fs.version = version
  if (plus === '+') fs.create = true
  return fs
}

/** A field spec as written in YAML (`configurations:` files, plugin configs). */
export function fieldSpecFromYaml(v: JsonValue): FieldSpec | undefined {
  if (!isJsonObject(v) || typeof v['path'] !== 'string') return undefined
  const fs: FieldSpec = { path: v['path'] }
  for (const k of ['group', 'version', 'kind'] as const) if (typeof v[k] === 'string' && v[k] !== '') fs[k] = v[k] as string
  if (v['create'] === true) fs.create = true
  return fs
}

export function fieldSpecsFromYaml(v: JsonValue | undefined): FieldSpec[] {
  if (!Array.isArray(v)) return []
  return v.map(fieldSpecFromYaml).filter((x): x is FieldSpec => x !== undefined)
}

/**
 * Appends specs not already present (kustomize's FsSlice.MergeAll). A spec is "present" when
 * one with the same path is selected by its gvk: `{path: metadata/name}` merged into a list
 * holding `{kind: Foo, path: metadata/name}` adds nothing.
 */
export function mergeSpecs(base: readonly FieldSpec[], more: readonly FieldSpec[]): FieldSpec[] {
  const out = [...base]
  for (const fs of more) {
    const sel = { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' }
    const present = out.some((o) => o.path === fs.path && gvkSelected({ group: o.group ?? '', version: o.version ?? '', kind: o.kind ?? '' }, sel))
    if (!present) out.push(fs)
  }
  return out
}

const SPLIT = new Map<string, readonly string[]>()

/** Splits a field-spec path at `/`, keeping `\/` inside a segment. */
export function splitPath(path: string): string[] {
  // The same few hundred spec paths are split for every resource of every build.
  let hit = SPLIT.get(path)
  if (!hit) {
    hit = splitUncached(path)
    if (SPLIT.size < 4096) SPLIT.set(path, hit)
  }
  return [...hit]
}

function splitUncached(path: string): string[] {
  const out: string[] = []
  let cur = ''
  for (let i = 0; i < path.length; i++) {
    const c = path[i]
    if (c === '\\' && path[i + 1] === '/') {
      cur += '/'
      i++
    } else if (c === '/') {
      out.push(cur)
      cur = ''
    } else cur += c
  }
  out.push(cur)
  return out.filter((s) => s !== '')
}

export function specSelects(fs: FieldSpec, gvk: Gvk): boolean {
  return gvkSelected(gvk, { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' })
}

/** Called on each field a spec reaches: `holder[key]` is the value (may be undefined when created). */
export type FieldVisitor = (holder: JsonObject | JsonValue[], key: string | number) => void

/** Thrown when a path runs into a scalar where it needs a map or list. */
export class FieldSpecError extends Error {}

/**
 * Walks `path` in `obj` like kustomize's fieldspec filter: a list met on the way is entered
 * element by element, `x[]` says x is a list, missing fields are created only when `create`
 * is set (`createLeaf` makes the last one: a map for labels, nothing for scalars).
 */
export function walkPath(obj: JsonObject, path: string[], create: boolean, createLeaf: 'map' | 'scalar' | undefined, visit: FieldVisitor): void {
  // kyaml creates fields only for filters that say what kind of node to create.
  walk(obj, path, create && createLeaf !== undefined, createLeaf, visit)
}

function walk(node: JsonValue, path: string[], create: boolean, createLeaf: 'map' | 'scalar' | undefined, visit: FieldVisitor): void {
  if (Array.isArray(node)) {
    for (const el of node) walk(el, path, create, createLeaf, visit)
    return
  }
  if (!isJsonObject(node)) {
    if (node === null || node === undefined) return
    throw new FieldSpecError('expected sequence or mapping node')
  }
  const seg = path[0] as string
  const isSeq = seg.endsWith('[]')
  const name = isSeq ? seg.slice(0, -2) : seg
  const last = path.length === 1
  // A `x[]` path turns an existing null into an empty list, as kyaml does.
  const has = Object.hasOwn(node, name)
  if (isSeq && has && node[name] === null) node[name] = []
  if (!has || node[name] === null) {
    if (!create || isSeq || (last && createLeaf === undefined)) {
      if (!has) return
    } else if (last) {
      if (createLeaf === 'map') setOwn(node, name, {})
      else if (!has) {
        visit(node, name)
        return
      }
    } else setOwn(node, name, {})
  }
  if (last) {
    visit(node, name)
    return
  }
  walk(node[name] as JsonValue, path.slice(1), create, createLeaf, visit)
}

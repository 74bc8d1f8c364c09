// RFC 6902 JSON patch as kustomize applies it (evanphx/json-patch v5 with kustomize's options):
// `replace` of a missing object key adds it, `copy` from a missing path copies null, negative
// array indices count from the end, and error texts follow that library's wording.
import type { JsonValue } from '../../../model/object.js'
import { isJsonObject } from '../../../model/object.js'
import { getOwn, setOwn } from '../../../model/own.js'
import { readYaml11 } from '../../../yaml/index.js'
import { cloneJson } from './list-ops.js'

/** One parsed operation. */
export interface JsonPatchOp {
  op: string
  path: string
  from?: string
  value?: JsonValue
}

type Result = { ok: true; value: JsonValue } | { ok: false; error: string }

class PatchError extends Error {}

function goType(v: unknown): string {
  if (typeof v === 'string') return 'string'
  if (typeof v === 'number') return 'number'
  if (typeof v === 'boolean') return 'bool'
  return isJsonObject(v) ? 'object' : 'value'
}

/** Validate the decoded patch document: a list of operation objects. */
export function toOps(doc: unknown): { ok: true; ops: JsonPatchOp[] } | { ok: false; error: string } {
  if (!Array.isArray(doc)) return { ok: false, error: `json: cannot unmarshal ${goType(doc)} into Go value of type jsonpatch.Patch` }
  const ops: JsonPatchOp[] = []
  for (const raw of doc) {
    if (!isJsonObject(raw)) return { ok: false, error: `json: cannot unmarshal ${goType(raw)} into Go value of type jsonpatch.Operation` }
    const op: JsonPatchOp = { op: typeof raw['op'] === 'string' ? raw['op'] : 'unknown', path: typeof raw['path'] === 'string' ? raw['path'] : '' }
    if (typeof raw['from'] === 'string') op.from = raw['from']
    if (Object.hasOwn(raw, 'value')) op.value = raw['value'] ?? null
    ops.push(op)
  }
  return { ok: true, ops }
}

/** Parse a JSON patch given as JSON or YAML text (kustomize accepts both; YAML is read as YAML 1.1). */
export function parseJsonPatchText(text: string): { ok: true; ops: JsonPatchOp[] } | { ok: false; error: string } {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    const r = readYaml11(text)
    if (!r.ok) return { ok: false, error: `unable to parse JSON patch: ${(e as Error).message}` }
    doc = r.value
  }
  return toOps(doc)
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

/** Container and last token of a pointer, or undefined when the parent does not exist. */
function parentOf(doc: JsonValue, path: string): { parent: JsonValue; key: string } | undefined {
  // Like the Go library, everything before the first '/' is ignored ("a/b" means "/b").
  const parts = path.split('/').slice(1).map(unescape)
  const key = parts.pop() ?? ''
  let cur: JsonValue = doc
  for (const p of parts) {
    let next: JsonValue | undefined
    if (isJsonObject(cur)) next = getOwn(cur, p)
    else if (Array.isArray(cur)) {
      const i = Number.parseInt(p, 10)
      next = /^-?\d+$/.test(p) ? cur[i < 0 ? i + cur.length : i] : undefined
    }
    if (next === undefined || next === null || typeof next !== 'object') return undefined
    cur = next
  }
  return { parent: cur, key }
}

function arrayIndex(key: string, path: string, op: string): number {
  if (!/^[+-]?\d+$/.test(key)) throw new PatchError(`error in ${op} for path: '${path}': strconv.Atoi: parsing "${key}": invalid syntax`)
  return Number.parseInt(key, 10)
}

function invalidIndex(op: string, path: string, i: number): PatchError {
  return new PatchError(`error in ${op} for path: '${path}': Unable to access invalid index: ${i}: invalid index referenced`)
}

function getAt(doc: JsonValue, path: string): JsonValue | undefined {
  if (path === '') return doc
  const loc = parentOf(doc, path)
  if (!loc) return undefined
  if (isJsonObject(loc.parent)) return Object.hasOwn(loc.parent, loc.key) ? loc.parent[loc.key] : undefined
  if (!Array.isArray(loc.parent) || !/^-?\d+$/.test(loc.key)) return undefined
  const i = Number.parseInt(loc.key, 10)
  return loc.parent[i < 0 ? i + loc.parent.length : i]
}

function add(doc: JsonValue, path: string, value: JsonValue, op = 'add'): JsonValue {
  if (path === '') return value
  const loc = parentOf(doc, path)
  if (!loc) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`)
  if (isJsonObject(loc.parent)) {
    setOwn(loc.parent, loc.key, value)
    return doc
  }
  const arr = loc.parent as JsonValue[]
  if (loc.key === '-') {
    arr.push(value)
    return doc
  }
  let i = arrayIndex(loc.key, path, 'add')
  if (i > arr.length || i < -arr.length - 1) throw invalidIndex('add', path, i)
  if (i < 0) i += arr.length + 1
  arr.splice(i, 0, value)
  return doc
}

function remove(doc: JsonValue, path: string, op = 'remove'): JsonValue {
  const loc = parentOf(doc, path)
  if (!loc) throw new PatchError(`${op} operation does not apply: doc is missing path: "${path}": missing value`)
  if (isJsonObject(loc.parent)) {
    const where = op === 'move' ? loc.key : path
    if (!Object.hasOwn(loc.parent, loc.key)) throw new PatchError(`error in ${op} for path: '${where}': Unable to remove nonexistent key: ${loc.key}: missing value`)
    delete loc.parent[loc.key]
    return doc
  }
  const arr = loc.parent as JsonValue[]
  let i = arrayIndex(loc.key, path, op)
  if (i >= arr.length || i < -arr.length) throw invalidIndex(op, path, i)
  if (i < 0) i += arr.length
  arr.splice(i, 1)
  return doc
}

function replace(doc: JsonValue, path: string, value: JsonValue): JsonValue {
  if (path === '') return value
  const loc = parentOf(doc, path)
  if (!loc) throw new PatchError(`replace operation does not apply: doc is missing path: "${path}": missing value`)
  if (isJsonObject(loc.parent)) {
    setOwn(loc.parent, loc.key, value)
    return doc
  }
  const arr = loc.parent as JsonValue[]
  const i = /^-?\d+$/.test(loc.key) ? Number.parseInt(loc.key, 10) : Number.NaN
  const at = i < 0 ? i + arr.length : i
  if (!(at >= 0 && at < arr.length)) throw new PatchError(`replace operation does not apply: doc is missing key: ${path}: missing value`)
  arr[at] = value
  return doc
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  if (isJsonObject(a) && isJsonObject(b)) {
    const ka = Object.keys(a)
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]))
  }
  return false
}

function applyOne(doc: JsonValue, op: JsonPatchOp): JsonValue {
  const value = op.value === undefined ? null : cloneJson(op.value)
  switch (op.op) {
    case 'add':
      return add(doc, op.path, value)
    case 'remove':
      return remove(doc, op.path)
    case 'replace':
      return replace(doc, op.path, value)
    case 'test': {
      const cur = getAt(doc, op.path)
      if (deepEqual(cur ?? null, value)) return doc
      throw new PatchError(`testing value ${op.path} failed: test failed`)
    }
    case 'move': {
      const v = getAt(doc, op.from ?? '')
      const after = remove(doc, op.from ?? '', 'move')
      if (!parentOf(after, op.path)) throw new PatchError(`move operation does not apply: doc is missing destination path: ${op.path}: missing value`)
      return add(after, op.path, v ?? null, 'move')
    }
    case 'copy': {
      const v = getAt(doc, op.from ?? '')
      if (op.path !== '' && !parentOf(doc, op.path)) throw new PatchError(`copy operation does not apply: doc is missing destination path: ${op.path}: missing value`)
      return add(doc, op.path, v === undefined ? null : cloneJson(v), 'copy')
    }
    default:
      throw new PatchError(`Unexpected kind: ${op.op}`)
  }
}

/** Apply RFC 6902 operations (already decoded, e.g. from YAML) to a copy of `doc`. */
export function applyJsonPatch(doc: JsonValue, ops: unknown): Result {
  const parsed = toOps(ops)
  if (!parsed.ok) return parsed
  let cur: JsonValue = cloneJson(doc)
  try {
    for (const op of parsed.ops) cur = applyOne(cur, op)
  } catch (e) {
    if (e instanceof PatchError) return { ok: false, error: e.message }
    throw e
  }
  return { ok: true, value: cur }
}

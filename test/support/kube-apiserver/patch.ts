/**
 * The patch formats the API double accepts: RFC 7386 merge patch, RFC 6902 JSON patch and a
 * strategic merge patch that merges the well-known keyed lists of built-in kinds (containers
 * by name, ports by port, ...). `$patch` directives other than `delete` on list items are not
 * modelled.
 */
export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }
type JsonMap = { [k: string]: Json }

/** A patch the server must refuse, with the HTTP code and Status reason to answer. */
export class PatchError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
  ) {
    super(message)
  }
}

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** RFC 7386: maps merge, `null` deletes, everything else (lists too) replaces. */
export function mergePatch(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return patch
  const out: JsonMap = isMap(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k]
    else out[k] = mergePatch(out[k], v)
  }
  return out
}

function unescape(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~')
}

function parentOf(doc: Json, path: string): { parent: Json; last: string } {
  const parts = path.split('/').slice(1).map(unescape)
  const last = parts.pop()
  if (last === undefined) throw new PatchError(422, 'Invalid', `invalid JSON pointer "${path}"`)
  let parent: Json = doc
  for (const p of parts) {
    const next: Json | undefined = Array.isArray(parent) ? parent[Number(p)] : isMap(parent) ? parent[p] : undefined
    if (next === undefined) throw new PatchError(422, 'Invalid', `doc is missing path: "${path}"`)
    parent = next
  }
  return { parent, last }
}

function readPointer(doc: Json, path: string): Json | undefined {
  if (path === '') return doc
  const { parent, last } = parentOf(doc, path)
  return Array.isArray(parent) ? parent[Number(last)] : isMap(parent) ? parent[last] : undefined
}

function addAt(doc: Json, path: string, value: Json): void {
  const { parent, last } = parentOf(doc, path)
  if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, value)
  else if (isMap(parent)) parent[last] = value
  else throw new PatchError(422, 'Invalid', `cannot add at "${path}"`)
}

function removeAt(doc: Json, path: string): Json {
  const { parent, last } = parentOf(doc, path)
  const old = readPointer(doc, path)
  if (old === undefined) throw new PatchError(422, 'Invalid', `unable to remove nonexistent key: "${path}"`)
  if (Array.isArray(parent)) parent.splice(Number(last), 1)
  else if (isMap(parent)) delete parent[last]
  return old
}

interface JsonPatchOp {
  op: string
  path: string
  from?: string
  value?: Json
}

/** RFC 6902 add, remove, replace, move, copy, test; a failed `test` is a 422, as on a real server. */
export function jsonPatch(doc: Json, ops: JsonPatchOp[]): Json {
  const out = structuredClone(doc)
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        addAt(out, op.path, op.value ?? null)
        break
      case 'remove':
        removeAt(out, op.path)
        break
      case 'replace':
        removeAt(out, op.path)
        addAt(out, op.path, op.value ?? null)
        break
      case 'move':
        addAt(out, op.path, removeAt(out, op.from ?? ''))
        break
      case 'copy':
        addAt(out, op.path, structuredClone(readPointer(out, op.from ?? '') ?? null))
        break
      case 'test':
        if (JSON.stringify(readPointer(out, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchError(422, 'Invalid', `the server rejected our request due to an error in our request: testing value ${op.path} failed`)
        }
        break
      default:
        throw new PatchError(422, 'Invalid', `unknown JSON patch operation "${op.op}"`)
    }
  }
  return out
}

/** Merge keys of the keyed lists in built-in kinds (k8s.io/api `patchMergeKey` tags). */
const MERGE_KEYS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  imagePullSecrets: ['name'],
  // Container ports merge on containerPort, Service ports on port.
  ports: ['containerPort', 'port'],
  conditions: ['type'],
})

function mergeKeyFor(field: string, items: Json[]): string | undefined {
  const keys = MERGE_KEYS[field]
  if (!keys) return undefined
  return keys.find((k) => items.some((i) => isMap(i) && i[k] !== undefined))
}

function mergeList(field: string, target: Json | undefined, patch: Json[]): Json[] {
  const key = mergeKeyFor(field, patch)
  if (!key || !Array.isArray(target)) return patch.filter((i) => !(isMap(i) && i['$patch'] === 'delete'))
  const out = [...target]
  for (const item of patch) {
    if (!isMap(item)) continue
    const at = out.findIndex((t) => isMap(t) && t[key] === item[key])
    if (item['$patch'] === 'delete') {
      if (at >= 0) out.splice(at, 1)
      continue
    }
    if (at >= 0) out[at] = strategicMerge(out[at], item)
    else out.push(item)
  }
  return out
}

/** Strategic merge: a merge patch in which the keyed lists of MERGE_KEYS merge item by item. */
export function strategicMerge(target: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return patch
  const out: JsonMap = isMap(target) ? { ...target } : {}
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch') continue
    if (v === null) delete out[k]
    else if (Array.isArray(v)) out[k] = mergeList(k, out[k], v)
    else out[k] = strategicMerge(out[k], v)
  }
  return out
}

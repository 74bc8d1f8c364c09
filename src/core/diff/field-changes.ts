import type { JsonValue } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import type { FieldChange } from '../model/plan.js'

/** Field changes kept per object; a bigger change is summarized by its unified diff. */
export const MAX_FIELD_CHANGES = 200

/**
 * Leaf-level differences between two normalized objects, as `a/b/0/c` paths in document order
 * (before's keys first, then keys only after has). A value that changes type, or a list
 * whose length changes, is one change at that path rather than one per element.
 */
export function fieldChanges(before: JsonValue | undefined, after: JsonValue | undefined, max = MAX_FIELD_CHANGES): FieldChange[] {
  const out: FieldChange[] = []
  walk(before, after, '', out, max)
  return out
}

function walk(a: JsonValue | undefined, b: JsonValue | undefined, path: string, out: FieldChange[], max: number): void {
  if (out.length >= max) return
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))]
    for (const k of keys) walk(a[k], b[k], join(path, k), out, max)
    return
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => walk(item, b[i], join(path, String(i)), out, max))
    return
  }
  if (deepEqual(a, b)) return
  const change: FieldChange = { path }
  if (a !== undefined) change.before = a
  if (b !== undefined) change.after = b
  out.push(change)
}

function join(path: string, key: string): string {
  const escaped = key.replaceAll('~', '~0').replaceAll('/', '~1')
  return path ? `${path}/${escaped}` : escaped
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => deepEqual(v, b[i]))
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false
    const ka = Object.keys(a)
    if (ka.length !== Object.keys(b).length) return false
    return ka.every((k) => k in b && deepEqual(a[k], b[k]))
  }
  return false
}

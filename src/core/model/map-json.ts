import type { JsonObject, JsonValue } from './object.js'

/*
 * Copy-on-change maps over JSON lists and objects: masking walks whole renders and plans, and
 * most of what they hold changes nowhere, so a list or map comes back as itself unless an item
 * or entry changed (Object.is), and only then is copied. Never modify what they return.
 */

/** `list` with `value` applied to each item. */
export function mapItems(list: readonly JsonValue[], value: (x: JsonValue) => JsonValue): JsonValue[] {
  let out: JsonValue[] | undefined
  for (let i = 0; i < list.length; i++) {
    const x = value(list[i] as JsonValue)
    if (!out && !Object.is(x, list[i])) out = list.slice(0, i)
    out?.push(x)
  }
  return out ?? (list as JsonValue[])
}

/**
 * `obj` with `key` applied to each key and `value` to each entry's value. Entries are made only
 * once one changes (an array per entry was most of such a walk); a copy is made with
 * fromEntries, so a `__proto__` key stays an ordinary key.
 */
export function mapEntries(obj: JsonObject, key: (k: string) => string, value: (k: string, x: JsonValue) => JsonValue): JsonObject {
  let entries: [string, JsonValue][] | undefined
  let seen = 0
  for (const k in obj) {
    const x = obj[k] as JsonValue
    const k2 = key(k)
    const y = value(k, x)
    if (!entries && (k2 !== k || !Object.is(y, x))) entries = Object.entries(obj).slice(0, seen)
    entries?.push([k2, y])
    seen++
  }
  return entries ? (Object.fromEntries(entries) as JsonObject) : obj
}

import type { JsonValue } from '../model/object.js'

/** Deepest object whose text length is bounded here; deeper ones are written out and measured. */
const MAX_DEPTH = 50

/**
 * What decides whether postBuild must write an object's text before the shortcuts of
 * substitute-object.ts: whether any key or string holds a `$`, and an upper bound of the
 * length of the text the emitter (emit.ts) would write, or undefined past MAX_DEPTH.
 * Writing every object out only to look for a `$` and check the budgets was a tenth of a
 * fleet's render. The bound is loose on purpose: every character may take an escape (at
 * most 6 for a UTF-16 unit) and start a new line indented to its depth, and every entry
 * adds a line. At MAX_DEPTH the text nests far below the YAML depth budget.
 */
export function textShape(v: JsonValue): { dollar: boolean; bound: number } | undefined {
  const acc = { dollar: false, bound: 0 }
  return walk(v, 0, acc) ? acc : undefined
}

function walk(v: JsonValue, depth: number, acc: { dollar: boolean; bound: number }): boolean {
  if (depth > MAX_DEPTH) return false
  const line = 2 * depth + 6
  if (typeof v === 'string') {
    if (v.includes('$')) acc.dollar = true
    acc.bound += 6 * v.length + 4 + (v.length + 1) * line
    return true
  }
  if (v === null || typeof v !== 'object') {
    acc.bound += 32
    return true
  }
  if (Array.isArray(v)) {
    for (const item of v) {
      acc.bound += line
      if (!walk(item, depth + 1, acc)) return false
    }
    return true
  }
  for (const k of Object.keys(v)) {
    acc.bound += line
    if (!walk(k, depth, acc) || !walk(v[k] as JsonValue, depth + 1, acc)) return false
  }
  return true
}

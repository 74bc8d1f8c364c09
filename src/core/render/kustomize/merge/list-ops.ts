// Helpers for merging associative lists the way kustomize's kyaml does (walk/associative_sequence,
// ElementSetter, ElementMatcher). Lists are matched by the *text* of key fields, so `80` and "80"
// are the same key, and elements are mutated in place on working copies (never on caller input).
import type { JsonValue } from '../../../model/object.js'
import { isJsonObject } from '../../../model/object.js'

/** A strategic merge kustomize itself would reject (wrong node kinds, unknown `$patch` value). */
export class StrategicMergeError extends Error {
  override name = 'StrategicMergeError'
}

/** YAML scalar text of a value, as kyaml compares it (maps and lists have no text). */
export function scalarText(v: JsonValue | undefined): string {
  if (v === undefined) return ''
  if (v === null) return 'null'
  if (typeof v === 'object') return ''
  return String(v)
}

/** The value a plain (untagged) scalar with this text reads back as, once kustomize prints it. */
export function plainScalar(text: string): JsonValue {
  if (/^-?(0|[1-9]\d*)$/.test(text)) return Number(text)
  if (text === 'true' || text === 'false') return text === 'true'
  return text
}

function isNilOrEmpty(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  return isJsonObject(v) && Object.keys(v).length === 0
}

/** True for a missing, null or `{}` element: kyaml drops these whenever it rewrites a list. */
export function isEmptyElement(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || (isJsonObject(v) && Object.keys(v).length === 0)
}

function kindName(v: JsonValue): string {
  if (Array.isArray(v)) return 'SequenceNode'
  return isJsonObject(v) ? 'MappingNode' : 'ScalarNode'
}

function fieldMatches(elem: JsonValue, name: string, want: string): boolean {
  if (elem === null) return false
  if (name === '') {
    if (typeof elem === 'object') throw new StrategicMergeError(`wrong node kind: expected ScalarNode but got ${kindName(elem)}`)
    return scalarText(elem) === want
  }
  if (!isJsonObject(elem)) throw new StrategicMergeError(`wrong node kind: expected MappingNode but got ${kindName(elem)}`)
  if (!Object.hasOwn(elem, name)) return false
  return want === '' || scalarText(elem[name]) === want
}

/**
 * Replace (element given), delete (element undefined) or append the list entry whose key fields
 * have these values, in place. Like kyaml it also drops null and empty-map entries on the way.
 */
export function setElement(list: JsonValue[], element: JsonValue | undefined, keysIn: string[], values: string[]): void {
  const keys = keysIn.length === 0 ? [''] : keysIn
  const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== ''
  const next: JsonValue[] = []
  let found = false
  for (const elem of list) {
    if (isEmptyElement(elem)) continue
    if (!isJsonObject(elem) && mappingSetter) {
      next.push(elem)
      continue
    }
    let matched = true
    let any = false
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) any = fieldMatches(elem, keys[j] ?? '', values[j] ?? '')
      if (!any) {
        matched = false
        break
      }
    }
    if (!matched) {
      if (values.length > 0) next.push(elem)
      continue
    }
    found = true
    if (element !== undefined) next.push(element)
  }
  list.splice(0, list.length, ...next)
  if (element === undefined || element === null) return
  if (!found) list.push(element)
}

/** First element whose key fields have exactly these texts (kyaml ElementMatcher). */
export function findElement(list: JsonValue | undefined, keysIn: string[], valuesIn: string[]): JsonValue | undefined {
  if (!Array.isArray(list)) return undefined
  const keys = keysIn.length === 0 ? [''] : keysIn
  const values = valuesIn.length === 0 ? [''] : valuesIn
  if (keys[0] === '') return list.find((e) => scalarText(e) === values[0])
  return list.find(
    (e) => isJsonObject(e) && keys.every((k, i) => Object.hasOwn(e, k) && scalarText(e[k]) === values[i]),
  )
}

/** Key texts of every element of both lists, patch first (kustomize merges with "prepend"). */
export function elementValues(keys: string[], dest: JsonValue | undefined, patch: JsonValue | undefined): string[][] {
  const out: string[][] = []
  const seen = new Set<string>()
  for (const src of [patch, dest]) {
    if (!Array.isArray(src) || keys.length === 0) continue
    for (const el of src) {
      const tuple = keys.map((k) => (isJsonObject(el) && !isNilOrEmpty(el[k]) ? scalarText(el[k]) : ''))
      const id = JSON.stringify(tuple)
      if (seen.has(id)) continue
      seen.add(id)
      out.push(tuple)
    }
  }
  return out
}

/** Distinct scalar texts of both lists, patch first. */
export function primitiveValues(dest: JsonValue | undefined, patch: JsonValue | undefined): string[][] {
  const out: string[][] = []
  const seen = new Set<string>()
  for (const src of [patch, dest]) {
    if (!Array.isArray(src)) continue
    for (const el of src) {
      const t = typeof el === 'object' && el !== null ? '' : scalarText(el)
      if (seen.has(t)) continue
      seen.add(t)
      out.push([t])
    }
  }
  return out
}

/** Drop the keys that no element sets (so `protocol` only counts where some port gives one). */
export function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>()
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i] ?? ''))
  if (valid.size === 0) return [keys, values]
  const vKeys = keys.filter((k) => valid.has(k))
  const vValues = values.filter((v, i) => v !== '' || valid.has(keys[i] ?? ''))
  return [vKeys, vValues]
}

function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined
  let common = false
  const res: string[] = []
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? ''
    const y = b[i] ?? ''
    if (x === y) {
      common = true
      res.push(x)
      continue
    }
    if (x !== '' && y !== '') return undefined
    res.push(x !== '' ? x : y)
  }
  return common ? res : undefined
}

/** With several keys, key tuples that agree where both are set are unified (port 80 ≈ port 80/TCP). */
export function mergeValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    // kyaml compares the tuple as it was when row i started, even after row i was rewritten.
    const first = valuesList[i] ?? []
    for (let j = 0; j < valuesList.length; j++) {
      const m = matchValues(first, valuesList[j] ?? [])
      if (m) {
        valuesList[i] = m
        valuesList[j] = m
      }
    }
  }
}

/** Add every element of `src` to `dst` by key, keeping `dst`'s order (kyaml appendListNode). */
export function appendList(dst: JsonValue[], src: JsonValue[], keys: string[]): JsonValue[] {
  for (const elem of [...src]) {
    if (keys[0] === '') {
      setElement(dst, elem, [''], [scalarText(elem)])
      continue
    }
    const v: string[] = []
    for (const key of keys) {
      if (!isJsonObject(elem)) throw new StrategicMergeError(`wrong node kind: expected MappingNode but got ${kindName(elem)}`)
      if (!Object.hasOwn(elem, key)) {
        dst.push(elem)
        continue
      }
      v.push(scalarText(elem[key]))
    }
    if (keys.length > 1) setElement(dst, undefined, keys, v)
    setElement(dst, elem, keys, v)
  }
  return dst
}

/** Order strings by code point, which is Go's byte-wise order of their UTF-8 encodings. */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0)
    if (d !== 0) return d
  }
  return x.length - y.length
}

export { cloneJson } from '../../../model/clone.js'

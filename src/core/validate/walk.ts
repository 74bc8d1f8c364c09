import { isUnknownValue } from '../mask/markers.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../model/object.js'
import { evaluateRule } from './cel.js'
import { patternMatches } from './pattern.js'
import type { Schema, SchemaRule, ValidationCode } from './types.js'

/** A violation before it is tied to an object; `message` is the field error as the API server words it. */
export interface Violation {
  code: ValidationCode
  path: string
  message: string
}

/** The implied top-level fields of an embedded resource. */
const EMBEDDED_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata'])

/**
 * Plans are masked (src/core/mask): a Secret-sourced value became `***` text, whatever its
 * real type, and a value only the cluster has stays a `${…}` placeholder, so such a value or
 * key proves nothing either way.
 */
function isMasked(v: JsonValue | string): boolean {
  return typeof v === 'string' && isUnknownValue(v)
}

function join(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`
}

function typeName(v: JsonValue): string {
  if (Array.isArray(v)) return 'array'
  if (isJsonObject(v)) return 'object'
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number'
  return typeof v
}

function typeMatches(schema: Schema, v: JsonValue): boolean {
  if (schema.intOrString) return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))
  if (schema.quantity) return typeof v === 'string' || typeof v === 'number'
  switch (schema.type) {
    case 'string': return typeof v === 'string'
    case 'integer': return typeof v === 'number' && Number.isInteger(v)
    case 'number': return typeof v === 'number'
    case 'boolean': return typeof v === 'boolean'
    case 'object': return isJsonObject(v)
    case 'array': return Array.isArray(v)
    default: return true
  }
}

function expected(schema: Schema): string {
  if (schema.intOrString) return 'integer or string'
  if (schema.quantity) return 'quantity (string or number)'
  return schema.type ?? 'any'
}

/** A value as the API server quotes it in a field error: strings quoted, objects by their type. */
function shown(v: JsonValue): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 200 ? `${v.slice(0, 200)}…` : v)
  if (Array.isArray(v) || isJsonObject(v)) return JSON.stringify(typeName(v))
  return String(v)
}

const label = (path: string): string => path || '<root>'

function invalid(out: Violation[], path: string, v: JsonValue, why: string): void {
  out.push({ code: 'invalid-value', path, message: `${label(path)}: Invalid value: ${shown(v)}: ${why}` })
}

/** String, number, array and object bounds (OpenAPI value validations). */
function checkBounds(v: JsonValue, schema: Schema, path: string, out: Violation[]): void {
  if (typeof v === 'string') {
    if (schema.maxLength !== undefined && [...v].length > schema.maxLength) {
      out.push({ code: 'invalid-value', path, message: `${label(path)}: Too long: may not be more than ${schema.maxLength} bytes` })
    }
    if (schema.minLength !== undefined && [...v].length < schema.minLength) invalid(out, path, v, `${label(path)} in body should be at least ${schema.minLength} chars long`)
    if (schema.pattern !== undefined && patternMatches(schema.pattern, v) === false) invalid(out, path, v, `${label(path)} in body should match '${schema.pattern}'`)
  }
  if (typeof v === 'number') {
    const { minimum: min, maximum: max } = schema
    if (min !== undefined && (schema.exclusiveMinimum ? v <= min : v < min)) invalid(out, path, v, `${label(path)} in body should be greater than ${schema.exclusiveMinimum ? '' : 'or equal to '}${min}`)
    if (max !== undefined && (schema.exclusiveMaximum ? v >= max : v > max)) invalid(out, path, v, `${label(path)} in body should be less than ${schema.exclusiveMaximum ? '' : 'or equal to '}${max}`)
  }
  if (Array.isArray(v)) {
    if (schema.maxItems !== undefined && v.length > schema.maxItems) out.push({ code: 'invalid-value', path, message: `${label(path)}: Too many: ${v.length}: must have at most ${schema.maxItems} items` })
    if (schema.minItems !== undefined && v.length < schema.minItems) invalid(out, path, v, `${label(path)} in body should have at least ${schema.minItems} items`)
  }
  if (isJsonObject(v)) {
    const n = Object.keys(v).length
    if (schema.maxProperties !== undefined && n > schema.maxProperties) out.push({ code: 'invalid-value', path, message: `${label(path)}: Too many: ${n}: must have at most ${schema.maxProperties} items` })
    if (schema.minProperties !== undefined && n < schema.minProperties) invalid(out, path, v, `${label(path)} in body should have at least ${schema.minProperties} properties`)
  }
}

/** `x-kubernetes-list-type: set` items and `map` keys are unique. */
function checkListType(v: JsonValue[], schema: Schema, path: string, out: Violation[]): void {
  if (schema.listType !== 'set' && schema.listType !== 'map') return
  const seen = new Set<string>()
  v.forEach((item, i) => {
    const keys = schema.listType === 'map' && isJsonObject(item) ? (schema.listMapKeys ?? []).map((k) => item[k] ?? null) : [item]
    const key = JSON.stringify(keys)
    if (seen.has(key)) out.push({ code: 'invalid-value', path: `${path}[${i}]`, message: `${path}[${i}]: Duplicate value: ${schema.listType === 'map' ? JSON.stringify(Object.fromEntries((schema.listMapKeys ?? []).map((k, j) => [k, keys[j]]))) : shown(item)}` })
    seen.add(key)
  })
}

function ruleFailed(rule: SchemaRule, v: JsonValue, path: string, out: Violation[], overBudget: boolean): void {
  const at = rule.fieldPath && /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(rule.fieldPath) ? (path ? `${path}${rule.fieldPath}` : rule.fieldPath.slice(1)) : path
  const why = overBudget ? `the value is too large to evaluate the rule '${rule.rule}' within budget` : (rule.message ?? `failed rule: ${rule.rule}`)
  out.push({ code: 'rule-violation', path: at, message: `${label(at)}: Invalid value: ${shown(v)}: ${why}` })
}

function walkObject(v: JsonObject, schema: Schema, path: string, out: Violation[], rules: (() => void)[]): void {
  for (const req of schema.required ?? []) {
    if (v[req] === undefined || v[req] === null) out.push({ code: 'missing-required', path: join(path, req), message: `${join(path, req)}: Required value` })
  }
  for (const [key, value] of Object.entries(v)) {
    const sub = schema.properties?.[key]
    if (sub) walkValue(value, sub, join(path, key), out, rules)
    else if (typeof schema.additionalProperties === 'object') walkValue(value, schema.additionalProperties, join(path, key), out, rules)
    else if (schema.additionalProperties === true || schema.preserveUnknown || (schema.embedded && EMBEDDED_KEYS.has(key)) || isMasked(key)) continue
    // Server-side apply's own words for a field the schema does not declare.
    else out.push({ code: 'unknown-field', path: join(path, key), message: `.${join(path, key)}: field not declared in schema` })
  }
}

/**
 * Checks a value against a schema, appending violations: the OpenAPI checks, then, as the API
 * server does, the CEL rules only when no value had the wrong type or an unsupported enum value
 * (those make the rules' inputs meaningless). `null` is skipped: the API server treats a null
 * field as unset. Defaults are expected to be applied already (applyDefaults).
 */
export function validateValue(v: JsonValue | undefined, schema: Schema, path: string, out: Violation[]): void {
  const rules: (() => void)[] = []
  const start = out.length
  walkValue(v, schema, path, out, rules)
  if (out.slice(start).some((x) => x.code === 'wrong-type' || x.code === 'enum-mismatch')) return
  for (const run of rules) run()
}

function walkValue(v: JsonValue | undefined, schema: Schema, path: string, out: Violation[], rules: (() => void)[]): void {
  if (v === null || v === undefined || schema.any || isMasked(v)) return
  if (!typeMatches(schema, v)) {
    out.push({ code: 'wrong-type', path, message: `${label(path)}: Invalid value: ${shown(v)}: ${label(path)} in body must be of type ${expected(schema)}: ${JSON.stringify(typeName(v))}` })
    return
  }
  if (schema.enum && schema.enum.length > 0 && !schema.enum.some((e) => e === v)) {
    out.push({ code: 'enum-mismatch', path, message: `${label(path)}: Unsupported value: ${shown(v)}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` })
    return
  }
  checkBounds(v, schema, path, out)
  if (Array.isArray(v)) {
    if (schema.items) v.forEach((item, i) => walkValue(item, schema.items!, `${path}[${i}]`, out, rules))
    checkListType(v, schema, path, out)
  } else if (isJsonObject(v) && (schema.type === 'object' || schema.properties || schema.additionalProperties !== undefined)) {
    walkObject(v, schema, path, out, rules)
  }
  // A masked value could be anything, so a rule over it proves nothing.
  if (!schema.rules || containsMasked(v)) return
  for (const rule of schema.rules) {
    rules.push(() => {
      const outcome = evaluateRule(rule, v, schema)
      if (outcome === 'fail' || outcome === 'over-budget') ruleFailed(rule, v, path, out, outcome === 'over-budget')
    })
  }
}

function containsMasked(v: JsonValue): boolean {
  if (typeof v === 'string') return isMasked(v)
  if (Array.isArray(v)) return v.some(containsMasked)
  if (isJsonObject(v)) return Object.entries(v).some(([k, x]) => isMasked(k) || containsMasked(x))
  return false
}

/**
 * The value as the API server stores it: every absent field with a `default` is set, where its
 * parent object is present (structural schema defaulting, done before validation).
 */
export function applyDefaults(v: JsonValue | undefined, schema: Schema): JsonValue | undefined {
  if (v === null || v === undefined || schema.any) return v
  if (Array.isArray(v)) return schema.items ? v.map((x) => applyDefaults(x, schema.items!) ?? null) : v
  if (!isJsonObject(v)) return v
  let out: JsonObject | undefined
  const set = (k: string, x: JsonValue): void => {
    out ??= { ...v }
    // defineProperty: `__proto__` is an ordinary key here.
    Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true })
  }
  for (const [k, sub] of Object.entries(schema.properties ?? {})) {
    const cur = v[k]
    if (cur === undefined && sub.default !== undefined) set(k, structuredClone(sub.default))
    else if (cur !== undefined && cur !== null) {
      const next = applyDefaults(cur, sub)
      if (next !== cur) set(k, next ?? null)
    }
  }
  if (typeof schema.additionalProperties === 'object') {
    const add = schema.additionalProperties
    for (const [k, cur] of Object.entries(v)) {
      if (schema.properties?.[k]) continue
      const next = applyDefaults(cur, add)
      if (next !== cur) set(k, next ?? null)
    }
  }
  return out ?? v
}

import { isMaskMarker } from '../mask/markers.js'
import { isJsonObject, type JsonValue } from '../model/object.js'
import type { Schema, ValidationCode } from './types.js'

/** A violation before it is tied to an object. */
export interface Violation {
  code: ValidationCode
  path: string
  message: string
}

/** The implied top-level fields of an embedded resource. */
const EMBEDDED_KEYS: ReadonlySet<string> = new Set(['apiVersion', 'kind', 'metadata'])

/**
 * Plans are masked (src/core/mask): a Secret-sourced value became `***` text, whatever its
 * real type, so a masked value or key proves nothing either way.
 */
function isMasked(v: JsonValue | string): boolean {
  return typeof v === 'string' && isMaskMarker(v)
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

function walkObject(v: Record<string, JsonValue>, schema: Schema, path: string, out: Violation[]): void {
  for (const req of schema.required ?? []) {
    if (v[req] === undefined) out.push({ code: 'missing-required', path: join(path, req), message: `required field ${join(path, req)} is missing` })
  }
  for (const [key, value] of Object.entries(v)) {
    const sub = schema.properties?.[key]
    if (sub) walkValue(value, sub, join(path, key), out)
    else if (typeof schema.additionalProperties === 'object') walkValue(value, schema.additionalProperties, join(path, key), out)
    else if (schema.additionalProperties === true || schema.preserveUnknown || (schema.embedded && EMBEDDED_KEYS.has(key)) || isMasked(key)) continue
    else out.push({ code: 'unknown-field', path: join(path, key), message: `unknown field ${join(path, key)}` })
  }
}

/**
 * Checks one value against a schema, appending violations. `null` is skipped: the API server
 * treats a null field as unset (and prunes nulls of non-nullable custom resource fields).
 */
export function walkValue(v: JsonValue | undefined, schema: Schema, path: string, out: Violation[]): void {
  if (v === null || v === undefined || schema.any || isMasked(v)) return
  if (!typeMatches(schema, v)) {
    out.push({ code: 'wrong-type', path, message: `${path || 'the object'} must be ${expected(schema)}, not ${typeName(v)}` })
    return
  }
  if (schema.enum && schema.enum.length > 0 && !schema.enum.some((e) => e === v)) {
    out.push({ code: 'enum-mismatch', path, message: `${path} is ${JSON.stringify(v)}, not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}` })
    return
  }
  if (Array.isArray(v)) {
    if (schema.items) v.forEach((item, i) => walkValue(item, schema.items!, `${path}[${i}]`, out))
    return
  }
  if (isJsonObject(v) && (schema.type === 'object' || schema.properties || schema.additionalProperties !== undefined)) walkObject(v, schema, path, out)
}

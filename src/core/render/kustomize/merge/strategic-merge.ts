// Strategic merge patch with kustomize's semantics (kyaml merge2 as used by the
// PatchStrategicMergeTransformer and `patches:`), not apimachinery's: lists are associative only
// where the schema gives a patch strategy containing `merge`; kinds without a schema get plain
// map merge and list replacement; patched list entries come first ("prepend"), then the rest.
import type { JsonObject, JsonValue } from '../../../model/object.js'
import { isJsonObject } from '../../../model/object.js'
import { getOwn, setOwn } from '../../../model/own.js'
import type { SchemaNode } from './schema.js'
import {
  StrategicMergeError,
  appendList,
  cloneJson,
  compareCodePoints,
  elementValues,
  findElement,
  isEmptyElement,
  mergeValues,
  plainScalar,
  primitiveValues,
  scalarText,
  setElement,
  validateKeys,
} from './list-ops.js'

export { StrategicMergeError } from './list-ops.js'

/** A null that the target had and the patch did not touch: kustomize keeps it (kustomize#4628). */
const KEEP_NULL = Symbol('keep-null')
type Walked = JsonValue | undefined | typeof KEEP_NULL
type Directive = 'merge' | 'replace' | 'delete'
const DIRECTIVE = '$patch'

function isMissingOrNull(v: JsonValue | undefined): v is null | undefined {
  return v === undefined || v === null
}

function asDirective(v: JsonValue | undefined): Directive {
  const text = scalarText(v)
  if (text === 'merge' || text === 'replace' || text === 'delete') return text
  throw new StrategicMergeError(`unknown patch strategy '${text}'`)
}

/** Read and remove a `$patch` directive from a patch map or list (kyaml elides it in place). */
function takeDirective(patch: JsonValue | undefined): Directive {
  if (isJsonObject(patch)) {
    if (!Object.hasOwn(patch, DIRECTIVE)) return 'merge'
    const d = asDirective(patch[DIRECTIVE])
    delete patch[DIRECTIVE]
    return d
  }
  if (Array.isArray(patch)) {
    const el = patch.find((e) => isJsonObject(e) && Object.hasOwn(e, DIRECTIVE))
    // A `$patch` next to other fields belongs to that element, not to the list.
    if (!isJsonObject(el) || Object.keys(el).length > 1) return 'merge'
    const d = asDirective(el[DIRECTIVE])
    setElement(patch, undefined, [DIRECTIVE], [scalarText(el[DIRECTIVE])])
    return d
  }
  return 'merge'
}

function kindOf(v: JsonValue): 'map' | 'seq' | 'scalar' {
  if (Array.isArray(v)) return 'seq'
  return isJsonObject(v) ? 'map' : 'scalar'
}

const KIND_NAMES = { map: 'MappingNode', seq: 'SequenceNode', scalar: 'ScalarNode' } as const

function isAssociative(schema: SchemaNode | undefined): boolean {
  return (schema?.strategy ?? '').split(',').includes('merge')
}

function walk(dest: JsonValue | undefined, patch: JsonValue | undefined, schema: SchemaNode | undefined): Walked {
  const first = !isMissingOrNull(dest) ? dest : !isMissingOrNull(patch) ? patch : undefined
  if (first === undefined || first === null) return walkMap(dest, patch, schema)
  const kind = kindOf(first)
  for (const src of [dest, patch]) {
    if (isMissingOrNull(src) || kindOf(src) === kind) continue
    throw new StrategicMergeError(`wrong node kind: expected ${KIND_NAMES[kind]} but got ${KIND_NAMES[kindOf(src)]}`)
  }
  if (kind === 'map') return walkMap(dest, patch, schema)
  if (kind === 'seq' && isAssociative(schema)) return walkAssociativeList(dest, patch, schema)
  if (kind === 'scalar') return mergeScalar(dest, patch)
  return patch !== undefined ? patch : dest
}

// Strings that YAML cannot write as a plain scalar: ones that would read back as another type
// ("80", "true", "null", ""; YAML 1.2 core) and ones with line breaks, edge spaces, a leading
// indicator character, ": " or " #". In a source file these were quoted or block scalars.
const NON_STRING_PLAIN =
  /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0x[\da-fA-F]+|0o[0-7]+)$/
const NOT_PLAIN = /[\n\r\t]|^\s|\s$|^[[\]{},#&*!|>'"%@`]|^[-?:](?:\s|$)|:\s|:$|\s#/

function mustHaveBeenQuoted(s: string): boolean {
  return NON_STRING_PLAIN.test(s) || NOT_PLAIN.test(s)
}

function mergeScalar(dest: JsonValue | undefined, patch: JsonValue | undefined): JsonValue | undefined {
  if (patch === undefined) return dest
  // kustomize keeps the target field's YAML style when it sets the patch value: a number or
  // boolean written over a quoted string is printed quoted, so it stays a string ("80" + 80 → "80").
  // JSON has no styles, so only strings that cannot be plain are known to have been quoted.
  if (typeof dest === 'string' && (typeof patch === 'number' || typeof patch === 'boolean') && mustHaveBeenQuoted(dest)) return String(patch)
  return patch
}

function setField(obj: JsonObject, key: string, val: Walked): void {
  if (val === KEEP_NULL) setOwn(obj, key, null)
  else if (val === undefined || val === null) delete obj[key]
  else setOwn(obj, key, val)
}

function walkMap(dest: JsonValue | undefined, patch: JsonValue | undefined, schema: SchemaNode | undefined): Walked {
  let target: JsonValue | undefined
  if (isMissingOrNull(dest)) {
    if (takeDirective(patch) === 'delete') return undefined
    if (patch === undefined && dest === null) return KEEP_NULL
    // A new subtree is merged with itself, which applies the directives and nulls inside it.
    target = patch
  } else {
    if (patch === null) return undefined
    const d = takeDirective(patch)
    if (d === 'delete') return undefined
    target = d === 'replace' ? patch : dest
  }
  if (!isJsonObject(target)) return target
  const names = new Set(Object.keys(target))
  if (isJsonObject(patch)) for (const k of Object.keys(patch)) names.add(k)
  for (const key of [...names].sort(compareCodePoints)) {
    const fromPatch = isJsonObject(patch) ? getOwn(patch, key) : undefined
    setField(target, key, walk(getOwn(target, key), fromPatch, schema?.field(key)))
  }
  return target
}

function mergeKeys(schema: SchemaNode | undefined): string[] {
  if (schema?.mergeKeys && schema.mergeKeys.length > 0) return [...schema.mergeKeys]
  return schema?.mergeKey ? [schema.mergeKey] : []
}

function walkAssociativeList(dest: JsonValue | undefined, patch: JsonValue | undefined, schema: SchemaNode | undefined): Walked {
  let target: JsonValue | undefined
  if (isMissingOrNull(dest)) target = patch
  else {
    if (patch === null) return undefined
    const d = takeDirective(patch)
    if (d === 'delete') return undefined
    target = d === 'replace' ? patch : dest
  }
  if (!Array.isArray(target)) return target
  const keys = mergeKeys(schema)
  const values = elementValues(keys, target, patch)
  if (values.length > 0 || keys.length > 0) return mergeElements(values, keys, target, patch, schema?.items())
  return mergeElements(primitiveValues(target, patch), [''], target, patch, schema?.items())
}

function mergeElements(
  valuesList: string[][],
  keys: string[],
  target: JsonValue[],
  patch: JsonValue | undefined,
  itemSchema: SchemaNode | undefined,
): Walked {
  const added: JsonValue[] = []
  if (keys.length > 1) mergeValues(valuesList)
  let validKeys: string[] = []
  let validValues: string[] = []
  for (const values of valuesList) {
    if (values.length === 0) continue
    ;[validKeys, validValues] = validateKeys(valuesList, values, keys)
    const [k2, v2] = validateKeys([validValues], validValues, validKeys)
    const val = walk(findElement(target, k2, v2), findElement(patch, k2, v2), itemSchema)
    let deleted = false
    for (let i = 0; i < validKeys.length; i++) {
      const key = validKeys[i] ?? ''
      if (val === KEEP_NULL || isEmptyElement(val)) {
        setElement(target, undefined, validKeys, validValues)
        deleted = true
      } else if (isJsonObject(val) && !Object.hasOwn(val, key) && (validValues[i] ?? '') !== '') {
        setOwn(val, key, plainScalar(validValues[i] ?? ''))
      }
    }
    if (deleted || val === KEEP_NULL || val === undefined) continue
    setElement(added, val, validKeys, validValues)
  }
  const result = valuesList.length > 0 ? appendList(added, target, validKeys) : target
  return result
}

/**
 * Apply a strategic merge patch to `target` as kustomize does; returns null when the patch deletes
 * the object (`$patch: delete`). Never mutates its inputs. Throws StrategicMergeError where
 * kustomize fails the build (a map patched with a list, an unknown `$patch` value...).
 */
export function strategicMerge(target: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject | null {
  const out = walk(cloneJson(target), cloneJson(patch), schema)
  return isJsonObject(out) ? out : null
}

/** Like strategicMerge, but reports kustomize's merge errors as a value instead of throwing. */
export function tryStrategicMerge(
  target: JsonObject,
  patch: JsonObject,
  schema: SchemaNode | undefined,
): { ok: true; value: JsonObject | null } | { ok: false; error: string } {
  try {
    return { ok: true, value: strategicMerge(target, patch, schema) }
  } catch (e) {
    if (e instanceof StrategicMergeError) return { ok: false, error: e.message }
    throw e
  }
}

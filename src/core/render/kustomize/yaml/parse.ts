import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Document, type Node } from 'yaml'
import type { JsonObject, JsonValue } from '../../../model/object.js'
import { goParseIntBase0 } from './scalar-style.js'

/** Bounds that keep a hostile file from exhausting memory (alias bombs, giant inputs). */
export const LIMITS = Object.freeze({ maxAliasExpansions: 10_000, maxFileBytes: 8 * 1024 * 1024 })

/** Thrown for input kustomize would reject as malformed YAML; callers turn it into a diagnostic. */
export class YamlError extends Error {}

/**
 * Parses every document of a YAML (or JSON) stream into plain values, resolving plain
 * scalars the way kustomize's reader (go-yaml v3) does: only true/false are booleans
 * (`yes`, `on` stay strings), `010` is octal 8, `0x1F` hex, `1_000` an int, `1e3` a float.
 * Empty documents give null.
 */
export function parseYamlDocuments(text: string, opts: { uniqueKeys?: boolean } = {}): JsonValue[] {
  // The same bases are read by many kustomizations of a fleet: parse each text once.
  const key = (opts.uniqueKeys === false ? 'L' : 'U') + text
  const hit = CACHE.get(key)
  if (hit) return structuredClone(hit)
  const docs = parseUncached(text, opts)
  if (text.length < 256 * 1024) {
    if (CACHE.size >= 4096) CACHE.delete(CACHE.keys().next().value as string)
    CACHE.set(key, structuredClone(docs))
  }
  return docs
}

const CACHE = new Map<string, JsonValue[]>()

function parseUncached(text: string, opts: { uniqueKeys?: boolean }): JsonValue[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false })
  const list = Array.isArray(docs) ? docs : [docs]
  const out: JsonValue[] = []
  for (const doc of list) {
    if (doc.errors.length > 0) throw new YamlError(doc.errors[0]?.message ?? 'invalid YAML')
    const ctx: Ctx = { doc, aliases: 0, unique: opts.uniqueKeys !== false, resolved: new Map() }
    out.push(doc.contents === null ? null : toValue(doc.contents as Node, ctx))
  }
  return out
}

interface Ctx {
  doc: Document
  aliases: number
  unique: boolean
  resolved: Map<object, Node>
}

function toValue(node: Node, ctx: Ctx): JsonValue {
  if (isAlias(node)) {
    ctx.aliases++
    if (ctx.aliases > LIMITS.maxAliasExpansions) throw new YamlError('too many YAML alias expansions')
    let target = ctx.resolved.get(node)
    if (target === undefined) {
      target = node.resolve(ctx.doc) as Node | undefined
      if (target) ctx.resolved.set(node, target)
    }
    if (!target) throw new YamlError(`unknown anchor ${node.source}`)
    return toValue(target as Node, ctx)
  }
  if (isScalar(node)) return scalarValue(node)
  if (isSeq(node)) return node.items.map((i) => (i === null ? null : toValue(i as Node, ctx)))
  if (isMap(node)) {
    const obj: JsonObject = {}
    const merges: JsonObject[] = []
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null
      const key = keyNode === null ? '' : keyText(keyNode, ctx)
      const value = pair.value === null ? null : toValue(pair.value as Node, ctx)
      if (key === '<<' && isScalar(keyNode) && keyNode.type === Scalar.PLAIN) {
        for (const m of Array.isArray(value) ? value : [value]) {
          if (typeof m === 'object' && m !== null && !Array.isArray(m)) merges.push(m)
        }
        continue
      }
      if (ctx.unique && Object.prototype.hasOwnProperty.call(obj, key)) throw new YamlError(`mapping key "${key}" already defined`)
      obj[key] = value
    }
    for (const m of merges) for (const [k, v] of Object.entries(m)) if (!(k in obj)) obj[k] = v
    return obj
  }
  return null
}

function keyText(node: Node, ctx: Ctx): string {
  const v = toValue(node, ctx)
  if (typeof v === 'string') return v
  if (v === null) return 'null'
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}

function scalarValue(node: Scalar): JsonValue {
  const raw = node.value
  const text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw)
  if (node.type !== Scalar.PLAIN && node.type !== undefined) return text
  if (node.tag === '!!str' || node.tag === 'tag:yaml.org,2002:str') return text
  return resolvePlain(text)
}

/** go-yaml v3's resolution of an untagged plain scalar, as kustomize reads it. */
export function resolvePlain(s: string): JsonValue {
  switch (s) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null
    case 'true':
    case 'True':
    case 'TRUE':
      return true
    case 'false':
    case 'False':
    case 'FALSE':
      return false
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return Infinity
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return -Infinity
    case '.nan':
    case '.NaN':
    case '.NAN':
      return NaN
  }
  const c = s[0] as string
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s) ? Number(s) : s
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return s
  // Timestamps stay strings when read into untyped values.
  if (/^\d{4}-\d{1,2}-\d{1,2}([Tt ]|$)/.test(s)) return s
  const plain = s.replace(/_/g, '')
  const i = goParseIntBase0(plain)
  if (i !== undefined && i >= -(2n ** 63n) && i < 2n ** 64n) return Number(i)
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return Number(plain)
  return s
}

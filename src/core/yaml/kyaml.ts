import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, Scalar, type Alias, type Document, type Node } from 'yaml'
import type { JsonObject, JsonValue } from '../model/object.js'
import { setOwn } from '../model/own.js'
import { cloneJson } from '../model/clone.js'
import { readBlockYaml } from './block-simple.js'
import { checkText, resolveAliases } from './budget.js'
import { lineAt, YamlError } from './errors.js'
import { foldedRoundTrip } from './go-folded.js'
import { goParseIntBase0 } from './scalar-style.js'

export interface KyamlOptions {
  /** false: a repeated mapping key keeps the last value instead of failing. */
  uniqueKeys?: boolean
  /**
   * kustomize hands every resource through kyaml's MarshalJSON (go-yaml v3 emits the node,
   * then reads it back), which changes folded scalars with more-indented lines (see
   * go-folded.ts). True (the default) for resources and patches; false for text kustomize
   * reads with sigs.k8s.io/yaml directly (the kustomization file, JSON patches).
   */
  marshalRoundTrip?: boolean
}

/**
 * Parses every document of a YAML (or JSON) stream into plain values the way kustomize's
 * reader, kyaml on go-yaml v3, does: only true/false are booleans (`yes`, `on` stay
 * strings), `010` is octal 8, `0x1F` hex, `1_000` an int, `1e3` a float; a block scalar
 * that ends the text without a line break has none (`|` at EOF gives "a\nb"); a
 * `__proto__` key is an ordinary key. Empty documents give null. Throws YamlError (with a
 * line) for malformed input and for input over the budgets of budget.ts.
 */
export function parseYamlDocuments(text: string, opts: KyamlOptions = {}): JsonValue[] {
  return parseYamlDocumentsLocated(text, opts).map((d) => d.value)
}

/**
 * One document as kustomize reads it, with the 1-based line its content starts on (after
 * `---` and leading comments) and, for each top-level key holding a sequence, the line of
 * each entry: where a List's items or a kustomization's generator entries are written.
 */
export interface KyamlDocument {
  value: JsonValue
  line: number
  entryLines?: Map<string, number[]>
}

/** parseYamlDocuments, keeping where each document and each entry of its top-level lists start. */
export function parseYamlDocumentsLocated(text: string, opts: KyamlOptions = {}): KyamlDocument[] {
  // The same bases are read by many kustomizations of a fleet: parse each text once.
  const key = (opts.uniqueKeys === false ? 'L' : 'U') + (opts.marshalRoundTrip === false ? 'S' : 'R') + text
  const hit = CACHE.get(key)
  if (hit) return copyDocuments(hit)
  const docs = parseUncached(text, opts)
  if (text.length < 256 * 1024) {
    if (CACHE.size >= 4096) CACHE.delete(CACHE.keys().next().value as string)
    CACHE.set(key, copyDocuments(docs))
  }
  return docs
}

const CACHE = new Map<string, KyamlDocument[]>()

function copyDocuments(docs: KyamlDocument[]): KyamlDocument[] {
  return docs.map((d) => ({ value: cloneJson(d.value), line: d.line, ...(d.entryLines ? { entryLines: new Map([...d.entryLines].map(([k, lines]) => [k, [...lines]])) } : {}) }))
}

function parseUncached(text: string, opts: KyamlOptions): KyamlDocument[] {
  checkText(text)
  // Plain block YAML, most of a fleet, is read without the package (block-simple.ts).
  return readBlockYaml(text, resolvePlain, true) ?? parseWithPackage(text, opts)
}

/** A text through the `yaml` package alone: what block-simple.ts must agree with. Call after checkText. */
export function parseWithPackage(text: string, opts: KyamlOptions): KyamlDocument[] {
  const docs = parseAllDocuments(text, { schema: 'failsafe', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false })
  const list = Array.isArray(docs) ? docs : [docs]
  const out: KyamlDocument[] = []
  const eofWithoutBreak = text.length > 0 && !/[\n\r]$/.test(text)
  const lines = new LineCursor(text)
  for (const doc of list) {
    const err = doc.errors[0]
    if (err) {
      const code = err.code === 'RESOURCE_EXHAUSTION' ? 'yaml/too-deep' : 'yaml/syntax'
      throw new YamlError(err.message, code, lineAt(text, err.pos[0]))
    }
    const ctx: Ctx = {
      doc,
      text,
      unique: opts.uniqueKeys !== false,
      roundTrip: opts.marshalRoundTrip !== false,
      eof: eofWithoutBreak ? text.length : -1,
      // Without a `*` there is no alias to resolve or budget.
      aliases: text.includes('*') ? resolveAliases(doc, text) : new Map(),
    }
    const contents = doc.contents as Node | null
    const located: KyamlDocument = { value: null, line: lines.at(contents?.range?.[0] ?? doc.range[0]) }
    try {
      located.value = contents === null ? null : toValue(contents, ctx)
    } catch (e) {
      if (e instanceof RangeError) throw new YamlError('YAML nests too deep to read', 'yaml/too-deep', lineAt(text, doc.range[0]))
      throw e
    }
    if (isMap(contents)) {
      for (const pair of contents.items) {
        const seq = pair.value
        if (!isScalar(pair.key) || !isSeq(seq)) continue
        located.entryLines ??= new Map()
        located.entryLines.set(String(pair.key.value), seq.items.map((i) => lines.at((i as Node | null)?.range?.[0] ?? seq.range?.[0] ?? 0)))
      }
    }
    out.push(located)
  }
  return out
}

/** 1-based lines of offsets visited in increasing order, in one pass over the text. */
class LineCursor {
  private offset = 0
  private line = 1

  constructor(private readonly text: string) {}

  at(offset: number): number {
    if (offset < this.offset) return lineAt(this.text, offset)
    for (let i = this.text.indexOf('\n', this.offset); i >= 0 && i < offset; i = this.text.indexOf('\n', i + 1)) this.line++
    this.offset = offset
    return this.line
  }
}

interface Ctx {
  doc: Document
  text: string
  unique: boolean
  roundTrip: boolean
  /** Offset of the end of a text that has no final line break; -1 when it has one. */
  eof: number
  aliases: Map<Alias, Node>
}

function toValue(node: Node, ctx: Ctx): JsonValue {
  if (isAlias(node)) return toValue(ctx.aliases.get(node) as Node, ctx)
  if (isScalar(node)) return scalarValue(node, ctx)
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
      if (ctx.unique && Object.hasOwn(obj, key)) {
        throw new YamlError(`mapping key "${key}" already defined`, 'yaml/syntax', lineAt(ctx.text, keyNode?.range?.[0] ?? 0))
      }
      setOwn(obj, key, value)
    }
    for (const m of merges) for (const [k, v] of Object.entries(m)) if (!Object.hasOwn(obj, k)) setOwn(obj, k, v)
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

function scalarValue(node: Scalar, ctx: Ctx): JsonValue {
  const raw = node.value
  let text = typeof raw === 'string' ? raw : raw === null || raw === undefined ? '' : String(raw)
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    // The `yaml` package keeps a final line break the text does not have; go-yaml does not.
    if (ctx.eof >= 0 && node.range?.[1] === ctx.eof && text.endsWith('\n')) text = text.slice(0, -1)
    if (node.type === Scalar.BLOCK_FOLDED && ctx.roundTrip) text = foldedRoundTrip(text)
    return text
  }
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

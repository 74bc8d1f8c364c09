import type { JsonObject, JsonValue } from '../model/object.js'
import { setOwn } from '../model/own.js'
import { beforeComment, flowSeq, INDICATORS, MISS, onlyComment, quotedBody, quotedEnd, scalar, trimSpacesEnd, trimSpacesStart, type PlainResolver } from './block-scalars.js'

/*
 * Reading the plain block YAML that fleets are written in, without the `yaml` package.
 *
 * Why: the package builds a concrete syntax tree and a document of nodes before a value
 * exists, about 0.8 ms for a 800-byte manifest; reading was a third of a fleet's render.
 * Most files of a fleet use a small part of YAML: block mappings and sequences, one-line
 * plain and quoted scalars, literal block scalars (`|`, `|-`: inline patches), one-line
 * flow sequences of scalars (`args: ["--port=8080"]`), comments and `---`. This reads
 * exactly that part, in one pass over the lines, and answers undefined for anything else,
 * which then goes to the package: flow mappings, nested flows, folded and kept block
 * scalars, multi-line plain and quoted scalars, anchors, aliases, tags, escapes, merge
 * keys, repeated keys, keys that are not strings, empty documents and entries, tabs, CR,
 * control and non-BMP characters, and every error. What it returns is what the package
 * path returns, values, key order and lines alike (property test in block-simple.test.ts,
 * against each dialect's reader).
 */

/** One document: its value, the line its content starts on, and for each top-level key holding a sequence, the line of each entry. */
export interface BlockDocument {
  value: JsonValue
  line: number
  entryLines?: Map<string, number[]>
}

interface Line {
  indent: number
  /** The content after the indentation, without trailing spaces. */
  text: string
  /** 1-based line number. */
  no: number
}

/**
 * The documents of `text`, or undefined when it is not plain block YAML. Call it after the
 * text's budgets are checked (checkText): nesting depth is bounded there.
 */
export function readBlockYaml(text: string, resolve: PlainResolver, withEntryLines: boolean): BlockDocument[] | undefined {
  if (hasUnsupported(text)) return undefined
  const groups: Line[][] = [[]]
  let markers = 0
  let no = 0
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    no++
    let i = start
    while (i < end && text.charCodeAt(i) === 32) i++
    const col = i - start
    const content = trimSpacesEnd(text.slice(i, end))
    start = end + 1
    if (content === '' || content[0] === '#') continue
    if (col === 0 && (content.startsWith('---') || content.startsWith('...') || content[0] === '%')) {
      if (content !== '---') return undefined
      markers++
      groups.push([])
      continue
    }
    groups[groups.length - 1]!.push({ indent: col, text: content, no })
  }
  // Comments before a first `---` belong to the document it starts; every other document
  // must have content (an empty one is null, and where the package puts its line is its own).
  if (markers > 0 && groups[0]!.length === 0) groups.shift()
  if (groups.length === 0 || groups.some((g) => g.length === 0)) return undefined
  try {
    return groups.map((lines) => readDocument({ lines, i: 0, resolve, text }, withEntryLines))
  } catch (e) {
    if (e === MISS) return undefined
    throw e
  }
}

interface Reader {
  lines: Line[]
  i: number
  resolve: PlainResolver
  text: string
  /** The text's lines as written, for block scalars (whose comments and blank lines are content). */
  raw?: string[]
}

function readDocument(r: Reader, withEntryLines: boolean): BlockDocument {
  const lines = r.lines
  const first = lines[0]!
  const doc: BlockDocument = { value: null, line: first.no }
  if (isSeqItem(first.text)) doc.value = readSeq(r, first.indent)
  else doc.value = readMap(r, first.indent, withEntryLines ? doc : undefined)
  if (r.i !== lines.length) throw MISS
  return doc
}

function readBlock(r: Reader, indent: number): JsonValue {
  return isSeqItem(r.lines[r.i]!.text) ? readSeq(r, indent) : readMap(r, indent)
}

/** A block mapping whose keys sit at `indent`; `top` collects the entry lines of its sequences. */
function readMap(r: Reader, indent: number, top?: BlockDocument): JsonObject {
  const obj: JsonObject = {}
  while (r.i < r.lines.length) {
    const l = r.lines[r.i]!
    if (l.indent !== indent) {
      if (l.indent > indent) throw MISS
      break
    }
    if (isSeqItem(l.text)) break
    const { key, rest } = splitKey(l.text, r.resolve)
    if (Object.hasOwn(obj, key)) throw MISS
    r.i++
    let value: JsonValue
    const lines: number[] | undefined = top ? [] : undefined
    if (rest === '') {
      const next = r.lines[r.i]
      if (next && next.indent > indent) value = isSeqItem(next.text) ? readSeq(r, next.indent, lines) : readMap(r, next.indent)
      // A sequence may sit at its key's indentation (`resources:` then `- a.yaml`).
      else if (next && next.indent === indent && isSeqItem(next.text)) value = readSeq(r, indent, lines)
      else value = null
    } else {
      value = inline(r, rest, indent, l.no)
      // A flow sequence's entries all start on its line.
      if (lines && Array.isArray(value)) for (let n = 0; n < value.length; n++) lines.push(l.no)
    }
    if (top && Array.isArray(value)) (top.entryLines ??= new Map()).set(key, lines!)
    setOwn(obj, key, value)
  }
  return obj
}

/** A block sequence whose `-` sit at `indent`; `lines` gets the line each entry starts on. */
function readSeq(r: Reader, indent: number, lines?: number[]): JsonValue[] {
  const out: JsonValue[] = []
  while (r.i < r.lines.length) {
    const l = r.lines[r.i]!
    if (l.indent !== indent || !isSeqItem(l.text)) {
      if (l.indent > indent) throw MISS
      break
    }
    const after = l.text.slice(1)
    const rest = trimSpacesStart(after)
    if (rest === '') {
      r.i++
      const next = r.lines[r.i]
      // An empty entry is null, and the package's line for it is its own: leave it to the package.
      if (!next || next.indent <= indent) throw MISS
      lines?.push(next.no)
      out.push(readBlock(r, next.indent))
      continue
    }
    if (isSeqItem(rest)) throw MISS
    lines?.push(l.no)
    if (isMapEntry(rest)) {
      // `- key: value`: a mapping whose keys sit where this key starts.
      const col = indent + 1 + (after.length - rest.length)
      r.lines[r.i] = { indent: col, text: rest, no: l.no }
      out.push(readMap(r, col))
    } else {
      r.i++
      out.push(inline(r, rest, indent, l.no))
    }
  }
  return out
}

function isSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ')
}

function isMapEntry(text: string): boolean {
  const q = text[0]
  if (q === '"' || q === "'") {
    const end = quotedEnd(text)
    return end > 0 && text[end + 1] === ':'
  }
  const head = beforeComment(text)
  return head.includes(': ') || head.endsWith(':')
}

/** A mapping line's key (a string) and what follows its `:` (empty when only a comment does). */
function splitKey(text: string, resolve: PlainResolver): { key: string; rest: string } {
  let key: string
  let restAt: number
  const q = text[0]
  if (q === '"' || q === "'") {
    const end = quotedEnd(text)
    if (end < 0 || text[end + 1] !== ':' || (end + 2 < text.length && text[end + 2] !== ' ')) throw MISS
    key = quotedBody(text, end)
    restAt = end + 2
  } else {
    if (INDICATORS.has(q!)) throw MISS
    const head = beforeComment(text)
    let colon = head.indexOf(': ')
    if (colon < 0) {
      if (!head.endsWith(':')) throw MISS
      colon = head.length - 1
    }
    key = text.slice(0, colon)
    // `a : b`, a merge key, or a key the dialect reads as a number, boolean or null.
    if (key.endsWith(' ') || key === '<<' || resolve(key) !== key) throw MISS
    restAt = colon + 1
  }
  const rest = trimSpacesStart(text.slice(restAt))
  return { key, rest: rest[0] === '#' ? '' : rest }
}

/**
 * The value written after `key: ` or `- ` on line `no`, in a collection at `indent`: a
 * literal block scalar (whose lines follow, and are skipped), a flow sequence of scalars on
 * this line, or a one-line scalar.
 */
function inline(r: Reader, text: string, indent: number, no: number): JsonValue {
  if (text[0] === '|') return literal(r, text, indent, no)
  if (text[0] === '[' && text[1] !== ']') return flowSeq(text, r.resolve)
  return scalar(text, r.resolve)
}

/**
 * A literal block scalar, `|` or `|-` (clip or strip), its lines more indented than its
 * collection. Given up: `|+`, indentation indicators, folded `>`, leading blank lines,
 * blank lines with more spaces than the content's indentation, and a scalar that ends a
 * text without a final line break (each dialect's reader has a rule for that).
 */
function literal(r: Reader, header: string, indent: number, no: number): string {
  const strip = header[1] === '-'
  onlyComment(header, strip ? 2 : 1)
  const raw = (r.raw ??= r.text.split('\n'))
  let k = no
  const first = raw[k]
  if (first === undefined || trimSpacesStart(first) === '') throw MISS
  const m = first.length - trimSpacesStart(first).length
  if (m <= indent) throw MISS
  const out: string[] = []
  for (; k < raw.length; k++) {
    const line = raw[k]!
    const body = trimSpacesStart(line)
    if (body === '') {
      if (line.length > m) throw MISS
      out.push('')
      continue
    }
    if (line.length - body.length < m) break
    out.push(line.slice(m))
  }
  if (k === raw.length && !r.text.endsWith('\n')) throw MISS
  while (out.length > 0 && out[out.length - 1] === '') out.pop()
  while (r.i < r.lines.length && r.lines[r.i]!.no <= k) r.i++
  return out.join('\n') + (strip ? '' : '\n')
}


/**
 * Whether the text holds what sends it to the package as a whole: tabs, CR, C0 and C1
 * controls (but the line feed), NEL's neighbours, line and paragraph separators, a BOM,
 * and surrogates (non-BMP characters), whose rules differ between the dialects' readers.
 */
function hasUnsupported(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x20 && c < 0x7f) continue
    if (c === 10) continue
    if (c < 0x20 || c <= 0x9f || c === 0x2028 || c === 0x2029 || c === 0xfeff || (c >= 0xd800 && c <= 0xdfff)) return true
  }
  return false
}

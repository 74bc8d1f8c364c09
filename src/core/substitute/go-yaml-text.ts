import type { JsonValue } from '../model/object.js'

/**
 * JSON value → YAML text the way kustomize-controller produces it before substitution
 * (S-3): sigs.k8s.io/yaml JSONToYAML, i.e. go-yaml v2's emitter. What matters for
 * substitution is kept: keys sorted in go-yaml's order, a string quoted only when its plain
 * form would not read back as that string, multi-line strings as literal blocks,
 * sequences not indented under their key. Line folding at 80 columns is not reproduced
 * (a folded scalar reads back the same).
 */
export function toGoYaml(value: JsonValue): string {
  if (isMap(value)) return Object.keys(value).length === 0 ? '{}\n' : emitMap(value, 0)
  if (Array.isArray(value)) return value.length === 0 ? '[]\n' : emitSeq(value, 0)
  return `${scalar(value, 0)}\n`
}

type JsonMap = { [key: string]: JsonValue }

function isMap(v: JsonValue | undefined): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function emitMap(map: JsonMap, indent: number): string {
  const pad = ' '.repeat(indent)
  let out = ''
  for (const key of Object.keys(map).sort(goKeyCompare)) {
    out += `${pad}${stringScalar(key, indent, true)}:${valueAfterIndicator(map[key]!, indent, false)}`
  }
  return out
}

function emitSeq(seq: JsonValue[], indent: number): string {
  const pad = ' '.repeat(indent)
  return seq.map((item) => `${pad}-${valueAfterIndicator(item, indent, true)}`).join('')
}

/** What follows `key:` or `-`: an inline scalar, or a nested collection. */
function valueAfterIndicator(v: JsonValue, indent: number, inSeq: boolean): string {
  if (isMap(v) && Object.keys(v).length > 0) {
    if (!inSeq) return `\n${emitMap(v, indent + 2)}`
    // first entry shares the line with the dash
    return ` ${emitMap(v, indent + 2).slice(indent + 2)}`
  }
  if (Array.isArray(v) && v.length > 0) {
    // go-yaml does not indent a sequence under its mapping key
    if (!inSeq) return `\n${emitSeq(v, indent)}`
    return ` ${emitSeq(v, indent + 2).slice(indent + 2)}`
  }
  if (isMap(v)) return ' {}\n'
  if (Array.isArray(v)) return ' []\n'
  return ` ${scalar(v, indent)}\n`
}

function scalar(v: Exclude<JsonValue, JsonValue[] | JsonMap>, indent: number): string {
  if (v === null) return 'null'
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (typeof v === 'number') return String(v)
  return stringScalar(v, indent, false)
}

function stringScalar(s: string, indent: number, isKey: boolean): string {
  const a = analyze(s)
  if (s.includes('\n')) {
    if (!isKey && a.blockAllowed) return literal(s, indent)
    return doubleQuoted(s)
  }
  if (!canUsePlain(s)) return doubleQuoted(s)
  if (a.plainAllowed) return s
  if (a.singleAllowed) return `'${s.replaceAll("'", "''")}'`
  return doubleQuoted(s)
}

function literal(s: string, indent: number): string {
  const trailing = /\n*$/.exec(s)![0].length
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+'
  const hint = s.startsWith(' ') || s.startsWith('\n') ? '2' : ''
  const body = trailing === 0 ? s : s.slice(0, s.length - 1)
  const pad = ' '.repeat(indent + 2)
  const lines = body.split('\n').map((line) => (line === '' ? '' : pad + line))
  return `|${hint}${chomp}\n${lines.join('\n')}`
}

function doubleQuoted(s: string): string {
  return JSON.stringify(s).replaceAll('\u2028', '\\L').replaceAll('\u2029', '\\P').replaceAll('\u0085', '\\N').replaceAll('\u00a0', '\\_')
}

/** True for runes go-yaml's emitter prints as they are (libyaml IS_PRINTABLE). */
function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    cp === 0x85 ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  )
}

const FIRST_IND = new Set(['#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`'])
const BREAKS = new Set(['\n', '\r', '\u0085', '\u2028', '\u2029'])

/** libyaml's scalar analysis: which styles may carry this string in block context. */
function analyze(s: string): { plainAllowed: boolean; singleAllowed: boolean; blockAllowed: boolean } {
  if (s === '') return { plainAllowed: false, singleAllowed: true, blockAllowed: false }
  const chars = Array.from(s)
  let indicators = s.startsWith('---') || s.startsWith('...')
  let special = false
  let lineBreaks = false
  let spaceBreak = false
  let breakSpace = false
  chars.forEach((c, i) => {
    const next = chars[i + 1]
    const blankAfter = next === undefined || next === ' ' || next === '\t' || BREAKS.has(next)
    if (i === 0) {
      if (FIRST_IND.has(c)) indicators = true
      if ((c === '?' || c === ':' || c === '-') && blankAfter) indicators = true
    } else {
      if (c === ':' && blankAfter) indicators = true
      if (c === '#' && (chars[i - 1] === ' ' || chars[i - 1] === '\t' || BREAKS.has(chars[i - 1]!))) indicators = true
    }
    if (!isPrintable(c.codePointAt(0)!)) special = true
    if (BREAKS.has(c)) lineBreaks = true
    if (c === ' ' && next !== undefined && BREAKS.has(next)) spaceBreak = true
    if (BREAKS.has(c) && next === ' ') breakSpace = true
  })
  const first = chars[0]!
  const last = chars[chars.length - 1]!
  const edgeSpace = first === ' ' || last === ' '
  const edgeBreak = BREAKS.has(first) || BREAKS.has(last)
  const plainAllowed = !indicators && !edgeSpace && !edgeBreak && !special && !lineBreaks && !spaceBreak && !breakSpace
  const singleAllowed = !special && !spaceBreak && !breakSpace
  const blockAllowed = !special && !spaceBreak && last !== ' '
  return { plainAllowed, singleAllowed, blockAllowed }
}

const NON_STRINGS = new Set([
  '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '<<',
])
const GO_INT = /^[-+]?(?:0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)$/
const GO_FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/
const TIMESTAMP = /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)?$/
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/

/** go-yaml v2 writes a string plain only when it would resolve back to a string. */
function canUsePlain(s: string): boolean {
  if (s === '' || NON_STRINGS.has(s)) return false
  if (/^[-+.0-9]/.test(s)) {
    const plain = s.replaceAll('_', '')
    if (TIMESTAMP.test(s) || GO_INT.test(plain) || GO_FLOAT.test(plain)) return false
  }
  return !BASE60.test(s)
}

/** go-yaml v2's map key order: digit runs compare as numbers, letters after other runes. */
export function goKeyCompare(a: string, b: string): number {
  const ar = Array.from(a)
  const br = Array.from(b)
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue
    const al = /\p{L}/u.test(ar[i]!)
    const bl = /\p{L}/u.test(br[i]!)
    if (al && bl) return ar[i]!.codePointAt(0)! - br[i]!.codePointAt(0)!
    if (al || bl) return bl ? -1 : 1
    const an = digitRun(ar, i)
    const bn = digitRun(br, i)
    if (an.value !== bn.value) return an.value < bn.value ? -1 : 1
    if (an.end !== bn.end) return an.end - bn.end
    return ar[i]!.codePointAt(0)! - br[i]!.codePointAt(0)!
  }
  return ar.length - br.length
}

function digitRun(r: string[], i: number): { value: number; end: number } {
  let value = 0
  let end = i
  for (; end < r.length && /[0-9]/.test(r[end]!); end++) value = value * 10 + Number(r[end])
  return { value, end }
}

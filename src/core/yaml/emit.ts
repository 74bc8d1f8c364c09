import type { JsonValue } from '../model/object.js'
import { compareKeys } from './key-order.js'
import { isPrintable } from './printable.js'
import { scalarStyle, type ScalarStyle } from './scalar-style.js'

/*
 * Our own YAML emitter, not the `yaml` package's stringify: kustomize prints each object by
 * turning it into JSON and handing that to sigs.k8s.io/yaml, i.e. go-yaml v2's emitter. Its
 * output has quirks no option of the `yaml` package reproduces byte for byte: natural key
 * order ("9" before "10"), YAML 1.1 quoting ("y", "on", "1:20" quoted), sequences not
 * indented under their key, plain scalars folded past column 80, literal blocks for
 * multi-line strings with libyaml's chomping and fallbacks. So we emit the text ourselves.
 */

const WIDTH = 80

/** One object as kustomize prints it (no document marker, trailing newline). */
export function emitDocument(value: JsonValue): string {
  const out: string[] = []
  if (isMap(value) && Object.keys(value).length > 0) emitMap(value, 0, out)
  else if (Array.isArray(value) && value.length > 0) emitSeq(value, 0, out)
  else out.push(flowScalar(value, 0, 0))
  return out.join('\n') + '\n'
}

function isMap(v: JsonValue): v is { [k: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function emitMap(map: { [k: string]: JsonValue }, indent: number, out: string[], firstPrefix?: string): void {
  const keys = Object.keys(map).sort(compareKeys)
  keys.forEach((k, i) => {
    const pad = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent)
    const keyText = scalarText(k, indent, pad.length, true)
    emitValue(map[k] as JsonValue, pad + keyText + ':', indent, out, true)
  })
}

function emitSeq(seq: JsonValue[], indent: number, out: string[], firstPrefix?: string): void {
  seq.forEach((item, i) => {
    const pad = i === 0 && firstPrefix !== undefined ? firstPrefix : ' '.repeat(indent)
    emitValue(item, pad + '-', indent, out, false)
  })
}

/**
 * Emits `value` after `head` (a key with its colon, or a dash). `indent` is the column of
 * that key or dash: nested maps go two further, sequences under a key stay at the key's
 * column (go-yaml's indentless sequences), folded/literal text sits two further.
 */
function emitValue(value: JsonValue, head: string, indent: number, out: string[], inMap: boolean): void {
  if (isMap(value) && Object.keys(value).length > 0) {
    if (inMap) {
      out.push(head)
      emitMap(value, indent + 2, out)
    } else {
      emitMap(value, indent + 2, out, head + ' ')
    }
    return
  }
  if (Array.isArray(value) && value.length > 0) {
    if (inMap) {
      out.push(head)
      emitSeq(value, indent, out)
    } else {
      emitSeq(value, indent + 2, out, head + ' ')
    }
    return
  }
  if (typeof value === 'string') {
    const style = scalarStyle(value, false)
    if (style === 'literal') {
      out.push(head + ' ' + literalHeader(value))
      for (const line of literalLines(value)) out.push(line === '' ? '' : ' '.repeat(indent + 2) + line)
      return
    }
  }
  out.push(head + ' ' + flowScalar(value, indent + 2, head.length + 1))
}

function flowScalar(value: JsonValue, indent: number, column: number): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return '[]'
  if (typeof value === 'object') return '{}'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'number') return formatNumber(value)
  return scalarText(value, indent, column, false)
}

function scalarText(s: string, indent: number, column: number, isKey: boolean): string {
  const style: ScalarStyle = scalarStyle(s, isKey)
  const breaks = !isKey
  if (style === 'plain') return breaks ? fold(s, indent, column, 'plain') : s
  if (style === 'single') {
    const body = s.replace(/'/g, "''")
    return "'" + (breaks ? fold(body, indent, column + 1, 'single') : body) + "'"
  }
  return doubleQuoted(s, indent, column, breaks)
}

/** libyaml breaks a plain or single-quoted scalar at a space once past column 80. */
function fold(s: string, indent: number, startColumn: number, kind: 'plain' | 'single'): string {
  if (startColumn + s.length <= WIDTH) return s
  let col = startColumn
  let res = ''
  let spaces = false
  const chars = [...s]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]
    if (c === ' ') {
      const next = chars[i + 1]
      const edgeOk = kind === 'plain' || (i > 0 && i < chars.length - 1)
      if (!spaces && col > WIDTH && next !== ' ' && edgeOk) {
        res += '\n' + ' '.repeat(indent)
        col = indent
      } else {
        res += c
        col++
      }
      spaces = true
    } else {
      res += c
      col++
      spaces = false
    }
  }
  return res
}

function doubleQuoted(s: string, indent: number, column: number, breaks: boolean): string {
  let res = '"'
  let col = column + 1
  let spaces = false
  const chars = [...s]
  // go-yaml's is_bom looks at the value's first character, not the current one: a value
  // that starts with a byte-order mark has every character escaped.
  const all = s.startsWith('\ufeff')
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    const esc = escapeChar(c, all)
    if (esc !== undefined) {
      res += esc
      col += esc.length
      spaces = false
      continue
    }
    if (c === ' ') {
      if (breaks && !spaces && col > WIDTH && i !== 0 && i !== chars.length - 1) {
        res += '\n' + ' '.repeat(indent)
        col = indent
        if (chars[i + 1] === ' ') {
          res += '\\'
          col++
        }
      } else {
        res += c
        col++
      }
      spaces = true
      continue
    }
    res += c
    col++
    spaces = false
  }
  return res + '"'
}

const NAMED_ESCAPES: Record<number, string> = {
  0x0: '\\0', 0x7: '\\a', 0x8: '\\b', 0x9: '\\t', 0xa: '\\n', 0xb: '\\v', 0xc: '\\f', 0xd: '\\r',
  0x1b: '\\e', 0x22: '\\"', 0x5c: '\\\\', 0x85: '\\N', 0xa0: '\\_', 0x2028: '\\L', 0x2029: '\\P',
}

function escapeChar(c: string, always = false): string | undefined {
  const cp = c.codePointAt(0) as number
  const needs = always || !isPrintable(cp) || cp === 0xfeff || cp === 0x22 || cp === 0x5c || cp === 0xa || cp === 0xd || cp === 0x85 || cp === 0x2028 || cp === 0x2029
  if (!needs) return undefined
  const named = Object.hasOwn(NAMED_ESCAPES, cp) ? NAMED_ESCAPES[cp] : undefined
  if (named) return named
  if (cp <= 0xff) return '\\x' + cp.toString(16).toUpperCase().padStart(2, '0')
  if (cp <= 0xffff) return '\\u' + cp.toString(16).toUpperCase().padStart(4, '0')
  return '\\U' + cp.toString(16).toUpperCase().padStart(8, '0')
}

function literalHeader(s: string): string {
  let h = '|'
  if (s.startsWith(' ') || s.startsWith('\n')) h += '2'
  if (!s.endsWith('\n')) h += '-'
  else if (s === '\n' || s.endsWith('\n\n')) h += '+'
  return h
}

function literalLines(s: string): string[] {
  const body = s.endsWith('\n') ? s.slice(0, -1) : s
  return body.split('\n')
}

/**
 * Numbers as Go prints them after the JSON round trip: integers in full, other floats with
 * strconv 'g' shortest formatting (exponent form below 1e-4 or from 1e6 on, "e+06").
 */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '.nan'
  if (n === Infinity) return '.inf'
  if (n === -Infinity) return '-.inf'
  if (Number.isInteger(n) && Math.abs(n) < 1.8446744073709552e19) return BigInt(n).toString()
  const [mant, expText] = n.toExponential().split('e') as [string, string]
  const exp = Number(expText)
  if (exp < -4 || exp >= 21 || (exp >= 6 && !Number.isInteger(n)) || (Number.isInteger(n) && exp >= 6)) {
    const e = Math.abs(exp)
    return `${mant}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' + e : e}`
  }
  return String(n)
}

import { decodeRune, encodeRune, fromBytes, runesOf, runesToBytes, toBytes } from './bytes.js'
import { globMatch } from './glob.js'

/**
 * The string operators of Flux's envsubst (fluxcd/pkg envsubst/funcs.go), over byte
 * strings. Each takes the variable's value and the evaluated arguments.
 */
export type SubstituteFunc = (value: string, args: string[]) => string

/** Go's unicode.ToUpper/ToLower map one rune to one rune; JS may expand (ß → SS): keep those. */
function mapRune(rune: number, upper: boolean): number {
  if (rune < 0x80) return upper ? (rune >= 0x61 && rune <= 0x7a ? rune - 32 : rune) : rune >= 0x41 && rune <= 0x5a ? rune + 32 : rune
  const ch = String.fromCodePoint(rune)
  const mapped = upper ? ch.toUpperCase() : ch.toLowerCase()
  const cp = mapped.codePointAt(0)
  return cp !== undefined && String.fromCodePoint(cp) === mapped ? cp : rune
}

function mapAll(s: string, upper: boolean): string {
  return runesToBytes(runesOf(s).map((r) => mapRune(r, upper)))
}

function mapFirst(s: string, upper: boolean): string {
  if (s === '') return s
  const { rune, width } = decodeRune(s, 0)
  return encodeRune(mapRune(rune, upper)) + s.slice(width)
}

/** Go strconv.Atoi: optional sign and decimal digits only, within int64. */
function atoi(text: string): number | undefined {
  const s = fromBytes(text)
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined
  const n = Number(s)
  return Number.isSafeInteger(n) ? n : undefined
}

function substr(s: string, args: string[]): string {
  if (args.length === 0) return s
  let pos = atoi(args[0]!)
  if (pos === undefined) return s
  if (pos < 0) pos = Math.max(0, s.length + pos)
  if (args.length === 1) return pos < s.length ? s.slice(pos) : ''
  const length = atoi(args[1]!)
  if (length === undefined) return s
  if (pos + length >= s.length) return pos < s.length ? s.slice(pos) : ''
  // Go would panic on a negative length; the slice below yields '' instead
  return s.slice(pos, Math.max(pos, pos + length))
}

function replaceFirst(s: string, args: string[]): string {
  if (args.length === 0) return s
  return goReplace(s, args[0]!, args[1] ?? '', 1)
}

function replaceAll(s: string, args: string[]): string {
  if (args.length === 0) return s
  return goReplace(s, args[0]!, args[1] ?? '', -1)
}

/** Go strings.Replace: an empty `old` matches before every rune and at the end. */
function goReplace(s: string, old: string, repl: string, n: number): string {
  if (old === '') {
    const runes: string[] = []
    for (let p = 0; p < s.length; ) {
      const w = decodeRune(s, p).width
      runes.push(s.slice(p, p + w))
      p += w
    }
    const limit = n < 0 ? runes.length + 1 : Math.min(n, runes.length + 1)
    let out = ''
    for (let i = 0; i <= runes.length; i++) out += (i < limit ? repl : '') + (runes[i] ?? '')
    return out
  }
  if (n < 0) return s.split(old).join(repl)
  const at = s.indexOf(old)
  return at < 0 ? s : s.slice(0, at) + repl + s.slice(at + old.length)
}

function replacePrefix(s: string, args: string[]): string {
  if (args.length !== 2) return s
  return s.startsWith(args[0]!) ? goReplace(s, args[0]!, args[1]!, 1) : s
}

function replaceSuffix(s: string, args: string[]): string {
  if (args.length !== 2) return s
  const [suffix, repl] = args as [string, string]
  return s.endsWith(suffix) ? s.slice(0, s.length - suffix.length) + repl : s
}

/** Rune-wise reverse, as Go's reverse helper (invalid bytes become U+FFFD). */
function reverse(s: string): string {
  return runesToBytes(runesOf(s).reverse())
}

function trimShortest(s: string, pattern: string): string {
  let shortest = ''
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i)
    const m = globMatch(pattern, candidate)
    if (m === undefined) return s
    if (m) shortest = candidate
  }
  return shortest !== '' && s.startsWith(shortest) ? s.slice(shortest.length) : s
}

function trimLongest(s: string, pattern: string): string {
  for (let i = 0; i < s.length; i++) {
    const candidate = s.slice(0, s.length - i)
    const m = globMatch(pattern, candidate)
    if (m === undefined) return s
    if (m) return s.slice(candidate.length)
  }
  return s
}

function trimPrefixWith(trim: (s: string, p: string) => string): SubstituteFunc {
  return (s, args) => (args.length === 0 ? s : trim(s, args[0]!))
}

// For `%`/`%%` Flux reverses value and pattern and trims a prefix (S-8: classes look odd).
function trimSuffixWith(trim: (s: string, p: string) => string): SubstituteFunc {
  return (s, args) => (args.length === 0 ? s : reverse(trim(reverse(s), reverse(args[0]!))))
}

const toDefault: SubstituteFunc = (s, args) => (s.length === 0 && args.length > 0 ? args.join('') : s)

/**
 * The function for an operator, as Go's lookupFunc: `#` is the length without an argument
 * and a prefix trim with one; every unknown operator (and every default form) is toDefault.
 */
export function lookupFunc(name: string, argCount: number): SubstituteFunc {
  switch (name) {
    case ',':
      return (s) => mapFirst(s, false)
    case ',,':
      return (s) => mapAll(s, false)
    case '^':
      return (s) => mapFirst(s, true)
    case '^^':
      return (s) => mapAll(s, true)
    case '#':
      return argCount === 0 ? (s) => toBytes(String(s.length)) : trimPrefixWith(trimShortest)
    case '##':
      return trimPrefixWith(trimLongest)
    case '%':
      return trimSuffixWith(trimShortest)
    case '%%':
      return trimSuffixWith(trimLongest)
    case ':':
      return substr
    case '/#':
      return replacePrefix
    case '/%':
      return replaceSuffix
    case '/':
      return replaceFirst
    case '//':
      return replaceAll
    default:
      return toDefault
  }
}

/** Operators that supply their own value when the variable is missing (exempt from strict mode, S-11). */
export function isDefaultOperator(name: string): boolean {
  return ['-', '+', '=', '?', ':-', ':+', ':=', ':?'].includes(name)
}

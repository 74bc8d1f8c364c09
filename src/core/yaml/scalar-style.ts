import { isPrintable } from './printable.js'

/**
 * How go-yaml v2 (kustomize's printer) writes a string: plain when it would read back as the
 * same string under YAML 1.1 rules and libyaml allows plain there, else single-quoted, else
 * double-quoted; strings with a line break become literal blocks when libyaml allows.
 */
export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal'

const V2_SPECIAL = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE',
  'on', 'On', 'ON', 'off', 'Off', 'OFF', '', '~', 'null', 'Null', 'NULL',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN', '<<',
])

const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/
const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/
const TIMESTAMP = [
  /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?(?:\s*(?:Z|[-+]\d{1,2}(?::\d{2})?))?$/,
  /^\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d{2}:\d{2}(?:\.\d*)?$/,
  /^\d{4}-\d{1,2}-\d{1,2}$/,
]

/** Go's strconv.ParseInt/ParseUint with base 0 (after YAML's underscore stripping). */
export function goParseIntBase0(s: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s)
  if (!m) return undefined
  const sign = m[1] === '-' ? -1n : 1n
  let body = m[2] as string
  let v: bigint
  if (/^0[oO]/.test(body)) v = BigInt('0o' + body.slice(2))
  else if (/^0[xXbB]/.test(body)) v = BigInt(body.toLowerCase())
  else if (body.length > 1 && body.startsWith('0')) v = BigInt('0o' + body.slice(1))
  else v = BigInt(body)
  body = ''
  return sign * v
}

/** True when go-yaml v2 would read the plain text `s` as something other than a string. */
function resolvesNonString(s: string): boolean {
  if (V2_SPECIAL.has(s)) return true
  const c = s[0]
  if (c === undefined) return true
  if (c === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s)
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return false
  if (TIMESTAMP.some((r) => r.test(s))) return true
  const plain = s.replace(/_/g, '')
  if (goParseIntBase0(plain) !== undefined) {
    const v = goParseIntBase0(plain) as bigint
    if (v >= -(2n ** 63n) && v < 2n ** 64n) return true
  }
  if (YAML_FLOAT.test(plain)) return true
  if (/^-?0b[01]+$/.test(plain)) return true
  return false
}

const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029'
const isBlankz = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\t' || isBreak(c)

interface Analysis {
  blockPlain: boolean
  singleAllowed: boolean
  blockAllowed: boolean
}

/** libyaml's yaml_emitter_analyze_scalar, reduced to what block context needs. */
function analyze(s: string): Analysis {
  if (s === '') return { blockPlain: false, singleAllowed: true, blockAllowed: false }
  const chars = [...s]
  let blockIndicators = s.startsWith('---') || s.startsWith('...')
  let special = false
  let lineBreaks = false
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
  let breakSpace = false, spaceBreak = false, prevSpace = false, prevBreak = false
  let precededByWs = true
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    const followedByWs = isBlankz(chars[i + 1])
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) blockIndicators = true
      if ((c === '?' || c === ':' || c === '-') && followedByWs) blockIndicators = true
    } else if (c === ':' && followedByWs) blockIndicators = true
    else if (c === '#' && precededByWs) blockIndicators = true
    if (!isPrintable(c.codePointAt(0) as number) || c === '\ufeff') special = true
    if (isBreak(c)) lineBreaks = true
    if (c === ' ') {
      if (i === 0) leadingSpace = true
      if (i === chars.length - 1) trailingSpace = true
      if (prevBreak) breakSpace = true
      prevSpace = true
      prevBreak = false
    } else if (isBreak(c)) {
      if (i === 0) leadingBreak = true
      if (i === chars.length - 1) trailingBreak = true
      if (prevSpace) spaceBreak = true
      prevBreak = true
      prevSpace = false
    } else {
      prevSpace = false
      prevBreak = false
    }
    precededByWs = isBlankz(c)
  }
  let blockPlain = true, singleAllowed = true, blockAllowed = true
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) blockPlain = false
  if (trailingSpace) blockAllowed = false
  if (breakSpace) blockPlain = singleAllowed = false
  if (spaceBreak || special) blockPlain = singleAllowed = blockAllowed = false
  if (lineBreaks) blockPlain = false
  if (blockIndicators) blockPlain = false
  return { blockPlain, singleAllowed, blockAllowed }
}

/** The style go-yaml v2 picks for a string in block context (`isKey`: a simple mapping key). */
export function scalarStyle(s: string, isKey: boolean): ScalarStyle {
  const canPlain = !resolvesNonString(s) && !BASE60.test(s)
  let wanted: ScalarStyle = s.includes('\n') ? 'literal' : canPlain ? 'plain' : 'double'
  const a = analyze(s)
  if (wanted === 'plain') {
    if (!a.blockPlain || (s === '' && isKey)) wanted = 'single'
  }
  if (wanted === 'literal') {
    if (!a.blockAllowed || isKey) wanted = 'double'
  }
  if (wanted === 'single' && !a.singleAllowed) wanted = 'double'
  return wanted
}

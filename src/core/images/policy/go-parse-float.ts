/**
 * Go `strconv.ParseFloat(s, 64)` acceptance and value (I-8): decimal and hexadecimal
 * (`0x1p-2`) literals, `_` separators only after a base prefix, case-insensitive `inf`,
 * `infinity`, `nan` (signs only on infinities); a finite literal too large for a float64
 * is an error (ErrRange). Returns undefined when Go would return an error.
 */
export function goParseFloat(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity)$/i.exec(s)
  if (special) return special[1] === '-' ? -Infinity : Infinity
  if (/^nan$/i.test(s)) return NaN
  const dec = /^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/
  if (dec.test(s)) return finite(Number(s))
  const hex = /^([+-]?)0[xX]((?:[0-9a-fA-F_]+\.?[0-9a-fA-F_]*|\.[0-9a-fA-F_]+))[pP]([+-]?[0-9_]+)$/.exec(s)
  if (!hex || !underscoresOk(s)) return undefined
  const [, sign, mantissa = '', exp = ''] = hex
  const clean = mantissa.replaceAll('_', '')
  const [intPart = '', fracPart = ''] = clean.split('.')
  const digits = intPart + fracPart
  if (digits === '') return undefined
  let value = 0
  for (const d of digits) value = value * 16 + parseInt(d, 16)
  const e = Number(exp.replaceAll('_', '')) - 4 * fracPart.length
  const result = finite(value * 2 ** e)
  return result === undefined ? undefined : sign === '-' ? -result : result
}

function finite(n: number): number | undefined {
  return Number.isFinite(n) ? n : undefined
}

/** Go's underscoreOK: `_` only between digits (or after the base prefix). */
function underscoresOk(s: string): boolean {
  if (!s.includes('_')) return true
  const body = s.replace(/^[+-]/, '')
  return !/__|_$|_[.pP]|[.pP+-]_/.test(body.slice(2)) && !body.slice(2).startsWith('.')
}

import { TemplateError } from './parse.js'
import { formatValue, GoMap, isTruthy } from './values.js'

/** A template function: arguments in order, the piped value last. */
export type TemplateFunc = (...args: unknown[]) => unknown
type Fn = TemplateFunc

const str = (v: unknown): string => formatValue(v)
const num = (v: unknown): number => {
  const n = typeof v === 'number' ? v : Number(v)
  if (Number.isNaN(n)) throw new TemplateError(`expected a number, got ${formatValue(v)}`)
  return n
}
/** Templates come from pull requests: a count that would build a huge string fails instead. */
const MAX_BUILT = 1_000_000
const count = (v: unknown, unit: number): number => {
  const n = Math.max(0, Math.trunc(num(v)))
  if (n * Math.max(1, unit) > MAX_BUILT) throw new TemplateError(`${n} is too large here: the result would exceed ${MAX_BUILT} characters`)
  return n
}
const list = (v: unknown): unknown[] => {
  if (Array.isArray(v)) return v
  if (v instanceof GoMap) return v.sortedEntries().map(([, x]) => x)
  if (v === undefined || v === null) return []
  throw new TemplateError(`expected a list, got ${formatValue(v)}`)
}
const length = (v: unknown): number => {
  if (typeof v === 'string' || Array.isArray(v)) return v.length
  if (v instanceof GoMap) return v.size
  throw new TemplateError(`len of ${formatValue(v)}`)
}

/** Go's fmt verbs that templates use: %s %v %d %q %t %x %f, widths, and %%. */
export function sprintf(format: string, ...args: unknown[]): string {
  let i = 0
  return format.replace(/%([-+ 0#]*)(\d+)?(?:\.(\d+))?([svdqtxXf%])/g, (_m, flags: string, width?: string, prec?: string, verb?: string) => {
    if (verb === '%') return '%'
    const arg = args[i++]
    let s: string
    if (arg === undefined && i > args.length) s = `%!${verb}(MISSING)`
    else if (verb === 'q') s = JSON.stringify(str(arg))
    else if (verb === 'd') s = String(Math.trunc(num(arg)))
    else if (verb === 'x' || verb === 'X') s = typeof arg === 'number' ? arg.toString(16) : [...new TextEncoder().encode(str(arg))].map((b) => b.toString(16).padStart(2, '0')).join('')
    else if (verb === 'f') s = num(arg).toFixed(prec === undefined ? 6 : Number(prec))
    else s = str(arg)
    if (verb === 'X') s = s.toUpperCase()
    if (verb === 's' && prec !== undefined) s = s.slice(0, Number(prec))
    const w = width === undefined ? 0 : count(width, 1)
    return flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') && verb !== 's' ? '0' : ' ')
  })
}

function eq(a: unknown, ...bs: unknown[]): boolean {
  return bs.some((b) => a === b)
}

function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0
  throw new TemplateError(`incompatible types for comparison: ${formatValue(a)} and ${formatValue(b)}`)
}

/**
 * Go's builtin template functions and the Sprig functions real commit templates use. The
 * Sprig argument order is kept: the piped value is the last argument (`replace "a" "b" .X`).
 */
export const FUNCS: Readonly<Record<string, Fn>> = Object.freeze({
  // Go builtins
  and: (...a: unknown[]) => a.find((x) => !isTruthy(x)) ?? a[a.length - 1],
  or: (...a: unknown[]) => a.find((x) => isTruthy(x)) ?? a[a.length - 1],
  not: (a: unknown) => !isTruthy(a),
  len: length,
  index: (c: unknown, ...keys: unknown[]) => keys.reduce((v, k) => (v instanceof GoMap ? v.lookup(str(k)) : Array.isArray(v) ? v[num(k)] : undefined), c),
  print: (...a: unknown[]) => a.map(str).join(''),
  println: (...a: unknown[]) => a.map(str).join(' ') + '\n',
  printf: (f: unknown, ...a: unknown[]) => sprintf(str(f), ...a),
  eq,
  ne: (a: unknown, b: unknown) => a !== b,
  lt: (a: unknown, b: unknown) => cmp(a, b) < 0,
  le: (a: unknown, b: unknown) => cmp(a, b) <= 0,
  gt: (a: unknown, b: unknown) => cmp(a, b) > 0,
  ge: (a: unknown, b: unknown) => cmp(a, b) >= 0,
  // Sprig strings
  upper: (s: unknown) => str(s).toUpperCase(),
  lower: (s: unknown) => str(s).toLowerCase(),
  title: (s: unknown) => str(s).replace(/\b\w/g, (c) => c.toUpperCase()),
  trim: (s: unknown) => str(s).trim(),
  trimAll: (cut: unknown, s: unknown) => trimChars(str(s), str(cut)),
  trimPrefix: (p: unknown, s: unknown) => (str(s).startsWith(str(p)) ? str(s).slice(str(p).length) : str(s)),
  trimSuffix: (p: unknown, s: unknown) => (str(p) !== '' && str(s).endsWith(str(p)) ? str(s).slice(0, -str(p).length) : str(s)),
  replace: (o: unknown, n: unknown, s: unknown) => str(s).split(str(o)).join(str(n)),
  contains: (sub: unknown, s: unknown) => str(s).includes(str(sub)),
  hasPrefix: (p: unknown, s: unknown) => str(s).startsWith(str(p)),
  hasSuffix: (p: unknown, s: unknown) => str(s).endsWith(str(p)),
  quote: (...a: unknown[]) => a.map((x) => JSON.stringify(str(x))).join(' '),
  squote: (...a: unknown[]) => a.map((x) => `'${str(x)}'`).join(' '),
  repeat: (n: unknown, s: unknown) => str(s).repeat(count(n, str(s).length)),
  substr: (a: unknown, b: unknown, s: unknown) => str(s).slice(num(a), num(b) < 0 ? undefined : num(b)),
  trunc: (n: unknown, s: unknown) => (num(n) >= 0 ? str(s).slice(0, num(n)) : str(s).slice(num(n))),
  indent: (n: unknown, s: unknown) => str(s).split('\n').map((l, _i, all) => ' '.repeat(count(n, all.length)) + l).join('\n'),
  nindent: (n: unknown, s: unknown) => '\n' + str(s).split('\n').map((l, _i, all) => ' '.repeat(count(n, all.length)) + l).join('\n'),
  nospace: (s: unknown) => str(s).replace(/\s+/g, ''),
  cat: (...a: unknown[]) => a.filter((x) => x !== undefined && x !== null).map(str).join(' '),
  toString: (s: unknown) => str(s),
  splitList: (sep: unknown, s: unknown) => str(s).split(str(sep)),
  join: (sep: unknown, l: unknown) => list(l).map(str).join(str(sep)),
  base: (s: unknown) => str(s).split('/').filter(Boolean).pop() ?? '/',
  dir: (s: unknown) => (str(s).includes('/') ? str(s).slice(0, str(s).lastIndexOf('/')) || '/' : '.'),
  // Sprig defaults and lists
  default: (d: unknown, v?: unknown) => (isTruthy(v) ? v : d),
  empty: (v: unknown) => !isTruthy(v),
  coalesce: (...a: unknown[]) => a.find(isTruthy),
  ternary: (a: unknown, b: unknown, c: unknown) => (isTruthy(c) ? a : b),
  list: (...a: unknown[]) => a,
  first: (l: unknown) => list(l)[0],
  last: (l: unknown) => list(l)[list(l).length - 1],
  uniq: (l: unknown) => [...new Set(list(l))],
  sortAlpha: (l: unknown) => list(l).map(str).sort(),
  keys: (...maps: unknown[]) => maps.flatMap((m) => (m instanceof GoMap ? m.keys() : [])),
  has: (x: unknown, l: unknown) => list(l).includes(x),
  add: (...a: unknown[]) => a.reduce<number>((s, x) => s + num(x), 0),
  sub: (a: unknown, b: unknown) => num(a) - num(b),
})

function trimChars(s: string, cut: string): string {
  let a = 0
  let b = s.length
  while (a < b && cut.includes(s[a]!)) a++
  while (b > a && cut.includes(s[b - 1]!)) b--
  return s.slice(a, b)
}

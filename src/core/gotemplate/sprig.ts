import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { decodeBase64, encodeBase64 } from '../model/base64.js'
import { compileRe2 } from '../regex/index.js'
import { emitDocument } from '../yaml/index.js'
import { FUNCS, type TemplateFunc } from './funcs.js'
import { TemplateError } from './parse.js'
import { formatValue, GoMap, isTruthy } from './values.js'

/*
 * The rest of slim-sprig's hermetic functions (github.com/go-task/slim-sprig, functions.go),
 * for templates that get the whole map (Flux Operator ResourceSets). Piped values come last,
 * as in Sprig. Dates, randomness and the environment are left out: they are not hermetic.
 */

const str = (v: unknown): string => (v === undefined || v === null ? '' : formatValue(v))

/** cast.ToInt64: numbers truncate, numeric strings parse (base 10, else 0), booleans are 1/0. */
export function toInt(v: unknown): number {
  if (typeof v === 'number') return Math.trunc(v)
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    const t = v.trim()
    if (/^[-+]?\d+$/.test(t)) return Number(t)
    if (/^[-+]?\d*\.\d+$/.test(t)) return Math.trunc(Number(t))
    return 0
  }
  return 0
}

function toFloat(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'string') {
    const n = Number(v.trim())
    return Number.isNaN(n) ? 0 : n
  }
  return 0
}

function list(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (v === undefined || v === null) return []
  throw new TemplateError(`expected a list, got ${formatValue(v)}`)
}

/** A value as JSON (Go's json.Marshal: map keys sorted, `<`, `>`, `&` escaped). */
export function toGoJson(v: unknown, indent = ''): string {
  const plain = toPlain(v)
  const text = JSON.stringify(sortKeys(plain), null, indent || undefined) ?? 'null'
  return text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026')
}

/** GoMaps and arrays to plain JSON values. */
export function toPlain(v: unknown): unknown {
  if (v instanceof GoMap) {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [k, x] of v.sortedEntries()) o[str(k)] = toPlain(x)
    return o
  }
  if (Array.isArray(v)) return v.map(toPlain)
  return v === undefined ? null : v
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(v).sort()) o[k] = sortKeys((v as Record<string, unknown>)[k])
    return { ...o }
  }
  return v
}

/** JSON values to template values: objects become GoMaps (so `missingkey=error` applies). */
export function fromPlain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(fromPlain)
  if (v && typeof v === 'object' && !(v instanceof GoMap)) return new GoMap(Object.entries(v).map(([k, x]) => [k, fromPlain(x)]))
  return v
}

/** sigs.k8s.io/yaml Marshal (go-yaml v2 through JSON), as Flux Operator's toYaml. */
export function toGoYaml(v: unknown): string {
  const plain = toPlain(v)
  if (plain === null) return 'null\n'
  return emitDocument(JSON.parse(JSON.stringify(plain)) as never)
}

/**
 * gosimple/slug's Make as the operator configures it (max 63 characters, smart truncate):
 * lower case, accents dropped, `&` → `and`, `@` → `at`, other runs of non-alphanumerics → `-`.
 */
export function slugify(text: string): string {
  let s = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/&/g, ' and ')
    .replace(/@/g, ' at ')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '')
  if (s.length > 63) {
    const cut = s.slice(0, 63)
    const at = cut.lastIndexOf('-')
    s = at > 0 ? cut.slice(0, at) : cut
  }
  return s
}

function regex(pattern: unknown): ReturnType<typeof compileRe2> & { ok: true } {
  const c = compileRe2(str(pattern))
  if (!c.ok) throw new TemplateError(c.error)
  return c
}

function kindOf(v: unknown): string {
  if (v === undefined || v === null) return 'invalid'
  if (typeof v === 'string') return 'string'
  if (typeof v === 'boolean') return 'bool'
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64'
  if (Array.isArray(v)) return 'slice'
  if (v instanceof GoMap) return 'map'
  return 'struct'
}

function dict(...kv: unknown[]): GoMap {
  const entries: [unknown, unknown][] = []
  for (let i = 0; i < kv.length; i += 2) entries.push([str(kv[i]), i + 1 < kv.length ? kv[i + 1] : ''])
  return new GoMap(entries)
}

/** The extra functions, keyed by their Sprig names. */
export const SPRIG_FUNCS: ReadonlyMap<string, TemplateFunc> = new Map<string, TemplateFunc>([
  ['int', (v) => toInt(v)],
  ['int64', (v) => toInt(v)],
  ['atoi', (v) => toInt(str(v))],
  ['float64', (v) => toFloat(v)],
  ['toDecimal', (v) => parseInt(str(v), 8) || 0],
  ['toStrings', (v) => list(v).map(str)],
  ['add1', (v) => toInt(v) + 1],
  ['add', (...a) => a.reduce<number>((s, x) => s + toInt(x), 0)],
  ['sub', (a, b) => toInt(a) - toInt(b)],
  ['mul', (a, ...b) => b.reduce<number>((s, x) => s * toInt(x), toInt(a))],
  [
    'div',
    (a, b) => {
      if (toInt(b) === 0) throw new TemplateError('integer divide by zero')
      return Math.trunc(toInt(a) / toInt(b))
    },
  ],
  [
    'mod',
    (a, b) => {
      if (toInt(b) === 0) throw new TemplateError('integer divide by zero')
      return toInt(a) % toInt(b)
    },
  ],
  ['max', (a, ...b) => Math.max(toInt(a), ...b.map(toInt))],
  ['biggest', (a, ...b) => Math.max(toInt(a), ...b.map(toInt))],
  ['min', (a, ...b) => Math.min(toInt(a), ...b.map(toInt))],
  ['maxf', (a, ...b) => Math.max(toFloat(a), ...b.map(toFloat))],
  ['minf', (a, ...b) => Math.min(toFloat(a), ...b.map(toFloat))],
  ['floor', (v) => Math.floor(toFloat(v))],
  ['ceil', (v) => Math.ceil(toFloat(v))],
  ['round', (v, p) => Number(toFloat(v).toFixed(toInt(p)))],
  ['until', (n) => Array.from({ length: Math.max(0, Math.min(toInt(n), 10_000)) }, (_, i) => i)],
  ['trimall', (cut, s) => FUNCS['trimAll']!(cut, s)],
  ['plural', (one, many, n) => (toInt(n) === 1 ? str(one) : str(many))],
  ['split', (sep, s) => new GoMap(str(s).split(str(sep)).map((p, i) => [`_${i}`, p]))],
  [
    'splitn',
    (sep, n, s) => {
      const parts = str(s).split(str(sep))
      const k = toInt(n)
      const kept = k > 0 && parts.length > k ? [...parts.slice(0, k - 1), parts.slice(k - 1).join(str(sep))] : parts
      return new GoMap(kept.map((p, i) => [`_${i}`, p]))
    },
  ],
  ['sha256sum', (s) => bytesToHex(sha256(utf8ToBytes(str(s))))],
  ['b64enc', (s) => encodeBase64(str(s))],
  ['b64dec', (s) => decodeBase64(str(s))],
  ['toJson', (v) => toGoJson(v)],
  ['mustToJson', (v) => toGoJson(v)],
  ['toRawJson', (v) => toGoJson(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&')],
  ['mustToRawJson', (v) => toGoJson(v).replace(/\\u003c/g, '<').replace(/\\u003e/g, '>').replace(/\\u0026/g, '&')],
  ['toPrettyJson', (v) => toGoJson(v, '  ')],
  ['mustToPrettyJson', (v) => toGoJson(v, '  ')],
  [
    'fromJson',
    (s) => {
      try {
        return fromPlain(JSON.parse(str(s)))
      } catch {
        return new GoMap([])
      }
    },
  ],
  ['toYaml', (v) => toGoYaml(v)],
  ['mustToYaml', (v) => toGoYaml(v)],
  ['slugify', (s) => slugify(str(s))],
  ['kindOf', (v) => kindOf(v)],
  ['kindIs', (k, v) => kindOf(v) === str(k)],
  ['typeOf', (v) => (v instanceof GoMap ? 'map[string]interface {}' : Array.isArray(v) ? '[]interface {}' : kindOf(v))],
  ['deepEqual', (a, b) => toGoJson(a) === toGoJson(b)],
  ['dict', dict],
  ['get', (m, k) => (m instanceof GoMap && m.has(str(k)) ? m.lookup(str(k)) : '')],
  ['hasKey', (m, k) => m instanceof GoMap && m.has(str(k))],
  ['set', (m, k, v) => (m instanceof GoMap ? m.put(str(k), v) : m)],
  ['unset', (m, k) => (m instanceof GoMap ? m.remove(str(k)) : m)],
  ['values', (m) => (m instanceof GoMap ? m.sortedEntries().map(([, v]) => v) : [])],
  ['pick', (m, ...ks) => (m instanceof GoMap ? new GoMap(m.sortedEntries().filter(([k]) => ks.map(str).includes(str(k)))) : new GoMap([]))],
  ['omit', (m, ...ks) => (m instanceof GoMap ? new GoMap(m.sortedEntries().filter(([k]) => !ks.map(str).includes(str(k)))) : new GoMap([]))],
  ['pluck', (k, ...ms) => ms.filter((m): m is GoMap => m instanceof GoMap && m.has(str(k))).map((m) => m.lookup(str(k)))],
  [
    'dig',
    (...a) => {
      const m = a[a.length - 1]
      const dflt = a[a.length - 2]
      let v: unknown = m
      for (const k of a.slice(0, -2)) {
        if (!(v instanceof GoMap) || !v.has(str(k))) return dflt
        v = v.lookup(str(k))
      }
      return v
    },
  ],
  ['append', (l, v) => [...list(l), v]],
  ['push', (l, v) => [...list(l), v]],
  ['mustAppend', (l, v) => [...list(l), v]],
  ['prepend', (l, v) => [v, ...list(l)]],
  ['concat', (...ls) => ls.flatMap(list)],
  ['rest', (l) => list(l).slice(1)],
  ['initial', (l) => list(l).slice(0, -1)],
  ['reverse', (l) => [...list(l)].reverse()],
  ['compact', (l) => list(l).filter(isTruthy)],
  ['without', (l, ...vs) => list(l).filter((x) => !vs.includes(x))],
  ['slice', (l, ...i) => list(l).slice(...i.map(toInt))],
  ['tuple', (...a) => a],
  ['all', (...a) => a.every(isTruthy)],
  ['any', (...a) => a.some(isTruthy)],
  ['regexMatch', (re, s) => regex(re).re.test(str(s))],
  ['mustRegexMatch', (re, s) => regex(re).re.test(str(s))],
  [
    'regexFind',
    (re, s) => {
      const m = regex(re).re.exec(str(s))
      return m ? m[0] : ''
    },
  ],
  [
    'regexReplaceAll',
    (re, s, repl) => {
      const r = regex(re).re
      let out = ''
      let rest = str(s)
      for (let guard = 0; guard < 100_000; guard++) {
        const m = r.exec(rest)
        if (!m || m[0] === '') return out + rest
        out += rest.slice(0, m.index) + str(repl).replace(/\$(\d+)|\$\{(\w+)\}/g, (_x, n: string | undefined, name: string | undefined) => str(n !== undefined ? m[Number(n)] : m.groups?.[name!]))
        rest = rest.slice(m.index + m[0].length)
      }
      return out + rest
    },
  ],
  ['regexQuoteMeta', (s) => str(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')],
  ['clean', (s) => cleanPath(str(s))],
  ['ext', (s) => /(\.[^./]*)$/.exec(str(s))?.[1] ?? ''],
  ['isAbs', (s) => str(s).startsWith('/')],
  ['fail', (msg) => {
    throw new TemplateError(str(msg))
  }],
])

function cleanPath(p: string): string {
  const abs = p.startsWith('/')
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop()
      else if (!abs) out.push('..')
    } else out.push(seg)
  }
  const joined = out.join('/')
  return abs ? `/${joined}` : joined || '.'
}

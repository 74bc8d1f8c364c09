import type { JsonValue } from '../model/object.js'

/*
 * The scalars of block-simple.ts, each on one line: plain, quoted, `[]`, `{}` and flow
 * sequences of scalars. Every helper throws MISS where the text leaves that part.
 */

/** How a dialect resolves an untagged plain scalar (kyaml's go-yaml v3 rules, or YAML 1.2 core). */
export type PlainResolver = (s: string) => JsonValue

/** Thrown inside the reader when the text leaves the supported part; never escapes it. */
export const MISS = Symbol('outside the simple block subset')

/** YAML's indicators: a plain scalar never starts with one (`-` is let through with care). */
export const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`'])

/** The text before a ` #` comment. */
export function beforeComment(text: string): string {
  const cut = text.indexOf(' #')
  return cut < 0 ? text : text.slice(0, cut)
}

/** `[a, "b", 'c']` on one line: scalars only, no empty or trailing entry. */
export function flowSeq(text: string, resolve: PlainResolver): JsonValue[] {
  const out: JsonValue[] = []
  let i = 1
  for (;;) {
    while (text[i] === ' ') i++
    const c = text[i]
    if (c === '"' || c === "'") {
      const rest = text.slice(i)
      const end = quotedEnd(rest)
      if (end < 0) throw MISS
      out.push(quotedBody(rest, end))
      i += end + 1
    } else {
      let j = i
      while (j < text.length && text[j] !== ',' && text[j] !== ']') j++
      const plain = trimSpacesEnd(text.slice(i, j))
      if (plain === '' || FLOW_UNSAFE.test(plain) || (INDICATORS.has(plain[0]!) && !/^-[A-Za-z0-9.]/.test(plain))) throw MISS
      out.push(resolve(plain))
      i = j
    }
    while (text[i] === ' ') i++
    if (text[i] === ']') break
    if (text[i] !== ',') throw MISS
    i++
  }
  onlyComment(text, i + 1)
  return out
}

/** What a plain scalar inside a flow sequence may not hold here: flow indicators, `:`, a comment. */
const FLOW_UNSAFE = /[[\]{}:#"']/

/** A one-line scalar (or `[]`, `{}`). */
export function scalar(text: string, resolve: PlainResolver): JsonValue {
  const c = text[0]!
  if (c === '"' || c === "'") {
    const end = quotedEnd(text)
    if (end < 0) throw MISS
    onlyComment(text, end + 1)
    return quotedBody(text, end)
  }
  if (c === '[' || c === '{') {
    if (text[1] !== (c === '[' ? ']' : '}')) throw MISS
    onlyComment(text, 2)
    return c === '[' ? [] : {}
  }
  // `-1` and `--flag` are plain; `- ` would start a sequence where none may.
  if (INDICATORS.has(c) && !(c === '-' && text.length > 1 && text[1] !== ' ')) throw MISS
  const v = trimSpacesEnd(beforeComment(text))
  if (v.includes(': ') || v.endsWith(':')) throw MISS
  return resolve(v)
}

/** Offset of the closing quote of the quoted scalar `text` starts with; -1 when the line has none or it escapes. */
export function quotedEnd(text: string): number {
  const q = text[0]
  if (q === '"') {
    const end = text.indexOf('"', 1)
    return end < 0 || text.slice(1, end).includes('\\') ? -1 : end
  }
  for (let i = 1; i < text.length; i++) {
    if (text[i] !== "'") continue
    if (text[i + 1] === "'") i++
    else return i
  }
  return -1
}

export function quotedBody(text: string, end: number): string {
  const body = text.slice(1, end)
  return text[0] === "'" ? body.replaceAll("''", "'") : body
}

/** Nothing but spaces and a ` #` comment may follow a scalar. */
export function onlyComment(text: string, from: number): void {
  const tail = text.slice(from)
  if (tail !== '' && !/^ +#/.test(tail)) throw MISS
}

// YAML's white space here is the space alone (tabs go to the package); String#trim would
// also take no-break and other Unicode spaces, which belong to a plain scalar.
export function trimSpacesEnd(s: string): string {
  let e = s.length
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--
  return e === s.length ? s : s.slice(0, e)
}

export function trimSpacesStart(s: string): string {
  let b = 0
  while (b < s.length && s.charCodeAt(b) === 32) b++
  return b === 0 ? s : s.slice(b)
}

/**
 * A fast path for printing YAML 1.2 with the `yaml` library's settings `lineWidth: 0` (the
 * render's output, plan diffs, `get -o yaml`). Printing a rendered object through the library
 * builds a whole document of nodes first: that was 7 % of a 1,000-Kustomization render. Most
 * objects hold only maps, lists, safe integers, booleans, null and printable ASCII strings,
 * which the library prints by a few fixed rules: block style, two spaces per level, a list
 * indented under its key, a one-line string plain unless its characters forbid it (YAML 1.2
 * §7.3.3) or the core schema would read it as something else (§10.3.2), then quoted, double
 * quotes unless the text holds a `"` and no `'`; a multi-line string as a literal block
 * scalar. This prints those values directly and returns undefined for everything else (a
 * float, a non-ASCII string, a backslash in a one-line string, a multi-line string the
 * library would print with an indicator, a repeated object, a long key, anything not plain
 * data), which the library then prints whole. yaml12-simple.test.ts holds both to
 * byte-identical output on random values built from the characters these rules turn on.
 */
export function printSimpleYaml12(value: unknown): string | undefined {
  const p = new SimplePrinter()
  try {
    if (isList(value)) {
      if (value.length === 0) return '[]\n'
      p.list(value, '')
    } else if (isMap(value)) {
      if (Object.keys(value).length === 0) return '{}\n'
      p.map(value, '')
    } else return `${scalar(value)}\n`
    return p.out
  } catch (e) {
    if (e === NOT_SIMPLE) return undefined
    throw e
  }
}

const NOT_SIMPLE = Symbol('not simple')

/** Longest key printed as `key: value`: past 1024 characters the library writes `? key`. */
const MAX_KEY = 1000

class SimplePrinter {
  out = ''
  private readonly seen = new Set<object>()

  /** Entries of a map at `indent`; the first line's indent is left out when `inline` (after `- `). */
  map(m: Record<string, unknown>, indent: string, inline = false): void {
    this.visit(m)
    let first = inline
    for (const [k, v] of Object.entries(m)) {
      if (k === '__proto__' || k.length > MAX_KEY) throw NOT_SIMPLE
      this.out += `${first ? '' : indent}${scalar(k)}:`
      first = false
      this.child(v, indent, false)
    }
  }

  list(l: readonly unknown[], indent: string, inline = false): void {
    this.visit(l)
    let first = inline
    for (const item of l) {
      this.out += `${first ? '' : indent}-`
      first = false
      this.child(item, indent, true)
    }
  }

  /**
   * What follows a map key's `:` or a list's `-` at `indent`: a scalar or an empty collection
   * on the same line; a collection one level deeper, on the next line after a key and on the
   * same line after a dash.
   */
  private child(v: unknown, indent: string, afterDash: boolean): void {
    if (isMap(v) && Object.keys(v).length > 0) {
      this.out += afterDash ? ' ' : '\n'
      this.map(v, `${indent}  `, afterDash)
    } else if (isList(v) && v.length > 0) {
      this.out += afterDash ? ' ' : '\n'
      this.list(v, `${indent}  `, afterDash)
    } else if (typeof v === 'string' && v.includes('\n')) this.out += ` ${literal(v, `${indent}  `)}`
    else this.out += ` ${leaf(v)}\n`
  }

  // The library writes an object met twice as an anchor and an alias.
  private visit(o: object): void {
    if (this.seen.has(o)) throw NOT_SIMPLE
    this.seen.add(o)
  }
}

function isList(v: unknown): v is readonly unknown[] {
  return Array.isArray(v)
}

function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/** A value printed on its key's or dash's line: a scalar or an empty collection. */
function leaf(v: unknown): string {
  if (isMap(v)) return '{}'
  if (isList(v)) return '[]'
  return scalar(v)
}

function scalar(v: unknown): string {
  if (v === null) return 'null'
  if (v === true) return 'true'
  if (v === false) return 'false'
  if (typeof v === 'number' && Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v)
  if (typeof v === 'string') return text(v)
  throw NOT_SIMPLE
}

/** Printable ASCII without a backslash: quoting never needs an escape. */
const SIMPLE_CHARS = /^[\x20-\x5b\x5d-\x7e]*$/

/** Text a plain scalar cannot be (§7.3.3): an indicator first, `: ` or ` #` inside, a space or `:` last. */
const NOT_PLAIN = /^[ ,[\]{}#&*!|>'"%@`]|^[-?]$|^[-?] |: | #|[ :]$/

/** Text the core schema resolves to null, a boolean, an integer or a float (§10.3.2). */
const CORE_NON_STRING =
  /^(?:|~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/

/** A document marker at a line start: the library's choice of style then depends on the indent. */
const DOCUMENT_MARKER = /^(?:%|---|\.\.\.)/

/**
 * A multi-line string as the library prints it, a literal block scalar: `|-` without a final
 * line break, `|` with one, each line at `indent` but empty ones. Declined: a first line
 * that starts with a space or is empty (the library adds an indentation indicator or indents
 * it), a line break in the trailing spaces and line breaks other than the very last character
 * (the library keeps them with `|+`, or quotes the string when its last line is only spaces),
 * anything but printable ASCII.
 */
function literal(s: string, indent: string): string {
  if (!MULTI_LINE_CHARS.test(s) || s[0] === ' ' || s[0] === '\n') throw NOT_SIMPLE
  // Scanned from the end by hand: `/[ \n]*$/` retries at every blank of a long run (quadratic).
  let end = s.length
  while (end > 0 && (s[end - 1] === ' ' || s[end - 1] === '\n')) end--
  const breakAt = s.indexOf('\n', end)
  if (breakAt !== -1 && breakAt !== s.length - 1) throw NOT_SIMPLE
  const clip = s.endsWith('\n')
  const lines = (clip ? s.slice(0, -1) : s).split('\n')
  return `${clip ? '|' : '|-'}\n${lines.map((l) => (l === '' ? '\n' : `${indent}${l}\n`)).join('')}`
}

/** Printable ASCII and line feeds: a literal block scalar holds them as they are. */
const MULTI_LINE_CHARS = /^[\x20-\x7e\n]*$/

function text(s: string): string {
  if (!SIMPLE_CHARS.test(s) || DOCUMENT_MARKER.test(s)) throw NOT_SIMPLE
  if (!NOT_PLAIN.test(s) && !CORE_NON_STRING.test(s)) return s
  const double = s.includes('"')
  if (!double) return `"${s}"`
  if (!s.includes("'")) return `'${s}'`
  throw NOT_SIMPLE
}

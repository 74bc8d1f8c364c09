/**
 * Translates a Go (RE2) regular expression into an equivalent JS RegExp (I-2, I-4), or
 * reports that Go would reject it. RE2 has no look-around and no back-references, its
 * `\s` `\d` `\w` are ASCII-only, `(?P<name>…)` names groups, `{` that does not start a
 * repeat is literal, and a `]` first in a class is literal. Flag groups are supported only
 * at the very start (`(?i)`); elsewhere they are reported as unsupported.
 */
export function compileGoRegexp(pattern: string): { ok: true; re: RegExp } | { ok: false; error: string } {
  try {
    const { source, flags } = new Translator(pattern).run()
    return { ok: true, re: new RegExp(source, flags) }
  } catch (err) {
    if (err instanceof GoSyntaxError) return { ok: false, error: `error parsing regexp: ${err.message}` }
    return { ok: false, error: `error parsing regexp: ${err instanceof Error ? err.message : String(err)}` }
  }
}

class GoSyntaxError extends Error {}

const SYNTAX = new Set(['^', '$', '\\', '.', '*', '+', '?', '(', ')', '[', ']', '{', '}', '|', '/'])
const SPACE = '\\t\\n\\f\\r '
const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
}

function escapeLiteral(ch: string, inClass: boolean): string {
  if (SYNTAX.has(ch) || (inClass && ch === '-')) return `\\${ch}`
  const cp = ch.codePointAt(0)!
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`
  return ch
}

class Translator {
  private i = 0
  private out = ''
  private flags = 'u'

  constructor(private readonly p: string) {}

  run(): { source: string; flags: string } {
    this.leadingFlags()
    let depth = 0
    while (this.i < this.p.length) {
      const c = this.p[this.i]!
      if (c === '\\') this.out += this.escape(false)
      else if (c === '[') this.charClass()
      else if (c === '(') {
        this.group()
        depth++
      } else if (c === ')') {
        if (depth === 0) throw new GoSyntaxError(`unexpected ): \`${this.p}\``)
        depth--
        this.out += ')'
        this.i++
      } else if (c === '{') this.brace()
      else if (c === ']' || c === '}') {
        this.out += `\\${c}`
        this.i++
      } else {
        this.out += c
        this.i++
      }
    }
    if (depth > 0) throw new GoSyntaxError(`missing closing ): \`${this.p}\``)
    return { source: this.out, flags: this.flags }
  }

  private leadingFlags(): void {
    const m = /^\(\?([imsU]+)\)/.exec(this.p)
    if (!m) return
    for (const f of m[1]!) {
      if (f === 'U') throw new GoSyntaxError('the U (ungreedy) flag is not supported by Fluxgate')
      if (!this.flags.includes(f)) this.flags += f
    }
    this.i = m[0].length
  }

  private group(): void {
    const rest = this.p.slice(this.i)
    const named = /^\(\?P?<([A-Za-z0-9_]+)>/.exec(rest)
    if (named) {
      this.out += `(?<${named[1]}>`
      this.i += named[0].length
    } else if (rest.startsWith('(?:')) {
      this.out += '(?:'
      this.i += 3
    } else if (rest.startsWith('(?')) {
      const op = /^\(\?[^)]{0,2}/.exec(rest)![0]
      if (/^\(\?[imsU-]/.test(rest)) throw new GoSyntaxError(`flag groups inside a pattern are not supported by Fluxgate: \`${op}\``)
      throw new GoSyntaxError(`invalid or unsupported Perl syntax: \`${op}\``)
    } else {
      this.out += '('
      this.i++
    }
  }

  /** `{n}`, `{n,}`, `{n,m}` repeat; anything else is a literal brace in RE2. */
  private brace(): void {
    const m = /^\{([0-9]+)(,([0-9]*))?\}/.exec(this.p.slice(this.i))
    if (!m) {
      this.out += '\\{'
      this.i++
      return
    }
    const min = Number(m[1])
    const max = m[3] ? Number(m[3]) : min
    if (min > 1000 || max > 1000 || (m[3] && max < min)) throw new GoSyntaxError(`invalid repeat count: \`${m[0]}\``)
    this.out += m[0]
    this.i += m[0].length
  }

  private escape(inClass: boolean): string {
    const next = this.p[this.i + 1]
    if (next === undefined) throw new GoSyntaxError('trailing backslash at end of expression: ``')
    this.i += 2
    switch (next) {
      case 'd':
      case 'D':
      case 'w':
      case 'W':
      case 'f':
      case 't':
      case 'n':
      case 'r':
      case 'v':
        return `\\${next}`
      case 'b':
      case 'B':
        if (inClass) throw new GoSyntaxError(`invalid escape sequence: \`\\${next}\``)
        return `\\${next}`
      case 'a':
        return '\\x07'
      case 's':
        return inClass ? SPACE : `[${SPACE}]`
      case 'S':
        if (inClass) return '\\S'
        return `[^${SPACE}]`
      case 'A':
        if (inClass) break
        return '(?<![\\s\\S])'
      case 'z':
        if (inClass) break
        return '(?![\\s\\S])'
      case 'x':
        return this.hexEscape()
      case 'p':
      case 'P':
        return this.unicodeClass(next)
      case 'Q':
        return this.quoted(inClass)
    }
    if (/[0-7]/.test(next)) return this.octal(next)
    if (/[0-9A-Za-z]/.test(next)) throw new GoSyntaxError(`invalid escape sequence: \`\\${next}\``)
    // any escaped punctuation is that character
    return escapeLiteral(next, inClass)
  }

  private hexEscape(): string {
    const rest = this.p.slice(this.i)
    const braced = /^\{([0-9A-Fa-f]+)\}/.exec(rest)
    const short = /^[0-9A-Fa-f]{2}/.exec(rest)
    const hex = braced ? braced[1]! : short ? short[0] : undefined
    if (hex === undefined || parseInt(hex, 16) > 0x10ffff) throw new GoSyntaxError('invalid escape sequence: `\\x`')
    this.i += braced ? braced[0].length : 2
    return `\\u{${parseInt(hex, 16).toString(16)}}`
  }

  private octal(first: string): string {
    // a lone \1-\7 is a back-reference, which RE2 rejects; \0 and \NN are octal codes
    const m = /^[0-7]{0,2}/.exec(this.p.slice(this.i))![0]
    if (first !== '0' && m === '') throw new GoSyntaxError(`invalid escape sequence: \`\\${first}\``)
    this.i += m.length
    return `\\u{${parseInt(first + m, 8).toString(16)}}`
  }

  private unicodeClass(kind: string): string {
    const rest = this.p.slice(this.i)
    const m = /^(\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(rest)
    if (!m) throw new GoSyntaxError(`invalid character class range: \`\\${kind}\``)
    this.i += m[0].length
    let name = m[0].replace(/[{}]/g, '')
    let negate = kind === 'P'
    if (name.startsWith('^')) {
      negate = !negate
      name = name.slice(1)
    }
    // one- or two-letter names are general categories; longer ones are scripts (`Greek`)
    const prop = name.length <= 2 || name === 'Any' ? name : `Script=${name}`
    return `\\${negate ? 'P' : 'p'}{${prop}}`
  }

  private quoted(inClass: boolean): string {
    const end = this.p.indexOf('\\E', this.i)
    const text = end < 0 ? this.p.slice(this.i) : this.p.slice(this.i, end)
    this.i = end < 0 ? this.p.length : end + 2
    return Array.from(text, (ch) => escapeLiteral(ch, inClass)).join('')
  }

  private charClass(): void {
    this.i++
    let body = ''
    if (this.p[this.i] === '^') {
      body += '^'
      this.i++
    }
    // a `]` right after `[` or `[^` is a literal in RE2 (an empty class in JS)
    if (this.p[this.i] === ']') {
      body += '\\]'
      this.i++
    }
    for (;;) {
      const c = this.p[this.i]
      if (c === undefined) throw new GoSyntaxError(`missing closing ]: \`${this.p.slice(this.p.lastIndexOf('['))}\``)
      if (c === ']') {
        this.i++
        break
      }
      if (c === '[' && this.p[this.i + 1] === ':') {
        const m = /^\[:(\^?)([a-z]+):\]/.exec(this.p.slice(this.i))
        if (m && POSIX[m[2]!] !== undefined) {
          if (m[1]) throw new GoSyntaxError('negated POSIX classes are not supported by Fluxgate')
          body += POSIX[m[2]!]
          this.i += m[0].length
          continue
        }
      }
      if (c === '\\') body += this.escape(true)
      else if (c === '-') {
        body += '-'
        this.i++
      } else {
        body += escapeLiteral(c, true).replace(/^\\-$/, '-')
        this.i++
      }
    }
    this.out += `[${body}]`
  }
}

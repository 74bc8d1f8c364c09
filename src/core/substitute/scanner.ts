import { decodeRune } from './bytes.js'

/**
 * The lexer of Flux's envsubst fork (fluxcd/pkg envsubst/parse/scan.go), re-implemented
 * over byte strings. Its quirks are kept on purpose because they decide what parses
 * (S-7 … S-9):
 * - a NUL byte reads as end of input, so scanning stops there (S-9);
 * - `unread` steps back by the width of the last rune *read*, and `peek` is a read plus
 *   an unread, so a peek changes what a later unread undoes (visible with multi-byte
 *   runes after `${v:`);
 * - an escape (`$$`, `\/`, `\\`) deletes its first byte from the buffer itself.
 */

/** End of input; also what a NUL byte decodes to. */
export const EOF = 0

/** What one scan recognised. */
export type Token = 'illegal' | 'eof' | 'ident' | 'lbrack' | 'rbrack'

/** Which tokens the next scan may recognise. */
export const MODE = Object.freeze({ ident: 1, lbrack: 2, rbrack: 4, escape: 8 })
/** Which escapes are active when MODE.escape is on. */
export const ESC = Object.freeze({ dollar: 1, backslash: 2, all: 3 })

/** Decides whether rune `r` at byte offset `i` (1-based, within the token) belongs to an ident token. */
export type Accept = (r: number, i: number) => boolean

const DOLLAR = 0x24
const LBRACE = 0x7b
const RBRACE = 0x7d
const BACKSLASH = 0x5c
const SLASH = 0x2f

/** Mutable scanner state; the parser switches `mode`, `escapeChars` and `accept` as it goes. */
export class Scanner {
  buf: string
  pos = 0
  start = 0
  width = 0
  mode = 0
  escapeChars = 0
  accept: Accept = () => true

  constructor(buf: string) {
    this.buf = buf
  }

  read(): number {
    if (this.pos >= this.buf.length) {
      this.width = 0
      return EOF
    }
    const { rune, width } = decodeRune(this.buf, this.pos)
    this.width = width
    this.pos += width
    return rune
  }

  unread(): void {
    this.pos -= this.width
  }

  peek(): number {
    const r = this.read()
    this.unread()
    return r
  }

  /** The text of the token just scanned. */
  text(): string {
    return this.buf.slice(this.start, this.pos)
  }

  scan(): Token {
    this.start = this.pos
    const r = this.read()
    if (r === EOF) return 'eof'
    if (this.scanLbrack(r)) return 'lbrack'
    if (this.scanRbrack(r)) return 'rbrack'
    if (this.scanIdent(r)) return 'ident'
    return 'illegal'
  }

  /** Drops the byte just read (the first byte of an escape pair) without moving `pos`. */
  private skip(): void {
    this.buf = this.buf.slice(0, this.pos - 1) + this.buf.slice(this.pos)
  }

  private scanIdent(first: number): boolean {
    if (!(this.mode & MODE.ident)) return false
    if (this.scanEscaped(first)) this.skip()
    else if (!this.accept(first, this.pos - this.start)) return false
    for (;;) {
      const r = this.read()
      if (r === EOF) {
        this.unread()
        return true
      }
      if (this.scanLbrack(r)) {
        // back over both bytes of `${` so the caller sees the opener next
        this.unread()
        this.unread()
        return true
      }
      if (this.scanEscaped(r)) {
        this.skip()
        continue
      }
      if (!this.accept(r, this.pos - this.start)) {
        this.unread()
        return true
      }
    }
  }

  private scanLbrack(r: number): boolean {
    if (!(this.mode & MODE.lbrack) || r !== DOLLAR) return false
    if (this.read() === LBRACE) return true
    this.unread()
    return false
  }

  private scanRbrack(r: number): boolean {
    return (this.mode & MODE.rbrack) !== 0 && r === RBRACE
  }

  private scanEscaped(r: number): boolean {
    if (!(this.mode & MODE.escape)) return false
    if (r === DOLLAR && this.escapeChars & ESC.dollar && this.peek() === DOLLAR) return true
    if (r === BACKSLASH && this.escapeChars & ESC.backslash) {
      const next = this.peek()
      return next === SLASH || next === BACKSLASH
    }
    return false
  }
}

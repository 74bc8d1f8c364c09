import { ESC, MODE, Scanner, type Accept } from './scanner.js'

/**
 * Parser of Flux's envsubst grammar (fluxcd/pkg envsubst/parse/parse.go), re-implemented.
 * Every branch mirrors which scanner mode and accept function the Go parser uses, since
 * those decide the error texts users see (S-8).
 */

/** A parsed template: literal text, a `${…}` expression, or a sequence of both. */
export type Node = TextNode | FuncNode | ListNode
/** Literal text, escapes already resolved. */
export interface TextNode {
  type: 'text'
  value: string
}
/** One `${…}` expression. */
export interface FuncNode {
  type: 'func'
  /** The variable name. */
  param: string
  /** The operator as written (`:=`, `//`, `^^`, `#` …); empty for a bare `${v}`. */
  name: string
  args: Node[]
  /** The expression as written (escapes resolved), for a top-level one: kept when its value is unknown. */
  raw?: string
}
/** Nodes evaluated in order and concatenated. */
export interface ListNode {
  type: 'list'
  nodes: Node[]
}

/** The Go library's error texts, which users search for. */
export const PARSE_ERRORS = Object.freeze({
  badSubstitution: 'bad substitution',
  missingClosingBrace: 'missing closing brace',
  variableName: 'unable to parse variable name',
  funcSubstitution: 'unable to parse substitution within function',
  defaultFunction: 'unable to parse default function',
})

class ParseError extends Error {}

function fail(message: string): never {
  throw new ParseError(message)
}

const isLetterOrDigit = /^[\p{L}\p{Nd}_]$/u

const acceptRune: Accept = () => true
const acceptIdent: Accept = (r) => r !== 0 && isLetterOrDigit.test(String.fromCodePoint(r))
const acceptColon: Accept = (r) => r === 0x3a
const acceptOneHash: Accept = (r, i) => r === 0x23 && i === 1
const acceptNotClosing: Accept = (r) => r !== 0x7d
const acceptHashFunc: Accept = (r, i) => r === 0x23 && i < 3
const acceptPercentFunc: Accept = (r, i) => r === 0x25 && i < 3
const acceptOneEqual: Accept = (r, i) => i === 1 && r === 0x3d
const acceptOneColon: Accept = (r, i) => i === 1 && r === 0x3a
const rejectColonClose: Accept = (r) => r !== 0x3a && r !== 0x7d
const acceptSlash: Accept = (r) => r === 0x2f
const acceptNotSlash: Accept = (r) => r !== 0x2f
const acceptCasingFunc: Accept = (r, i) => (r === 0x2c || r === 0x5e) && i < 3
const acceptDefaultFunc: Accept = (r, i) =>
  (i === 1 && r === 0x3a) || (i === 2 && (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b))
const acceptReplaceFunc: Accept = (r, i) =>
  (i === 1 && r === 0x2f) || (i === 2 && (r === 0x2f || r === 0x23 || r === 0x25))

/**
 * Parses a byte string (see bytes.ts) into a template tree, or returns the Go library's
 * error message.
 */
export function parseTemplate(bytes: string): { ok: true; root: Node } | { ok: false; error: string } {
  const p = new Parser(new Scanner(bytes))
  try {
    return { ok: true, root: p.parseAny() }
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, error: err.message }
    throw err
  }
}

class Parser {
  constructor(private readonly s: Scanner) {}

  /** Top level: text and `${…}` until end of input (Go recurses; a loop is equivalent). */
  parseAny(): Node {
    const nodes: Node[] = []
    for (;;) {
      const s = this.s
      s.accept = acceptRune
      s.mode = MODE.ident | MODE.lbrack | MODE.escape
      s.escapeChars = ESC.dollar
      const tok = s.scan()
      if (tok === 'eof') break
      if (tok === 'ident') nodes.push({ type: 'text', value: s.text() })
      else if (tok === 'lbrack') {
        const start = s.start
        const node = this.parseFunc()
        node.raw = s.buf.slice(start, s.pos)
        nodes.push(node)
      } else fail(PARSE_ERRORS.badSubstitution)
    }
    return nodes.length === 1 ? nodes[0]! : { type: 'list', nodes }
  }

  private parseFunc(): FuncNode {
    const s = this.s
    s.escapeChars = ESC.all
    if (s.peek() === 0x23) return this.parseLenFunc()
    s.accept = acceptIdent
    s.mode = MODE.ident
    if (s.scan() !== 'ident') fail(PARSE_ERRORS.variableName)
    const name = s.text()
    switch (s.peek()) {
      case 0x3a:
        return this.parseDefaultOrSubstr(name)
      case 0x3d:
        return this.parseDefaultFunc(name)
      case 0x2c:
      case 0x5e:
        return this.parseSimpleOperator(name, acceptCasingFunc, false)
      case 0x2f:
        return this.parseReplaceFunc(name)
      case 0x23:
        return this.parseSimpleOperator(name, acceptHashFunc, true)
      case 0x25:
        return this.parseSimpleOperator(name, acceptPercentFunc, true)
    }
    s.accept = acceptIdent
    s.mode = MODE.rbrack
    if (s.scan() !== 'rbrack') fail(PARSE_ERRORS.missingClosingBrace)
    return { type: 'func', param: name, name: '', args: [] }
  }

  /** One argument: literal text (as the accept function allows) or a nested `${…}`. */
  private parseParam(accept: Accept, mode: number): Node {
    const s = this.s
    s.accept = accept
    s.mode = mode | MODE.lbrack
    const tok = s.scan()
    if (tok === 'lbrack') return this.parseFunc()
    if (tok === 'ident' || tok === 'rbrack') return { type: 'text', value: s.text() }
    return fail(PARSE_ERRORS.funcSubstitution)
  }

  /** Scans the operator token; `${v^}` … take no argument, `${v#p}` … take one. */
  private scanOperator(accept: Accept, error: string): string {
    const s = this.s
    s.accept = accept
    s.mode = MODE.ident
    if (s.scan() !== 'ident') fail(error)
    return s.text()
  }

  private parseDefaultOrSubstr(name: string): FuncNode {
    const s = this.s
    s.read()
    const r = s.peek()
    // Go unreads here with the width left by peek (the rune after ':'), not ':' itself.
    s.unread()
    if (r === 0x3d || r === 0x2d || r === 0x3f || r === 0x2b) return this.parseDefaultFunc(name)
    return this.parseSubstrFunc(name)
  }

  private parseSubstrFunc(param: string): FuncNode {
    const s = this.s
    const node: FuncNode = { type: 'func', param, name: this.scanOperator(acceptOneColon, PARSE_ERRORS.badSubstitution), args: [] }
    node.args.push(this.parseParam(rejectColonClose, MODE.ident))
    s.accept = acceptColon
    s.mode = MODE.ident | MODE.rbrack
    const tok = s.scan()
    if (tok === 'rbrack') return node
    if (tok !== 'ident') fail(PARSE_ERRORS.badSubstitution)
    node.args.push(this.parseParam(acceptNotClosing, MODE.ident))
    this.consumeRbrack()
    return node
  }

  private parseSimpleOperator(param: string, accept: Accept, takesArg: boolean): FuncNode {
    const node: FuncNode = { type: 'func', param, name: this.scanOperator(accept, PARSE_ERRORS.badSubstitution), args: [] }
    if (takesArg) node.args.push(this.parseParam(acceptNotClosing, MODE.ident))
    this.consumeRbrack()
    return node
  }

  private parseReplaceFunc(param: string): FuncNode {
    const s = this.s
    const node: FuncNode = { type: 'func', param, name: this.scanOperator(acceptReplaceFunc, PARSE_ERRORS.badSubstitution), args: [] }
    node.args.push(this.parseParam(acceptNotSlash, MODE.ident | MODE.escape))
    this.scanOperator(acceptSlash, PARSE_ERRORS.badSubstitution)
    if (s.peek() === 0x7d) {
      this.consumeRbrack()
      return node
    }
    node.args.push(this.parseParam(acceptNotClosing, MODE.ident | MODE.escape))
    this.consumeRbrack()
    return node
  }

  private parseDefaultFunc(param: string): FuncNode {
    const s = this.s
    const accept = s.peek() === 0x3d ? acceptOneEqual : acceptDefaultFunc
    const node: FuncNode = { type: 'func', param, name: this.scanOperator(accept, PARSE_ERRORS.defaultFunction), args: [] }
    while (s.peek() !== 0x7d) node.args.push(this.parseParam(acceptNotClosing, MODE.ident))
    this.consumeRbrack()
    return node
  }

  private parseLenFunc(): FuncNode {
    const name = this.scanOperator(acceptOneHash, PARSE_ERRORS.badSubstitution)
    const param = this.scanOperator(acceptIdent, PARSE_ERRORS.badSubstitution)
    this.consumeRbrack()
    return { type: 'func', param, name, args: [] }
  }

  private consumeRbrack(): void {
    this.s.mode = MODE.rbrack
    if (this.s.scan() !== 'rbrack') fail(PARSE_ERRORS.badSubstitution)
  }
}

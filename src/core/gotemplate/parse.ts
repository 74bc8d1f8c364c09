/**
 * A parser for the part of Go `text/template` that Flux's templates use: image automation
 * commit messages (I-23, `{{ }}`) and Flux Operator ResourceSets (`<< >>`): text, `{{- -}}`
 * trimming, comments, pipelines with `|`, variables (`$x := …`, `$x = …`), `if`/`else if`/
 * `else`, `range` (with one or two variables, `else`, `break`, `continue`), `with`,
 * parenthesised pipelines, literals, and fields of a function's result (`inputs.tenant`).
 * `define`, `template` and `block` are refused with a clear error.
 *
 * Own code rather than a library: no maintained JS package reproduces Go's text/template
 * (trimming, zero values, Sprig's argument order), and both callers must match Go's output.
 */
export class TemplateError extends Error {
  readonly code = 'template'
}

export type Operand =
  | { kind: 'field'; base: 'dot' | string; path: string[] }
  | { kind: 'func'; name: string; path?: string[] }
  | { kind: 'lit'; value: string | number | boolean | null }
  | { kind: 'pipe'; pipe: Pipe; path: string[] }

export type Command = Operand[]

export interface Pipe {
  decl?: { names: string[]; assign: boolean }
  cmds: Command[]
}

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipe }
  | { type: 'if' | 'with'; pipe: Pipe; body: TemplateNode[]; else: TemplateNode[] }
  | { type: 'range'; pipe: Pipe; body: TemplateNode[]; else: TemplateNode[] }
  | { type: 'break' | 'continue' }

type Piece = { kind: 'text'; text: string } | { kind: 'action'; src: string; pos: number }

/** The action delimiters and the words used in error messages. */
export interface ParseOptions {
  /** Default `{{` and `}}`. */
  delims?: readonly [string, string]
  /** What the template is, for messages (`commit message templates`). */
  context?: string
}

/** Parses a template into nodes; throws TemplateError with the offending action. */
export function parseTemplate(src: string, opts: ParseOptions = {}): TemplateNode[] {
  const [open, close] = opts.delims ?? ['{{', '}}']
  const context = opts.context ?? 'commit message templates'
  const pieces = splitActions(src, open, close)
  let i = 0
  const parseList = (stops: string[]): { nodes: TemplateNode[]; stop: string; rest: string } => {
    const nodes: TemplateNode[] = []
    while (i < pieces.length) {
      const p = pieces[i++]!
      if (p.kind === 'text') {
        if (p.text) nodes.push({ type: 'text', text: p.text })
        continue
      }
      const tokens = tokenize(p.src, p.pos)
      if (tokens.length === 0) continue // a comment
      const head = tokens[0]!
      if (stops.includes(head)) return { nodes, stop: head, rest: p.src.trim().slice(head.length).trim() }
      nodes.push(parseAction(tokens, p.src, parseList))
    }
    if (stops.length > 0) throw new TemplateError(`unexpected end of template: missing ${open}end${close}`)
    return { nodes, stop: '', rest: '' }
  }
  return parseList([]).nodes

  function parseAction(tokens: string[], raw: string, list: typeof parseList): TemplateNode {
    const head = tokens[0]!
    if (head === 'if' || head === 'with' || head === 'range') return parseBlock(head, tokens.slice(1), list)
    if (head === 'break' || head === 'continue') return { type: head }
    if (head === 'define' || head === 'template' || head === 'block') {
      throw new TemplateError(`${open}${raw.trim()}${close}: '${head}' is not supported in ${context}`)
    }
    if (head === 'end' || head === 'else') throw new TemplateError(`unexpected ${open}${head}${close}`)
    return { type: 'action', pipe: parsePipe(tokens, raw) }
  }

  function parseBlock(kind: 'if' | 'with' | 'range', tokens: string[], list: typeof parseList): TemplateNode {
    const pipe = parsePipe(tokens, kind)
    const body = list(['end', 'else'])
    let elseNodes: TemplateNode[] = []
    if (body.stop === 'else') {
      if (body.rest.startsWith('if ') || body.rest.startsWith('with ')) {
        // `{{else if …}}` is an if nested in the else branch that shares its {{end}}.
        const nestedKind = body.rest.startsWith('if ') ? 'if' : 'with'
        elseNodes = [parseBlock(nestedKind, tokenize(body.rest.slice(nestedKind.length), 0), list)]
      } else {
        elseNodes = list(['end']).nodes
      }
    }
    return { type: kind, pipe, body: body.nodes, else: elseNodes }
  }
}

/** Splits source into text and action pieces, applying `{{-` / `-}}` whitespace trimming. */
function splitActions(src: string, openDelim: string, closeDelim: string): Piece[] {
  const out: Piece[] = []
  let pos = 0
  let trimNext = false
  while (pos <= src.length) {
    const open = src.indexOf(openDelim, pos)
    let text = src.slice(pos, open < 0 ? src.length : open)
    if (trimNext) text = text.replace(/^\s+/, '')
    if (open < 0) {
      out.push({ kind: 'text', text })
      break
    }
    let start = open + openDelim.length
    if (/^-[ \t\r\n]/.test(src.slice(start, start + 2))) {
      text = text.replace(/\s+$/, '')
      start += 1
    }
    out.push({ kind: 'text', text })
    const close = findClose(src, start, closeDelim)
    let end = close
    trimNext = false
    if (/[ \t\r\n]-$/.test(src.slice(close - 2, close))) {
      end = close - 1
      trimNext = true
    }
    out.push({ kind: 'action', src: src.slice(start, end), pos: start })
    pos = close + closeDelim.length
  }
  return out
}

function findClose(src: string, from: number, closeDelim: string): number {
  let i = from
  while (i < src.length) {
    const c = src[i]
    if (src.startsWith(closeDelim, i)) return i
    if (src.startsWith('/*', i)) {
      const e = src.indexOf('*/', i + 2)
      if (e < 0) break
      i = e + 2
    } else if (c === '"' || c === '`' || c === "'") {
      i = skipQuoted(src, i)
    } else i++
  }
  throw new TemplateError(`unclosed action starting at offset ${from - 2}`)
}

function skipQuoted(src: string, i: number): number {
  const q = src[i]
  for (let j = i + 1; j < src.length; j++) {
    if (q !== '`' && src[j] === '\\') j++
    else if (src[j] === q) return j + 1
  }
  throw new TemplateError('unterminated quoted string')
}

const TOKEN = /\s*(\/\*[\s\S]*?\*\/|:=|[()|=,]|"(?:[^"\\]|\\.)*"|`[^`]*`|'(?:[^'\\]|\\.)*'|\$[\w]*(?:\.[\w]+)*|(?:\.[\w]+)+|\.|[-+]?\d[\w.+-]*|[A-Za-z_]\w*(?:\.[\w]+)*)/y

/** Tokens of one action, comments dropped. */
function tokenize(src: string, pos: number): string[] {
  const out: string[] = []
  TOKEN.lastIndex = 0
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break
    const at = TOKEN.lastIndex
    const m = TOKEN.exec(src)
    if (!m) throw new TemplateError(`cannot read '${src.slice(at).trim()}' in action at offset ${pos}`)
    if (!m[1]!.startsWith('/*')) out.push(m[1]!)
  }
  return out
}

/** Parses `[$a[, $b] :=|=] cmd | cmd …`. */
function parsePipe(tokens: string[], raw: string): Pipe {
  let rest = tokens
  let decl: Pipe['decl']
  const declAt = rest.findIndex((t) => t === ':=' || t === '=')
  if (declAt > 0 && rest.slice(0, declAt).every((t) => t === ',' || /^\$\w*$/.test(t))) {
    decl = { names: rest.slice(0, declAt).filter((t) => t !== ','), assign: rest[declAt] === '=' }
    rest = rest.slice(declAt + 1)
  }
  const [cmds, used] = parseCommands(rest, 0, raw)
  if (used !== rest.length) throw new TemplateError(`unexpected '${rest[used]}' in {{${raw}}}`)
  if (cmds.length === 0) throw new TemplateError(`missing value in {{${raw}}}`)
  return { ...(decl ? { decl } : {}), cmds }
}

function parseCommands(tokens: string[], start: number, raw: string): [Command[], number] {
  const cmds: Command[] = []
  let cmd: Command = []
  let i = start
  while (i < tokens.length && tokens[i] !== ')') {
    const t = tokens[i]!
    if (t === '|') {
      if (cmd.length === 0) throw new TemplateError(`empty command before '|' in {{${raw}}}`)
      cmds.push(cmd)
      cmd = []
      i++
      continue
    }
    if (t === '(') {
      const [inner, end] = parseCommands(tokens, i + 1, raw)
      if (tokens[end] !== ')') throw new TemplateError(`unclosed '(' in {{${raw}}}`)
      const after = tokens[end + 1]
      const path = after && /^(\.\w+)+$/.test(after) ? after.slice(1).split('.') : []
      cmd.push({ kind: 'pipe', pipe: { cmds: inner }, path })
      i = end + 1 + (path.length > 0 ? 1 : 0)
      continue
    }
    cmd.push(operandOf(t, raw))
    i++
  }
  if (cmd.length > 0) cmds.push(cmd)
  return [cmds, i]
}

function operandOf(t: string, raw: string): Operand {
  if (t === '.') return { kind: 'field', base: 'dot', path: [] }
  if (t.startsWith('.')) return { kind: 'field', base: 'dot', path: t.slice(1).split('.') }
  if (t.startsWith('$')) {
    const [name, ...path] = t.split('.')
    return { kind: 'field', base: name!, path }
  }
  if (t.startsWith('"')) return { kind: 'lit', value: JSON.parse(t.replace(/\\'/g, "'")) as string }
  if (t.startsWith('`')) return { kind: 'lit', value: t.slice(1, -1) }
  if (t.startsWith("'")) return { kind: 'lit', value: (JSON.parse(`"${t.slice(1, -1)}"`) as string).codePointAt(0) ?? 0 }
  if (/^[-+]?\d/.test(t)) {
    const n = Number(t)
    if (Number.isNaN(n)) throw new TemplateError(`bad number '${t}' in {{${raw}}}`)
    return { kind: 'lit', value: n }
  }
  if (t === 'true' || t === 'false') return { kind: 'lit', value: t === 'true' }
  if (t === 'nil') return { kind: 'lit', value: null }
  // Go reads `fn.a.b` as a chain: the function's result, then its fields.
  if (t.includes('.')) {
    const [name, ...path] = t.split('.')
    if (!/^[A-Za-z_]\w*$/.test(name!) || path.some((p) => p === '')) throw new TemplateError(`'${t}' is not a function or field in {{${raw}}}`)
    return { kind: 'func', name: name!, path }
  }
  if (t === ',' || t === '=' || t === ':=') throw new TemplateError(`unexpected '${t}' in {{${raw}}}`)
  return { kind: 'func', name: t }
}

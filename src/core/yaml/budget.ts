import { isAlias, isCollection, isPair, isScalar, type Alias, type Document, type Node } from 'yaml'
import { lineAt, YamlError } from './errors.js'

/**
 * Bounds that keep a hostile file from exhausting memory or the stack. Alias expansion is
 * counted in what it adds to the values (a 700 KB anchored string used 9,000 times is
 * 6 GB of output), not in the number of aliases; nesting is bounded before the text
 * reaches the `yaml` package, whose composer recurses per level.
 */
export const YAML_LIMITS = Object.freeze({
  maxFileBytes: 8 * 1024 * 1024,
  maxAliases: 10_000,
  maxExpandedBytes: 16 * 1024 * 1024,
  maxDepth: 200,
})

const MIB = 1024 * 1024

/** Refuses a text over the size budget, or one that nests deeper than the depth budget. */
export function checkText(text: string, maxBytes: number = YAML_LIMITS.maxFileBytes): void {
  if (text.length > maxBytes) {
    throw new YamlError(`YAML text is larger than ${maxBytes / MIB} MiB`, 'yaml/too-large', 1)
  }
  const line = tooDeepAt(text)
  if (line !== undefined) throw new YamlError(`YAML nests deeper than ${YAML_LIMITS.maxDepth} levels`, 'yaml/too-deep', line)
}

/**
 * The line where the nesting estimate first passes the depth budget. The estimate is an
 * upper bound: block levels from the stack of indentations (block scalar bodies skipped),
 * compact `- ` and `? ` entries on a line, and open flow brackets outside quotes.
 */
function tooDeepAt(text: string): number | undefined {
  const max = YAML_LIMITS.maxDepth
  // Cheap exit: no line can open more levels than it has characters.
  if (text.length < max) return undefined
  const indents: number[] = []
  let flow = 0
  let blockScalarIndent = -1
  let nextBracket = -1
  let nextHash = -1
  let lineNo = 0
  let start = 0
  while (start <= text.length) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    lineNo++
    let i = start
    while (i < end && text[i] === ' ') i++
    const indent = i - start
    const blank = i === end || text[i] === '#' || text[i] === '\r'
    if (blockScalarIndent >= 0 && (blank || indent > blockScalarIndent)) {
      start = end + 1
      continue
    }
    blockScalarIndent = -1
    if (!blank) {
      if (text.startsWith('---', i) || text.startsWith('...', i)) {
        indents.length = 0
        flow = 0
      }
      while (indents.length > 0 && (indents[indents.length - 1] as number) > indent) indents.pop()
      if (indents.length === 0 || (indents[indents.length - 1] as number) < indent) indents.push(indent)
      let compact = 0
      while (i + 1 < end && (text[i] === '-' || text[i] === '?') && text[i + 1] === ' ') {
        compact++
        i += 2
        while (i < end && text[i] === ' ') i++
      }
      // Brackets only matter on lines that have one (most lines of a manifest have none).
      if (nextBracket < i) nextBracket = nextOf(text, '[{', i)
      if (nextHash < i) nextHash = nextOf(text, '#', i)
      const bracket = flow > 0 || nextBracket < end
      let quote = ''
      for (let j = bracket ? i : end; j < end; j++) {
        const c = text[j]
        if (quote !== '') {
          if (c === quote) quote = ''
        } else if (c === '"' || c === "'") quote = c
        else if (c === '#' && (j === start || text[j - 1] === ' ')) break
        else if (c === '[' || c === '{') {
          if (indents.length + compact + ++flow > max) return lineNo
        } else if ((c === ']' || c === '}') && flow > 0) flow--
      }
      if (indents.length + compact > max) return lineNo
      if (flow === 0 && opensBlockScalar(text, i, end, nextHash < end)) blockScalarIndent = indent
    }
    start = end + 1
  }
  return undefined
}

/** The offset of the next occurrence of any of `chars` at or after `from` (text.length if none). */
function nextOf(text: string, chars: string, from: number): number {
  let best = text.length
  for (const c of chars) {
    const i = text.indexOf(c, from)
    if (i >= 0 && i < best) best = i
  }
  return best
}

/** Whether a line ends with a block scalar header (`key: |`, `- >-`, `|2+ # note`). */
function opensBlockScalar(text: string, from: number, to: number, hasHash: boolean): boolean {
  let e = to
  while (e > from && (text[e - 1] === ' ' || text[e - 1] === '\r')) e--
  const last = text[e - 1]
  if (last !== '|' && last !== '>' && last !== '-' && last !== '+' && !(last !== undefined && last >= '0' && last <= '9') && !hasHash) return false
  return /[|>][-+0-9]*\s*(#.*)?\r?$/.test(text.slice(Math.max(from, to - 40), to)) && /(^|\s|:)[|>]/.test(text.slice(from, to))
}

/**
 * Resolves every alias of a parsed document to its anchored node, counting what the
 * expansion adds: over the budget, an unknown anchor, or an alias inside its own anchor
 * (an endless value) is a YamlError at the alias's line.
 */
export function resolveAliases(doc: Document, text: string): Map<Alias, Node> {
  const targets = new Map<Alias, Node>()
  const anchors = new Map<string, Node>()
  const sizes = new Map<Node, number>()
  let expanded = 0
  let count = 0
  const fail = (msg: string, code: string, node: Node): never => {
    throw new YamlError(msg, code, lineAt(text, node.range?.[0] ?? 0))
  }
  const size = (node: unknown): number => {
    if (node === null || node === undefined) return 1
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (target === undefined) return fail(`unknown anchor '${node.source}' referenced`, 'yaml/syntax', node)
      const s = sizes.get(target)
      if (s === undefined) return fail(`anchor '${node.source}' value contains itself`, 'yaml/syntax', node)
      targets.set(node, target)
      count++
      expanded += s
      if (count > YAML_LIMITS.maxAliases) fail(`YAML has more than ${YAML_LIMITS.maxAliases} aliases`, 'yaml/too-many-aliases', node)
      if (expanded > YAML_LIMITS.maxExpandedBytes) fail(`YAML aliases expand to more than ${YAML_LIMITS.maxExpandedBytes / MIB} MiB`, 'yaml/alias-expansion', node)
      return s
    }
    const n = node as Node
    if (n.anchor) anchors.set(n.anchor, n)
    let s = 1
    if (isScalar(n)) s += typeof n.value === 'string' ? n.value.length : 8
    else if (isCollection(n)) {
      for (const item of n.items as unknown[]) {
        if (isPair(item)) s += size(item.key) + size(item.value)
        else s += size(item)
      }
    }
    sizes.set(n, s)
    return s
  }
  size(doc.contents)
  return targets
}

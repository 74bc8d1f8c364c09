/*
 * kustomize prints a resource through kyaml's MarshalJSON: go-yaml v3 emits the node (a
 * folded scalar stays folded) and reads the text back. go-yaml's folded emitter decides
 * whether to write an extra line break by looking at the first line of the whole value
 * instead of the next line (emitterc.go, yaml_emitter_write_folded_scalar), so:
 * - a value whose first character is not blank gets the extra break before every line
 *   break that ends a line not starting with a blank; read back, that adds an empty line
 *   before each more-indented line ("a\n  b" → "a\n\n  b"), and one more final line break
 *   for a kept (`>+`) value ending in a normal line;
 * - a value whose first character is blank gets none, so two normal lines are joined by a
 *   space when read back ("  x\na\nb" → "  x\na b").
 * The round trip here reproduces that (not the 80-column folding, which reads back the
 * same except within long more-indented lines). Values go-yaml would not write folded
 * (a space before a line break, a trailing space, a tab or another unprintable character)
 * pass unchanged.
 */
import { isPrintable } from './printable.js'

/** The value go-yaml v3 reads back after emitting `value` as a folded scalar. */
export function foldedRoundTrip(value: string): string {
  if (!blockAllowed(value)) return value
  return readFolded(emitFolded(value), chomping(value))
}

function blockAllowed(v: string): boolean {
  if (v === '' || v.endsWith(' ')) return false
  if (/[\r\u0085\u2028\u2029]/.test(v)) return false
  if (/[ \t]\n/.test(v)) return false
  for (const c of v) {
    const cp = c.codePointAt(0) as number
    if (!isPrintable(cp)) return false
  }
  return true
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t'

function emitFolded(v: string): string {
  let first = 0
  while (v[first] === '\n') first++
  const extraBreaks = !(first >= v.length || isBlank(v[first]))
  let out = ''
  let breaks = true
  let leadingSpaces = true
  for (const c of v) {
    if (c === '\n') {
      if (!breaks && !leadingSpaces && extraBreaks) out += '\n'
      out += '\n'
      breaks = true
    } else {
      if (breaks) leadingSpaces = isBlank(c)
      out += c
      breaks = false
    }
  }
  return out
}

/** The chomping indicator go-yaml writes for `v` (yaml_emitter_write_block_scalar_hints). */
function chomping(v: string): '-' | '' | '+' {
  if (!v.endsWith('\n')) return '-'
  if (v.length === 1 || v[v.length - 2] === '\n') return '+'
  return ''
}

/** go-yaml's folded block scalar reading (scannerc.go), on content already unindented. */
function readFolded(text: string, chomp: '-' | '' | '+'): string {
  const lines = text.split('\n')
  const n = lines.length
  // The last piece ends the text; it is a line only when not empty.
  const isEmptyLine = (k: number): boolean => k < n - 1 && lines[k] === ''
  const isContent = (k: number): boolean => k < n && lines[k] !== ''
  let s = ''
  let leadingBreak = ''
  let trailingBreaks = ''
  let leadingBlank = false
  let i = 0
  while (isEmptyLine(i)) {
    trailingBreaks += '\n'
    i++
  }
  while (isContent(i)) {
    const line = lines[i] as string
    const trailingBlank = isBlank(line[0])
    if (!leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') s += ' '
    } else s += leadingBreak
    s += trailingBreaks
    trailingBreaks = ''
    leadingBlank = trailingBlank
    s += line
    leadingBreak = i < n - 1 ? '\n' : ''
    i++
    while (isEmptyLine(i)) {
      trailingBreaks += '\n'
      i++
    }
  }
  if (chomp !== '-') s += leadingBreak
  if (chomp === '+') s += trailingBreaks
  return s
}

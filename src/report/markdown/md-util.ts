import { FLUX_CITATIONS, ruleUrl } from '../rules-doc.js'

/** Escapes text for HTML contexts (`<summary>`, attribute-free tags). */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}

/** Escapes text for a markdown table cell: pipes, newlines, HTML. */
export function cell(text: string): string {
  return escapeHtml(text).replaceAll('|', '\\|').replaceAll('\n', ' ')
}

/** Inline code that survives backticks inside `text`. */
export function code(text: string): string {
  const ticks = longestRun(text, '`') + 1
  const fence = '`'.repeat(ticks)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text.replaceAll('\n', ' ')}${pad}${fence}`
}

/**
 * A fenced code block whose fence is longer than any backtick run inside `body`, so content
 * (a ConfigMap holding markdown) can never close it early.
 */
export function fenced(body: string, lang: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  return `${fence}${lang}\n${body}\n${fence}`
}

function longestRun(text: string, ch: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === ch ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}

/** A markdown table from a header row and body rows (cells already escaped). */
export function table(header: string[], rows: string[][], align?: string[]): string {
  const sep = align ?? header.map(() => '---')
  return [header, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n')
}

/** `1 object` / `3 objects`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** A gate rule id as a link to its entry in the rules document. */
export function ruleLink(id: string, base?: string): string {
  return `[${code(id)}](${ruleUrl(id, base)})`
}

// `(P-10)`, `(K-19)`: ids of the Flux behaviours the plan's reasons cite.
const CITATION = /\b[A-Z]-\d+[a-z]?\b/g

/** Escaped text with every cited Flux behaviour id (`P-10`) linked to its one-line explanation. */
export function linkCitations(escaped: string, base?: string): string {
  return escaped.replace(CITATION, (id) => (FLUX_CITATIONS.has(id) ? `[${id}](${ruleUrl(id, base)})` : id))
}

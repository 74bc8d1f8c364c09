import { htmlText, mdCell, mdCode, mdFenced } from '../escape.js'
import { FLUX_CITATIONS, ruleUrl } from '../rules-doc.js'

/** Escapes text for HTML contexts (`<summary>`, attribute-free tags); see ../escape.ts. */
export const escapeHtml = htmlText

/** Escapes text for a markdown table cell (or any running text); see ../escape.ts. */
export const cell = mdCell

/** Inline code that survives backticks inside `text`. */
export const code = mdCode

/** A fenced code block that content can never close early. */
export const fenced = mdFenced

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

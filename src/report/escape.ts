/*
 * Text from the repository (object names, messages, branch names, file paths) escaped for the
 * place it lands in a GitHub comment, check run, job summary or pull request body. One function
 * per context; a presenter never puts repository text into markdown any other way.
 *
 * Every context also breaks `@` mentions (`@org/team` in a name must not ping anyone): a zero
 * width space after `@`, as Dependabot does in release notes. Inside code spans and fences
 * GitHub does not look for mentions, so code keeps the text as it is.
 */

const ZWSP = '\u200b'

/**
 * `@name` that GitHub would link (and notify) loses its power; the text reads the same. A
 * mention starts a word: `main@sha1:…` and `a@example.com` are left alone.
 */
function unmention(text: string): string {
  return text.replace(/(^|[^\w])@(?=[A-Za-z0-9])/g, `$1@${ZWSP}`)
}

/** One line: CR, LF and the other line breaks become spaces (a newline could start a block). */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029\u0085]+/g, ' ')
}

/** For HTML text (`<summary>`, `<b>`), where markdown is not parsed: entities and mentions. */
export function htmlText(text: string): string {
  return unmention(oneLine(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'))
}

// Characters that start markdown or GFM syntax in the middle of a line: links and images
// (`[`), code spans, emphasis, strikethrough and table cells; each is backslash-escaped
// (CommonMark: any ASCII punctuation may be), HTML and entities as entities. Line-start syntax
// (headings, lists, quotes) cannot occur: the text is one line placed after other text.
const MARKDOWN = /[\\`*_[\]|~]/g

/** For markdown running text: one line, no markup, no HTML, no mentions. */
export function mdText(text: string): string {
  return unmention(oneLine(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replace(MARKDOWN, (c) => `\\${c}`))
}

/** For a markdown table cell: running text (whose `|` is already escaped). */
export function mdCell(text: string): string {
  return mdText(text)
}

/**
 * Inline code that survives backticks inside `text`; one line. `|` is escaped: GFM splits table
 * rows on it before it sees code spans (so a code span in a cell would end there); outside a
 * table the backslash shows, which only a name with `|` in it (never a valid one) can cause.
 */
export function mdCode(text: string): string {
  const line = oneLine(text).replaceAll('|', '\\|')
  const fence = '`'.repeat(longestRun(line, '`') + 1)
  const pad = line.startsWith('`') || line.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${line}${pad}${fence}`
}

/** Inline code in a markdown table cell (mdCode already escapes `|`). */
export const mdCodeCell = mdCode

/**
 * A fenced code block whose fence is longer than any backtick run inside `body`, so content
 * (a ConfigMap holding markdown) can never close it early.
 */
export function mdFenced(body: string, lang: string): string {
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  return `${fence}${lang.replace(/[^A-Za-z0-9_-]/g, '')}\n${body}\n${fence}`
}

/**
 * For a Mermaid node label in double quotes: one line (a newline and a fence would end the
 * code block), and the characters Mermaid reads inside labels as entities (`#quot;`), HTML or
 * a markdown string (a leading backtick) given as entity codes.
 */
export function mermaidLabel(text: string): string {
  const codes: Record<string, string> = { '"': '#quot;', '#': '#35;', '<': '#lt;', '>': '#gt;', '`': '#96;', '&': '#amp;' }
  return oneLine(text).replace(/["#<>`&]/g, (c) => codes[c]!)
}

/**
 * For text inside an HTML comment used as a marker (`<!-- fluxgate:images ns/name -->`):
 * Kubernetes names pass unchanged, anything that could end the comment (`>`, `--`) does not.
 */
export function commentText(text: string): string {
  return oneLine(text).replace(/[^A-Za-z0-9._/:-]/g, '_')
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

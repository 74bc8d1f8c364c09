/**
 * Input that a YAML reader refuses: a syntax error, or a budget crossed (too large, nested
 * too deep, aliases expanding too far). Callers turn it into a located diagnostic; `line`
 * is 1-based in the text that was read.
 */
export class YamlError extends Error {
  constructor(
    message: string,
    readonly code: string = 'yaml/syntax',
    readonly line?: number,
  ) {
    super(message)
  }
}

/** The 1-based line of `offset` in `text`. */
export function lineAt(text: string, offset: number): number {
  let line = 1
  const end = Math.min(offset, text.length)
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++
  return line
}

import { isScalar, Scalar, visit, type Document, type ToJSOptions } from 'yaml'
import { resolveAliases } from './budget.js'
import { lineAt, YamlError } from './errors.js'

/**
 * A parsed document's value, for the dialects that use the `yaml` package's own schemas:
 * the alias budget is checked first (the package's own check counts nodes, not output),
 * and a block scalar ending the text without a line break loses the line break the
 * package gives it (go-yaml and the YAML spec give none). Throws YamlError.
 */
export function documentValue(doc: Document, text: string, opts: ToJSOptions = {}): unknown {
  resolveAliases(doc, text)
  if (text.length > 0 && !/[\n\r]$/.test(text)) {
    visit(doc, {
      Scalar(_, node) {
        if (!isScalar(node) || (node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED)) return
        if (node.range?.[1] === text.length && typeof node.value === 'string' && node.value.endsWith('\n')) node.value = node.value.slice(0, -1)
      },
    })
  }
  try {
    return doc.toJS({ ...opts, maxAliasCount: -1 })
  } catch (e) {
    if (e instanceof RangeError) throw new YamlError('YAML nests too deep to read', 'yaml/too-deep', lineAt(text, doc.range?.[0] ?? 0))
    throw e
  }
}

/** The first error of a parsed document as a YamlError with its line, if it has one. */
export function documentError(doc: Document, text: string): YamlError | undefined {
  const err = doc.errors[0]
  if (!err) return undefined
  const code = err.code === 'RESOURCE_EXHAUSTION' ? 'yaml/too-deep' : 'yaml/syntax'
  return new YamlError(err.message.split('\n')[0] ?? 'YAML syntax error', code, lineAt(text, err.pos[0]))
}

import { LineCounter, parseAllDocuments, stringify, type CreateNodeOptions, type DocumentOptions, type SchemaOptions, type ToStringOptions } from 'yaml'
import type { JsonValue } from '../model/object.js'
import { checkText } from './budget.js'
import { printSimpleYaml12 } from './yaml12-simple.js'
import { readBlockYaml } from './block-simple.js'
import { documentError, documentValue } from './document.js'
import { lineAt, YamlError } from './errors.js'

/*
 * The `yaml` package's YAML 1.2 core schema, for what Fluxgate itself reads and prints:
 * its own configuration (`.github/fluxgate.yml`, registry configs, CLI inputs), and text
 * where the dialect does not change the result (finding Flux objects in a repository,
 * Helm's index.yaml and Chart.yaml). Flux and kustomize semantics have their own readers:
 * kyaml.ts (kustomize, go-yaml v3) and yaml11.ts (sigs.k8s.io/yaml, go-yaml v2).
 */

/** One document of a stream, with the 1-based line where its content starts. */
export interface LocatedDocument {
  value: unknown
  line: number
}

/**
 * Every document of a stream with its line; documents that fail to parse or cross a budget
 * become errors (YamlError with a line) while the others are still returned.
 */
export function parseYaml12Documents(text: string): { docs: LocatedDocument[]; errors: YamlError[] } {
  try {
    checkText(text)
  } catch (e) {
    if (e instanceof YamlError) return { docs: [], errors: [e] }
    throw e
  }
  const simple = readBlockYaml(text, resolveCore12, false)
  if (simple) return { docs: simple.map((d) => ({ value: d.value, line: d.line })), errors: [] }
  return parseWithPackage(text)
}

/** parseYaml12Documents through the `yaml` package alone: what block-simple.ts must agree with. Call after checkText. */
export function parseWithPackage(text: string): { docs: LocatedDocument[]; errors: YamlError[] } {
  const lineCounter = new LineCounter()
  const docs: LocatedDocument[] = []
  const errors: YamlError[] = []
  for (const doc of parseAllDocuments(text, { lineCounter, uniqueKeys: false, logLevel: 'error' })) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const code = err.code === 'RESOURCE_EXHAUSTION' ? 'yaml/too-deep' : 'yaml/syntax'
        errors.push(new YamlError(err.message.split('\n')[0] ?? 'YAML syntax error', code, lineCounter.linePos(err.pos[0]).line))
      }
      continue
    }
    const start = doc.contents?.range?.[0] ?? doc.range[0]
    try {
      docs.push({ value: documentValue(doc, text), line: lineCounter.linePos(start).line })
    } catch (e) {
      if (!(e instanceof YamlError)) throw e
      errors.push(e)
    }
  }
  return { docs, errors }
}

/**
 * The value of a one-document text (null when empty), like the package's `parse`: a
 * repeated key is an error unless `uniqueKeys` is false; `maxBytes` raises the size budget
 * for files known to be large (a Helm repository's index.yaml). Throws YamlError.
 */
export function parseYaml12(text: string, opts: { uniqueKeys?: boolean; maxBytes?: number } = {}): unknown {
  checkText(text, opts.maxBytes)
  const docs = parseAllDocuments(text, { uniqueKeys: opts.uniqueKeys !== false, logLevel: 'error' })
  const doc = docs[0]
  if (!doc) return null
  const err = documentError(doc, text)
  if (err) throw err
  if (docs.length > 1) throw new YamlError('Source contains multiple documents', 'yaml/syntax', lineAt(text, docs[1]?.range[0] ?? 0))
  return documentValue(doc, text) ?? null
}

/** Every document's value of a stream. Throws YamlError for the first bad document. */
export function parseYaml12All(text: string): unknown[] {
  checkText(text)
  const out: unknown[] = []
  for (const doc of parseAllDocuments(text, { uniqueKeys: false, logLevel: 'error' })) {
    const err = documentError(doc, text)
    if (err) throw err
    out.push(documentValue(doc, text) ?? null)
  }
  return out
}

/** A value as YAML 1.2 text for people to read (diffs, CLI output, files handed to tools). */
export function stringifyYaml12(value: unknown, opts: DocumentOptions & SchemaOptions & CreateNodeOptions & ToStringOptions = {}): string {
  if (simpleOptions(opts)) {
    const simple = printSimpleYaml12(value)
    if (simple !== undefined) return simple
  }
  return stringify(value, opts)
}

/** The options printSimpleYaml12 prints as the library does: no line folding, entries in their order. */
function simpleOptions(opts: Record<string, unknown>): boolean {
  return opts['lineWidth'] === 0 && Object.keys(opts).every((k) => k === 'lineWidth' || ((k === 'aliasDuplicateObjects' || k === 'sortMapEntries') && opts[k] === false))
}

/** The `yaml` package's YAML 1.2 core schema resolution of an untagged plain scalar (its tests, in its order). */
export function resolveCore12(s: string): JsonValue {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T'
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.slice(2), 8)
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10)
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.slice(2), 16)
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s)
  return s
}

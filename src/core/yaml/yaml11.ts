import { parseAllDocuments, type ScalarTag, type Tags } from 'yaml'
import type { JsonValue } from '../model/object.js'
import { checkText } from './budget.js'
import { documentValue } from './document.js'
import { lineAt, YamlError } from './errors.js'

// go-yaml v2 reads floats with this pattern only (no `.` alone, no `1_0.5` forms).
const goFloat: ScalarTag = {
  tag: 'tag:yaml.org,2002:float',
  default: true,
  test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/,
  resolve: (s: string) => parseFloat(s),
}

/**
 * go-yaml v2 decoding into interface{} keeps timestamps and sexagesimal numbers as strings;
 * the `yaml` package's 1.1 schema would turn them into dates and numbers.
 */
function goYaml11Tags(tags: Tags): Tags {
  const droppedNames = new Set(['timestamp', 'intTime', 'floatTime', 'float', 'floatExp'])
  const kept = tags.filter((t) => {
    if (typeof t === 'string') return !droppedNames.has(t)
    if (t.tag === 'tag:yaml.org,2002:timestamp') return false
    const test = 'test' in t && t.test instanceof RegExp ? t.test.source : ''
    // intTime / floatTime use `:` groups; the default 1.1 float forms are replaced by goFloat
    if (test.includes('(?::[0-5]?[0-9])')) return false
    if (t.tag === 'tag:yaml.org,2002:float' && !test.includes('inf')) return false
    return true
  })
  return [...kept, goFloat]
}

/**
 * Parses substituted text as sigs.k8s.io/yaml YAMLToJSON does (S-3): YAML 1.1 resolution
 * (`yes`/`on` → true, `0x1F` → 31, `1e3` → 1000), merge keys, first document only, map
 * keys turned into strings. Errors carry position and code only, never source text, since
 * the text may hold Secret-sourced values.
 */
export function readYaml11(text: string): { ok: true; value: JsonValue } | { ok: false; error: string } {
  try {
    checkText(text)
    const docs = parseAllDocuments(text, { version: '1.1', customTags: goYaml11Tags, uniqueKeys: false, prettyErrors: false })
    const doc = Array.isArray(docs) ? docs[0] : undefined
    if (!doc) return { ok: true, value: null }
    const err = doc.errors[0]
    if (err) return { ok: false, error: `YAMLToJSON: ${err.code} at line ${lineAt(text, err.pos[0])}` }
    return { ok: true, value: (documentValue(doc, text) ?? null) as JsonValue }
  } catch (e) {
    if (!(e instanceof YamlError)) throw e
    return { ok: false, error: `YAMLToJSON: ${e.code}${e.line ? ` at line ${e.line}` : ''}` }
  }
}

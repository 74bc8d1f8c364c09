import { LRUCache } from 'lru-cache'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { approximateBytes } from '../model/size.js'
import { isKubeObject, type JsonValue, type KubeObject } from '../model/object.js'
import { cloneJson } from '../model/clone.js'
import { parseYaml12Documents, YAML_LIMITS } from '../yaml/index.js'

/** Files larger than this are not parsed: a render never needs them, and they could stall it. */
export const MAX_YAML_BYTES = YAML_LIMITS.maxFileBytes

/** One YAML document of a file, with the 1-based line where it starts. */
export interface YamlDoc {
  value: unknown
  line: number
}

/** A Kubernetes object read from a file, with where it was declared. */
export interface LocatedObject {
  object: KubeObject
  file: string
  line: number
}

const decoder = new TextDecoder()

/**
 * Parses every document of a YAML stream, keeping each document's start line. Syntax errors
 * become located diagnostics; the documents that parsed are still returned.
 */
export function parseYamlDocs(bytes: Uint8Array | string, file: string): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  if (typeof bytes !== 'string' && bytes.byteLength > MAX_YAML_BYTES) {
    diagnostics.push({ code: 'yaml/too-large', severity: 'error', message: `file is larger than ${MAX_YAML_BYTES} bytes and was not read`, location: { file } })
    return { docs: [], diagnostics }
  }
  const text = typeof bytes === 'string' ? bytes : decoder.decode(bytes)
  // A fleet reads the same files many times (cluster discovery, generated kustomizations,
  // the declaration index) and a pull request renders two mostly identical trees: parse
  // each clean text once; callers get their own copy, as they may modify the values.
  const hit = PARSED.get(text)
  if (hit) return { docs: copyDocs(hit), diagnostics }
  const parsed = parseUncached(text, file)
  if (parsed.diagnostics.length === 0 && text.length < 256 * 1024) {
    PARSED.set(text, copyDocs(parsed.docs))
  }
  return parsed
}

/**
 * parseYamlDocs for a caller that only reads the values: the parsed documents of a clean
 * text are shared with every other such caller, not copied (a fleet's kustomization files are
 * read again by every Kustomization that includes them). Never modify what it returns.
 */
export function peekYamlDocs(bytes: Uint8Array | string, file: string): readonly YamlDoc[] {
  if (typeof bytes !== 'string' && bytes.byteLength > MAX_YAML_BYTES) return []
  const text = typeof bytes === 'string' ? bytes : decoder.decode(bytes)
  const hit = PARSED.get(text)
  if (hit) return hit
  return parseYamlDocs(text, file).docs
}

/**
 * Parsed texts, for the life of the process (the App's too): bounded by size, least recently
 * used first. An entry counts its text (the key) and its documents.
 */
const PARSED = new LRUCache<string, YamlDoc[]>({ maxSize: 32 * 1024 * 1024, sizeCalculation: (docs, text) => Math.max(1, 2 * text.length + approximateBytes(docs)) })

function copyDocs(docs: readonly YamlDoc[]): YamlDoc[] {
  return docs.map((d) => ({ value: cloneJson(d.value as JsonValue), line: d.line }))
}

function parseUncached(text: string, file: string): { docs: YamlDoc[]; diagnostics: Diagnostic[] } {
  const { docs, errors } = parseYaml12Documents(text)
  const diagnostics: Diagnostic[] = errors.map((e) => ({ code: e.code, severity: 'error', message: e.message, location: { file, ...(e.line !== undefined ? { line: e.line } : {}) } }))
  return { docs: docs.map((d) => ({ value: d.value, line: d.line })), diagnostics }
}

/** The Kubernetes objects of a YAML stream (documents without apiVersion/kind/name are left out). */
export function parseObjects(bytes: Uint8Array | string, file: string): { objects: LocatedObject[]; diagnostics: Diagnostic[] } {
  const { docs, diagnostics } = parseYamlDocs(bytes, file)
  const objects: LocatedObject[] = []
  for (const d of docs) {
    if (isKubeObject(d.value)) objects.push({ object: d.value, file, line: d.line })
    else if (isList(d.value)) {
      for (const item of d.value.items) if (isKubeObject(item)) objects.push({ object: item, file, line: d.line })
    }
  }
  return { objects, diagnostics }
}

function isList(v: unknown): v is { items: unknown[] } {
  if (typeof v !== 'object' || v === null) return false
  const o = v as Record<string, unknown>
  return typeof o['kind'] === 'string' && (o['kind'] as string).endsWith('List') && Array.isArray(o['items'])
}

/** True for `.yaml` / `.yml` (case-sensitive, as Flux's generator checks, K-4). */
export function isYamlFile(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml')
}

import type { FileTree } from '../../../ports/file-tree.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { peekYamlDocs } from '../../load/yaml-docs.js'
import { encodeBase64 } from '../../model/base64.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { MASK } from '../../mask/markers.js'
import { KUSTOMIZATION_FILES } from './generate.js'
import { dotenvKeys, hasSopsMarker, sopsFormatForPath, type SopsFormat } from '../sops.js'

/** kustomize-controller's limit on a file it decrypts (maxEncryptedFileSize). */
const MAX_ENCRYPTED_BYTES = 5 << 20

/** A secretGenerator input Flux decrypts before the build (DecryptSources). */
export interface EncryptedInput {
  /** Tree path of the file. */
  path: string
  /** `files:` (one key, the whole file) or `envs:` (one key per line). */
  source: 'file' | 'env'
  /** The data keys it gives the generated Secret. */
  keys: string[]
  /** Its text, to find the Secret it went into (compared, never shown). */
  text: string
  /** Whether kustomize appends a content hash to the generated name. */
  hashed: boolean
}

/**
 * The secretGenerator `files:` and `envs:` inputs Flux decrypts before building (K-17,
 * DecryptSources): from the build folder, every kustomization reachable through `resources`
 * and `components` folders, inside the artifact; a file counts when it holds the SOPS marker
 * of the format its key (files) or path (envs) names. Read only; nothing is decrypted.
 */
export function encryptedGeneratorInputs(tree: FileTree, dir: string): EncryptedInput[] {
  const out: EncryptedInput[] = []
  const seenDirs = new Set<string>()
  const seenFiles = new Set<string>()
  const visit = (at: string, depth: number): void => {
    if (seenDirs.has(at) || depth > 64 || tree.stat(at)?.type !== 'dir') return
    seenDirs.add(at)
    const k = kustomizationOf(tree, at)
    if (!k) return
    const globalHashOff = disablesHash(k['generatorOptions'])
    for (const gen of list(k['secretGenerator']).filter(isJsonObject)) {
      const hashed = !globalHashOff && !disablesHash(gen['options'])
      for (const entry of list(gen['files']).map(String)) {
        const eq = entry.indexOf('=')
        const key = eq < 0 ? entry : entry.slice(0, eq)
        const input = read(tree, inside(at, eq < 0 ? entry : entry.slice(eq + 1)), sopsFormatForPath(key), seenFiles)
        if (input) out.push({ ...input, source: 'file', keys: [basename(key)], hashed })
      }
      for (const env of list(gen['envs']).map(String)) {
        const format = sopsFormatForPath(env)
        const input = read(tree, inside(at, env), format === 'binary' ? 'dotenv' : format, seenFiles)
        if (input) out.push({ ...input, source: 'env', keys: dotenvKeys(input.text), hashed })
      }
    }
    for (const r of [...list(k['resources']), ...list(k['components'])]) if (typeof r === 'string') visit(inside(at, r), depth + 1)
  }
  visit(dir, 0)
  return out
}

/** The kustomization file of a folder, parsed; undefined when there is none or more than one. */
function kustomizationOf(tree: FileTree, dir: string): JsonObject | undefined {
  const found = KUSTOMIZATION_FILES.map((n) => (dir ? `${dir}/${n}` : n)).filter((p) => tree.stat(p)?.type === 'file')
  if (found.length !== 1) return undefined
  const doc = peekYamlDocs(tree.readFile(found[0]!) ?? new Uint8Array(), found[0]!)[0]?.value
  return isJsonObject(doc as JsonValue) ? (doc as JsonObject) : undefined
}

function read(tree: FileTree, path: string, format: SopsFormat, seen: Set<string>): { path: string; text: string } | undefined {
  if (seen.has(path)) return undefined
  const st = tree.stat(path)
  if (st?.type !== 'file' || (st.size ?? 0) > MAX_ENCRYPTED_BYTES) return undefined
  const text = new TextDecoder().decode(tree.readFile(path) ?? new Uint8Array())
  if (!hasSopsMarker(text, format)) return undefined
  seen.add(path)
  return { path, text }
}

/**
 * Generated Secrets built from encrypted inputs, as the plan can show them (K-17): Flux builds
 * them from the decrypted files, so their values and the hash kustomize appends to their name
 * are unknown offline. The suffix becomes `***` (in the Secret and wherever the build wrote
 * its name), and a dotenv input's `sops_*` metadata lines, gone once decrypted, are dropped.
 * Returns, per generated Secret, the inputs it was built from.
 */
export function maskEncryptedInputs(objects: KubeObject[], inputs: readonly EncryptedInput[]): Map<KubeObject, string[]> {
  const marked = new Map<KubeObject, string[]>()
  const renames = new Map<string, string>()
  for (const input of inputs) {
    const secret = objects.find((o) => o.kind === 'Secret' && o.apiVersion === 'v1' && holds(o, input))
    if (!secret) continue
    marked.set(secret, [...(marked.get(secret) ?? []), input.path])
    const data = secret['data'] as JsonObject
    if (input.source === 'env') for (const k of Object.keys(data)) if (k.startsWith('sops_')) delete data[k]
    const name = secret.metadata.name
    if (input.hashed && /-[a-z0-9]{10}$/.test(name) && !renames.has(name)) renames.set(name, `${name.slice(0, -10)}${MASK}`)
  }
  if (renames.size > 0) for (const o of objects) rename(o as unknown as JsonObject, renames)
  return marked
}

/** Whether the generated Secret took its values from this input. */
function holds(secret: KubeObject, input: EncryptedInput): boolean {
  const data = isJsonObject(secret['data']) ? secret['data'] : undefined
  if (!data) return false
  const value = (k: string): string | undefined => (typeof data[k] === 'string' ? (data[k] as string).replace(/\s+/g, '') : undefined)
  if (input.source === 'file') return value(input.keys[0]!) === encodeBase64(input.text)
  return input.keys.length > 0 && input.keys.every((k) => value(k) !== undefined) && envValues(input.text).every(([k, v]) => value(k) === undefined || value(k) === encodeBase64(v))
}

function envValues(text: string): [string, string][] {
  const out: [string, string][] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart()
    const eq = line.indexOf('=')
    if (line === '' || line.startsWith('#') || eq < 0) continue
    out.push([line.slice(0, eq), line.slice(eq + 1)])
  }
  return out
}

/** Replaces whole strings that name a renamed Secret (its name, and references kustomize wrote). */
function rename(v: JsonObject, renames: ReadonlyMap<string, string>): void {
  for (const [k, x] of Object.entries(v)) {
    if (typeof x === 'string') {
      const to = renames.get(x)
      if (to !== undefined) v[k] = to
    } else if (Array.isArray(x)) {
      x.forEach((y, i) => {
        if (typeof y === 'string') x[i] = renames.get(y) ?? y
        else if (isJsonObject(y)) rename(y, renames)
      })
    } else if (isJsonObject(x)) rename(x, renames)
  }
}

/** Warnings for encrypted inputs of a Kustomization that does not decrypt: Flux builds from the ciphertext. */
export function undecryptedInputs(inputs: readonly EncryptedInput[]): Diagnostic[] {
  return inputs.map((i) => ({
    code: 'render/sops-input-not-decrypted',
    severity: 'warning' as const,
    message: `secretGenerator input ${i.path} is SOPS-encrypted but the Kustomization has no SOPS decryption: Flux builds the Secret from the ciphertext (K-17)`,
    location: { file: i.path },
  }))
}

function disablesHash(options: JsonValue | undefined): boolean {
  return isJsonObject(options) && options['disableNameSuffixHash'] === true
}

function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : []
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1)
}

/** secureJoin of a path named in a kustomization: inside the artifact, a leading `/` relative to it. */
function inside(dir: string, rel: string): string {
  const out: string[] = rel.startsWith('/') ? [] : dir.split('/').filter((p) => p !== '')
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return out.join('/')
}

import { bytesToBase64 } from '../../model/base64.js'
import { setOwn } from '../../model/own.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { field } from './kustomization.js'
import { KustomizeError, type Loader } from './loader.js'
import { ANNO, makeRes, type Res } from './resource.js'

/** generatorOptions, after kustomize merged the global ones into a generator's own. */
export interface GenOptions {
  labels?: Record<string, string>
  annotations?: Record<string, string>
  disableNameSuffixHash?: boolean
  immutable?: boolean
}

function strMap(v: JsonValue | undefined): Record<string, string> | undefined {
  if (!isJsonObject(v)) return undefined
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'string' ? x : x === null ? '' : String(x)]))
}

export function parseOptions(v: JsonValue | undefined): GenOptions | undefined {
  if (!isJsonObject(v)) return undefined
  const o: GenOptions = {}
  const l = strMap(field(v, 'labels'))
  if (l) o.labels = l
  const a = strMap(field(v, 'annotations'))
  if (a) o.annotations = a
  if (field(v, 'disableNameSuffixHash') === true) o.disableNameSuffixHash = true
  if (field(v, 'immutable') === true) o.immutable = true
  return o
}

/** The generator's own options win over the kustomization's generatorOptions. */
export function mergeGlobalOptions(local: GenOptions | undefined, global: GenOptions | undefined): GenOptions | undefined {
  if (!global) return local
  const out: GenOptions = { ...(local ?? {}) }
  if (global.labels) out.labels = { ...global.labels, ...(out.labels ?? {}) }
  if (global.annotations) out.annotations = { ...global.annotations, ...(out.annotations ?? {}) }
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true
  if (global.immutable) out.immutable = true
  return out
}

function stripQuotes(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1)
  return v
}

function basename(p: string): string {
  const parts = p.split('/')
  return parts[parts.length - 1] as string
}

function envPairs(text: string, file: string): [string, string][] {
  const out: [string, string][] = []
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.replace(/^\s+/, '')
    if (line === '' || line.startsWith('#')) return
    const eq = line.indexOf('=')
    const key = eq < 0 ? line : line.slice(0, eq)
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(key)) {
      throw new KustomizeError(`"${key}" is not a valid key name: a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (line ${i + 1} of ${file})`, 'kustomize/invalid-env', file)
    }
    // A line without `=` takes the value from the environment, which a pure build has not.
    out.push([key, eq < 0 ? '' : line.slice(eq + 1)])
  })
  return out
}

// Go's utf8.Valid: valid UTF-8 (a U+FFFD written in the file included) goes to `data`, kept
// byte for byte (a byte-order mark too); anything else goes to `binaryData`.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return UTF8.decode(bytes)
  } catch {
    return undefined
  }
}

const base64 = bytesToBase64

interface DataSets {
  data: Record<string, string>
  binary: Record<string, string>
}

/** Collects literals, env files and files of a generator in kustomize's order. */
function collect(args: JsonObject, ldr: Loader, kindName: string): DataSets {
  const name = String(field(args, 'name') ?? '')
  const out: DataSets = { data: {}, binary: {} }
  const put = (k: string, v: string, binary = false): void => {
    if (Object.hasOwn(out.data, k) || Object.hasOwn(out.binary, k)) {
      throw new KustomizeError(`${kindName} ${name} illegally repeats the key \`${k}\``, 'kustomize/generator-duplicate-key')
    }
    setOwn(binary ? out.binary : out.data, k, v)
  }
  const envs = [...asStrings(field(args, 'envs'))]
  const env = field(args, 'env')
  if (typeof env === 'string' && env !== '') envs.push(env)
  for (const e of envs) for (const [k, v] of envPairs(ldr.load(e), e)) put(k, v)
  for (const lit of asStrings(field(args, 'literals'))) {
    const eq = lit.indexOf('=')
    if (eq <= 0) throw new KustomizeError(`invalid literal source ${lit}, expected key=value`, 'kustomize/generator-literal')
    put(lit.slice(0, eq), stripQuotes(lit.slice(eq + 1)))
  }
  for (const f of asStrings(field(args, 'files'))) {
    const eq = f.indexOf('=')
    const key = eq < 0 ? basename(f) : f.slice(0, eq)
    const path = eq < 0 ? f : f.slice(eq + 1)
    if (key === '') throw new KustomizeError(`key names cannot be empty: ${f}`, 'kustomize/generator-file')
    const bytes = ldr.loadBytes(path)
    const text = utf8Text(bytes)
    if (text !== undefined) put(key, text)
    else put(key, base64(bytes), true)
  }
  return out
}

function asStrings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : String(x))) : []
}

function finish(obj: JsonObject, args: JsonObject, opts: GenOptions | undefined): Res {
  const m = obj['metadata'] as JsonObject
  const ns = field(args, 'namespace')
  if (typeof ns === 'string' && ns !== '') m['namespace'] = ns
  if (opts?.labels && Object.keys(opts.labels).length > 0) m['labels'] = { ...opts.labels }
  const annotations: Record<string, string> = { ...(opts?.annotations ?? {}) }
  const behavior = field(args, 'behavior')
  if (typeof behavior === 'string' && behavior !== '' && behavior !== 'create') annotations[ANNO.genBehavior] = behavior
  if (!opts?.disableNameSuffixHash) annotations[ANNO.needsHash] = 'enabled'
  if (Object.keys(annotations).length > 0) m['annotations'] = annotations
  if (opts?.immutable) obj['immutable'] = true
  return makeRes(obj)
}

function checkBehavior(args: JsonObject): void {
  const b = field(args, 'behavior')
  if (b !== undefined && b !== null && b !== '' && b !== 'create' && b !== 'merge' && b !== 'replace') {
    throw new KustomizeError(`invalid generator behavior: ${String(b)}`, 'kustomize/generator-behavior')
  }
}

/** kustomize's ConfigMapGenerator for one `configMapGenerator:` entry. */
export function generateConfigMap(args: JsonObject, ldr: Loader, opts: GenOptions | undefined): Res {
  checkBehavior(args)
  const { data, binary } = collect(args, ldr, 'configmap')
  const obj: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: String(field(args, 'name') ?? '') } }
  if (Object.keys(data).length > 0) obj['data'] = data
  if (Object.keys(binary).length > 0) obj['binaryData'] = binary
  return finish(obj, args, opts)
}

/** kustomize's SecretGenerator: values base64-encoded under `data`, type Opaque by default. */
export function generateSecret(args: JsonObject, ldr: Loader, opts: GenOptions | undefined): Res {
  checkBehavior(args)
  const { data, binary } = collect(args, ldr, 'secret')
  const enc: Record<string, string> = {}
  for (const [k, v] of Object.entries(data)) setOwn(enc, k, wrapBase64(base64(new TextEncoder().encode(v))))
  for (const [k, v] of Object.entries(binary)) setOwn(enc, k, v)
  const type = field(args, 'type')
  const obj: JsonObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: String(field(args, 'name') ?? '') },
    type: typeof type === 'string' && type !== '' ? type : 'Opaque',
  }
  if (Object.keys(enc).length > 0) obj['data'] = enc
  return finish(obj, args, opts)
}

/** kustomize wraps long base64 values at 70 characters, each line ending in a newline. */
function wrapBase64(b64: string): string {
  const lineLen = 70
  const lines = Math.floor(b64.length / lineLen) + 1
  if (lines <= 1) return b64
  let out = ''
  for (let i = 0; i < b64.length; i += lineLen) out += b64.slice(i, i + lineLen) + '\n'
  return out
}

import { decodeBase64 } from '../model/base64.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../model/object.js'

/*
 * SOPS as kustomize-controller sees it (internal/decryptor/decryptor.go), read-only: Fluxgate
 * never decrypts, it only recognises what Flux would decrypt and so what it cannot know.
 */

/** The input formats SOPS stores files in; `binary` is a JSON envelope at rest. */
export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary'

/**
 * The bytes that say "this is SOPS data" in each format (the decryptor's
 * sopsFormatToMarkerBytes): the encrypted MAC, or the ini metadata section.
 */
const MARKERS: ReadonlyArray<readonly [SopsFormat, string]> = [
  ['binary', '"mac": "ENC['],
  ['dotenv', 'sops_mac=ENC['],
  ['ini', '[sops]'],
  ['json', '"mac": "ENC['],
  ['yaml', 'mac: ENC['],
]

/** The format SOPS assumes for a path (sops formats.FormatForPath, with Flux's `.dockerconfigjson` rule). */
export function sopsFormatForPath(path: string): SopsFormat {
  if (path.endsWith('.dockerconfigjson') || path.endsWith('.json')) return 'json'
  if (path.endsWith('.yaml') || path.endsWith('.yml')) return 'yaml'
  if (path.endsWith('.env')) return 'dotenv'
  if (path.endsWith('.ini')) return 'ini'
  return 'binary'
}

/** True when `text` holds the SOPS marker of `format` (what sopsDecryptFile checks before decrypting). */
export function hasSopsMarker(text: string, format: SopsFormat): boolean {
  const marker = MARKERS.find(([f]) => f === format)![1]
  return text.includes(marker)
}

/** True when `text` holds the marker of any format (detectFormatFromMarkerBytes). */
export function looksSopsEncrypted(text: string): boolean {
  return MARKERS.some(([, marker]) => text.includes(marker))
}

/** isSOPSEncryptedResource: a top-level `sops` map whose `mac` is set; Flux decrypts such an object whole. */
export function hasSopsMac(obj: KubeObject): boolean {
  const sops = obj['sops']
  if (!isJsonObject(sops)) return false
  const mac = sops['mac']
  return mac !== undefined && mac !== null && mac !== '' && !(isJsonObject(mac) && Object.keys(mac).length === 0)
}

/** IsEncryptedSecret: a core v1 Secret that still has a `sops` field when Flux applies it. */
export function isEncryptedSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && obj.apiVersion === 'v1' && Object.hasOwn(obj, 'sops')
}

/**
 * The Secret data values Flux decrypts one by one (DecryptResource on a Secret without a
 * `sops` map): decoded values holding a SOPS marker.
 */
export function hasEncryptedSecretData(obj: KubeObject): boolean {
  if (obj.kind !== 'Secret' || !isJsonObject(obj['data'])) return false
  return Object.values(obj['data']).some((v) => typeof v === 'string' && looksSopsEncrypted(decodeBase64(v.replace(/\s+/g, ''))))
}

/** K-17: what Flux would decrypt, by either rule. */
export function needsDecryption(obj: KubeObject): boolean {
  return hasSopsMac(obj) || hasEncryptedSecretData(obj)
}

const isCiphertext = (v: JsonValue | undefined): boolean => typeof v === 'string' && v.includes('ENC[')

/**
 * An object whose identity is SOPS ciphertext (a whole-file SOPS document: no `encrypted_regex`,
 * so `apiVersion`, `kind`, `metadata.name` or `namespace` are `ENC[…]`). Nothing but its file
 * says what it is.
 */
export function hasEncryptedIdentity(obj: KubeObject): boolean {
  const meta = isJsonObject(obj.metadata as unknown as JsonValue) ? obj.metadata : undefined
  return isCiphertext(obj.apiVersion) || isCiphertext(obj.kind) || isCiphertext(meta?.name) || isCiphertext(meta?.namespace)
}

/** The keys of `data` and `stringData` (SOPS leaves keys in clear): what a SOPS Secret may provide. */
export function dataKeys(obj: KubeObject): string[] {
  const out = new Set<string>()
  for (const field of ['data', 'stringData']) {
    const d = obj[field]
    if (isJsonObject(d)) for (const k of Object.keys(d)) out.add(k)
  }
  return [...out]
}

/** The keys a SOPS dotenv file defines (its `sops_*` lines are SOPS metadata, gone once decrypted). */
export function dotenvKeys(text: string): string[] {
  const out: string[] = []
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimStart()
    if (line === '' || line.startsWith('#')) continue
    const eq = line.indexOf('=')
    const key = eq < 0 ? line : line.slice(0, eq)
    if (!key.startsWith('sops_')) out.push(key)
  }
  return out
}

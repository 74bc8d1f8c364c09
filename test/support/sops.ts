/**
 * Files as `sops --encrypt` writes them (SOPS 3.x, age recipient), for fixtures: every value
 * that the rules select is really encrypted with AES-256-GCM under a random data key, with a
 * fresh IV per value, so encrypting the same plaintext twice gives other bytes, exactly as a
 * re-encryption (key rotation, `sops updatekeys`, an edit of another value) does. Nothing in
 * Fluxgate decrypts; these are only realistic inputs.
 */
import { createCipheriv, randomBytes } from 'node:crypto'

type Tree = string | number | boolean | null | Tree[] | { [k: string]: Tree }

/** Which values are encrypted: all (a `.sops.yaml` without rules), or keys matching a regex. */
export interface SopsRules {
  encryptedRegex?: RegExp
}

const RECIPIENT = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p'

/** One value as SOPS stores it: `ENC[AES256_GCM,data:…,iv:…,tag:…,type:…]`. */
export function encryptValue(plain: string | number | boolean, key: Buffer = randomBytes(32)): string {
  const iv = randomBytes(32)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(String(plain), 'utf8'), cipher.final()])
  const type = typeof plain === 'number' ? (Number.isInteger(plain) ? 'int' : 'float') : typeof plain === 'boolean' ? 'bool' : 'str'
  return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${cipher.getAuthTag().toString('base64')},type:${type}]`
}

function encryptTree(v: Tree, rules: SopsRules, key: Buffer, selected: boolean): Tree {
  if (Array.isArray(v)) return v.map((x) => encryptTree(x, rules, key, selected))
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encryptTree(x, rules, key, selected || (rules.encryptedRegex?.test(k) ?? false))]))
  }
  return selected && v !== null ? encryptValue(v, key) : v
}

function metadata(rules: SopsRules, key: Buffer): { [k: string]: Tree } {
  return {
    kms: [],
    gcp_kms: [],
    azure_kv: [],
    hc_vault: [],
    age: [{ recipient: RECIPIENT, enc: `-----BEGIN AGE ENCRYPTED FILE-----\n${randomBytes(150).toString('base64')}\n-----END AGE ENCRYPTED FILE-----\n` }],
    lastmodified: new Date(Date.UTC(2026, 0, 1, 0, 0, randomBytes(1)[0]!)).toISOString().replace('.000', ''),
    mac: encryptValue(randomBytes(32).toString('hex').toUpperCase(), key),
    pgp: [],
    ...(rules.encryptedRegex ? { encrypted_regex: rules.encryptedRegex.source } : { unencrypted_suffix: '_unencrypted' }),
    version: '3.9.1',
  }
}

/** A YAML document encrypted with SOPS (4-space indentation, as SOPS writes YAML). */
export function sopsYaml(doc: { [k: string]: Tree }, rules: SopsRules = {}): string {
  const key = randomBytes(32)
  const all = rules.encryptedRegex === undefined
  const body = encryptTree(doc, rules, key, all) as { [k: string]: Tree }
  return emitYaml({ ...body, sops: metadata(rules, key) }, 0)
}

/** A dotenv file encrypted with SOPS: `KEY=ENC[…]` lines, then the `sops_*` metadata lines. */
export function sopsDotenv(pairs: Record<string, string>): string {
  const key = randomBytes(32)
  const lines = Object.entries(pairs).map(([k, v]) => `${k}=${encryptValue(v, key)}`)
  const enc = `-----BEGIN AGE ENCRYPTED FILE-----\\n${randomBytes(150).toString('base64')}\\n-----END AGE ENCRYPTED FILE-----\\n`
  lines.push(`sops_age__list_0__map_enc=${enc}`, `sops_age__list_0__map_recipient=${RECIPIENT}`, 'sops_lastmodified=2026-01-01T00:00:00Z', `sops_mac=${encryptValue(randomBytes(32).toString('hex'), key)}`, 'sops_unencrypted_suffix=_unencrypted', 'sops_version=3.9.1')
  return lines.join('\n') + '\n'
}

function scalar(v: string | number | boolean | null): string {
  if (v === null) return 'null'
  if (typeof v !== 'string') return String(v)
  return /^[A-Za-z0-9_./@+=,[\]:-]+$/.test(v) && !/^(true|false|null|yes|no|on|off|~|[0-9.+-].*)$/i.test(v) && !v.includes(': ') ? v : JSON.stringify(v)
}

function emitYaml(v: Tree, indent: number): string {
  const pad = ' '.repeat(indent)
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]\n'
    return v.map((x) => `${pad}- ${emitYaml(x, indent + 2).slice(indent + 2)}`).join('')
  }
  if (v !== null && typeof v === 'object') {
    return Object.entries(v).map(([k, x]) => {
      if (typeof x === 'string' && x.includes('\n')) return `${pad}${k}: |\n${x.replace(/\n$/, '').split('\n').map((l) => `${pad}    ${l}`).join('\n')}\n`
      if (x !== null && typeof x === 'object' && (Array.isArray(x) ? x.length > 0 : Object.keys(x).length > 0)) return `${pad}${k}:\n${emitYaml(x, indent + 4)}`
      if (Array.isArray(x)) return `${pad}${k}: []\n`
      if (x !== null && typeof x === 'object') return `${pad}${k}: {}\n`
      return `${pad}${k}: ${scalar(x)}\n`
    }).join('')
  }
  return `${scalar(v)}\n`
}

import { readFileSync } from 'node:fs'
import { isJsonObject } from '../../core/model/object.js'
import { parseYaml12 as parse } from '../../core/yaml/index.js'

/** A user name and password (or token) for one registry host. Never printed. */
export interface RegistryCredentials {
  username: string
  password: string
}

/**
 * Registry settings that come from the operator, never from the pull request: credentials
 * per host and the limits of one run.
 */
export interface RegistrySettings {
  /** Credentials keyed by host as written in images (`ghcr.io`, `docker.io`, `127.0.0.1:5000`). */
  credentials: Map<string, RegistryCredentials>
  /** Upper bound on HTTP requests in one run (token requests and retries included). */
  maxRequests?: number
  /** Retries after a 429, a 5xx or a network error, per request. */
  maxRetries?: number
  /** `n` asked for per tags page. */
  pageSize?: number
}

/** Thrown when the configuration file cannot be used; ends the run (it is the operator's input). */
export class RegistryConfigError extends Error {
  readonly code = 'registry-config'
}

/**
 * Reads a registry configuration file (YAML or JSON). Two shapes are accepted, and may be
 * mixed:
 *
 * ```yaml
 * registries:
 *   ghcr.io: { username: me, passwordEnv: GHCR_TOKEN }   # or password: literal
 *   123456789012.dkr.ecr.eu-west-1.amazonaws.com: { tokenEnv: ECR_PASSWORD }
 * maxRequests: 300
 * auths:                       # a Docker config.json / dockerconfigjson Secret's content
 *   docker.io: { auth: base64(user:password) }
 * ```
 *
 * `*Env` names an environment variable of the process, so no secret has to sit in the file.
 */
export function loadRegistrySettings(file: string, env: Record<string, string | undefined>): RegistrySettings {
  let raw: unknown
  try {
    raw = parse(readFileSync(file, 'utf8'))
  } catch (err) {
    throw new RegistryConfigError(`cannot read registry config ${file}: ${err instanceof Error ? err.name : 'error'}`)
  }
  return registrySettingsFrom(raw ?? {}, env)
}

/** The settings a parsed configuration value describes; see loadRegistrySettings. */
export function registrySettingsFrom(raw: unknown, env: Record<string, string | undefined>): RegistrySettings {
  if (!isJsonObject(raw)) throw new RegistryConfigError('registry config must be a mapping')
  const credentials = new Map<string, RegistryCredentials>()
  const auths = isJsonObject(raw['auths']) ? raw['auths'] : {}
  for (const [host, entry] of Object.entries(auths)) {
    const c = isJsonObject(entry) ? dockerAuth(entry) : undefined
    if (c) credentials.set(normalizeHost(host), c)
  }
  const registries = isJsonObject(raw['registries']) ? raw['registries'] : {}
  for (const [host, entry] of Object.entries(registries)) {
    if (!isJsonObject(entry)) throw new RegistryConfigError(`registries.${host} must be a mapping`)
    credentials.set(normalizeHost(host), credentialsOf(host, entry, env))
  }
  return {
    credentials,
    ...numberField(raw, 'maxRequests'),
    ...numberField(raw, 'maxRetries'),
    ...numberField(raw, 'pageSize'),
  }
}

function credentialsOf(host: string, entry: Record<string, unknown>, env: Record<string, string | undefined>): RegistryCredentials {
  const read = (key: string): string | undefined => {
    const literal = entry[key]
    if (typeof literal === 'string') return literal
    const envName = entry[`${key}Env`]
    if (typeof envName !== 'string') return undefined
    const value = env[envName]
    if (value === undefined) throw new RegistryConfigError(`registries.${host}.${key}Env: environment variable ${envName} is not set`)
    return value
  }
  const username = read('username')
  const password = read('password') ?? read('token')
  if (password === undefined) throw new RegistryConfigError(`registries.${host} needs password, passwordEnv, token or tokenEnv`)
  // A bare token gets the provider's conventional user name later (reference.ts tokenUserFor).
  return { username: username ?? '', password }
}

function dockerAuth(entry: Record<string, unknown>): RegistryCredentials | undefined {
  if (typeof entry['username'] === 'string' && typeof entry['password'] === 'string') {
    return { username: entry['username'], password: entry['password'] }
  }
  if (typeof entry['auth'] !== 'string') return undefined
  const decoded = Buffer.from(entry['auth'], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
}

/** `https://index.docker.io/v1/` → `docker.io`; `GHCR.io` → `ghcr.io`. */
export function normalizeHost(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').split('/')[0]!.toLowerCase()
  if (host === 'index.docker.io' || host === 'registry-1.docker.io' || host === 'registry.hub.docker.com') return 'docker.io'
  return host
}

function numberField(raw: Record<string, unknown>, key: 'maxRequests' | 'maxRetries' | 'pageSize'): Partial<RegistrySettings> {
  const v = raw[key]
  if (v === undefined) return {}
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RegistryConfigError(`${key} must be a non-negative integer`)
  return { [key]: v }
}

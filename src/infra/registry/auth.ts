import type { RegistryCredentials } from './config.js'

/** One `WWW-Authenticate` challenge: scheme plus its parameters (keys lower-cased). */
export interface AuthChallenge {
  scheme: 'bearer' | 'basic' | string
  params: Record<string, string>
}

/**
 * Parses a `WWW-Authenticate` header value such as
 * `Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull"`.
 * Quoted values may contain commas and escaped quotes; several challenges may follow each
 * other.
 */
export function parseChallenges(header: string): AuthChallenge[] {
  const out: AuthChallenge[] = []
  let current: AuthChallenge | undefined
  let i = 0
  for (;;) {
    while (i < header.length && /[\s,]/.test(header[i]!)) i++
    const token = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(header.slice(i))?.[0]
    if (!token) return out
    let k = i + token.length
    while (header[k] === ' ') k++
    if (header[k] !== '=') {
      current = { scheme: token.toLowerCase(), params: {} }
      out.push(current)
      i += token.length
      continue
    }
    k++
    while (header[k] === ' ') k++
    let value = ''
    if (header[k] === '"') {
      for (k++; k < header.length && header[k] !== '"'; k++) {
        if (header[k] === '\\') k++
        value += header[k] ?? ''
      }
      k++
    } else {
      value = /^[^,\s]*/.exec(header.slice(k))![0]
      k += value.length
    }
    if (current) current.params[token.toLowerCase()] = value
    i = k
  }
}

/** `Basic base64(user:password)`. */
export function basicHeader(c: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`
}

/**
 * The URL to ask a token service for a pull token: the challenge's realm with `service` and
 * the scope for the repository (`repository:<name>:pull`), as the distribution token spec and
 * every public registry (GHCR, Docker Hub, Quay, GAR) expect.
 */
export function tokenUrl(challenge: AuthChallenge, repository: string): URL | undefined {
  const realm = challenge.params['realm']
  if (!realm) return undefined
  let url: URL
  try {
    url = new URL(realm)
  } catch {
    return undefined
  }
  if (challenge.params['service']) url.searchParams.set('service', challenge.params['service'])
  url.searchParams.set('scope', challenge.params['scope'] ?? `repository:${repository}:pull`)
  return url
}

/** The token in a token service answer (`token`, or OAuth2's `access_token`). */
export function tokenFrom(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined
  const b = body as Record<string, unknown>
  const t = b['token'] ?? b['access_token']
  return typeof t === 'string' && t !== '' ? t : undefined
}

/** Strips user info from a URL so it can appear in a message. */
export function safeUrl(url: URL | string): string {
  const u = new URL(String(url))
  u.username = ''
  u.password = ''
  return u.toString()
}

import type { RegistryErrorKind } from '../../ports/registry.js'
import { basicHeader, parseChallenges, safeUrl, tokenFrom, tokenUrl, type AuthChallenge } from './auth.js'
import type { RegistryCredentials } from './config.js'

/** A registry call that failed; turned into a RegistryResult at the client's boundary. */
export class RegistryCallError extends Error {
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message)
  }
}

/** Limits and seams of the transport; every field has a default. */
export interface TransportOptions {
  /** Upper bound on requests for the transport's lifetime (one run). Default 500. */
  maxRequests?: number
  /** Retries after 429, 5xx or a network error. Default 3. */
  maxRetries?: number
  /** Longest Retry-After honoured, in ms; a longer one fails the call. Default 60 s. */
  maxRetryAfterMs?: number
  /** Per-request timeout in ms. Default 30 s. */
  timeoutMs?: number
  /** Requests in flight at once, over all registries. Default 6. */
  concurrency?: number
  /** Replaceable for tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>
  fetch?: typeof fetch
}

/** What one logical request needs: the repository (for the token scope) and its credentials. */
export interface RequestContext {
  repository: string
  credentials?: RegistryCredentials
  /** Plain HTTP is in use: a token realm on plain HTTP is then acceptable too. */
  insecure: boolean
}

/**
 * HTTP to registries with the behaviour every call shares (style rule 6): a request budget
 * per run, bounded retries with Retry-After for 429/5xx/network failures (classified as
 * `external-host`), and the auth dance (Basic, or a Bearer token fetched from the challenge's
 * realm, anonymously or with the configured credentials). Tokens are remembered per host and
 * scope for the run.
 */
export class RegistryTransport {
  private used = 0
  private inFlight = 0
  private readonly waiting: (() => void)[] = []
  private readonly tokens = new Map<string, string>()
  private readonly schemes = new Map<string, 'basic'>()
  private readonly opts: Required<TransportOptions>

  constructor(options: TransportOptions = {}) {
    this.opts = {
      maxRequests: options.maxRequests ?? 500,
      maxRetries: options.maxRetries ?? 3,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 60_000,
      timeoutMs: options.timeoutMs ?? 30_000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      fetch: options.fetch ?? globalThis.fetch,
      concurrency: options.concurrency ?? 6,
    }
  }

  /** Requests sent so far in this run. */
  get requestCount(): number {
    return this.used
  }

  /** Sends a request, authenticating on a 401 challenge once; returns the final response. */
  async request(url: URL, init: { method: string; headers: Record<string, string> }, ctx: RequestContext): Promise<Response> {
    const scopeKey = `${url.host}|${ctx.repository}`
    const first = await this.send(url, { ...init, headers: { ...init.headers, ...this.knownAuth(url.host, scopeKey, ctx) } })
    if (first.status !== 401) return first
    const challenges = parseChallenges(first.headers.get('www-authenticate') ?? '')
    await first.body?.cancel()
    const auth = await this.answer(challenges, url, scopeKey, ctx)
    if (!auth) throw unauthorized(url, ctx)
    const second = await this.send(url, { ...init, headers: { ...init.headers, Authorization: auth } })
    if (second.status === 401) {
      await second.body?.cancel()
      this.tokens.delete(scopeKey)
      throw unauthorized(url, ctx)
    }
    return second
  }

  private knownAuth(host: string, scopeKey: string, ctx: RequestContext): Record<string, string> {
    const token = this.tokens.get(scopeKey)
    if (token) return { Authorization: `Bearer ${token}` }
    if (this.schemes.get(host) === 'basic' && ctx.credentials) return { Authorization: basicHeader(ctx.credentials) }
    return {}
  }

  private async answer(challenges: AuthChallenge[], url: URL, scopeKey: string, ctx: RequestContext): Promise<string | undefined> {
    const bearer = challenges.find((c) => c.scheme === 'bearer')
    if (bearer) {
      const token = await this.fetchToken(bearer, ctx)
      this.tokens.set(scopeKey, token)
      return `Bearer ${token}`
    }
    if (challenges.some((c) => c.scheme === 'basic') && ctx.credentials) {
      this.schemes.set(url.host, 'basic')
      return basicHeader(ctx.credentials)
    }
    return undefined
  }

  private async fetchToken(challenge: AuthChallenge, ctx: RequestContext): Promise<string> {
    const url = tokenUrl(challenge, ctx.repository)
    if (!url) throw new RegistryCallError('bad-response', 'registry sent a Bearer challenge without a usable realm')
    // Credentials travel to the token service only over TLS, unless the operator allowed
    // plain HTTP for this registry (I-1 `insecure`).
    if (url.protocol !== 'https:' && !ctx.insecure) {
      throw new RegistryCallError('insecure-refused', `token realm ${safeUrl(url)} is not HTTPS`)
    }
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (ctx.credentials) headers['Authorization'] = basicHeader(ctx.credentials)
    const res = await this.send(url, { method: 'GET', headers })
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel()
      throw new RegistryCallError('unauthorized', `token service ${safeUrl(url)} refused the ${ctx.credentials ? 'configured credentials' : 'anonymous request'}`, res.status)
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new RegistryCallError('bad-response', `token service ${safeUrl(url)} answered ${res.status}`, res.status)
    }
    const token = tokenFrom(await res.json().catch(() => undefined))
    if (!token) throw new RegistryCallError('bad-response', `token service ${safeUrl(url)} sent no token`)
    return token
  }

  /** One request with budget and bounded retries; 429/5xx/network errors become external-host. */
  private async send(url: URL, init: { method: string; headers: Record<string, string> }): Promise<Response> {
    let lastProblem = ''
    let lastStatus: number | undefined
    for (let attempt = 0; attempt <= this.opts.maxRetries; attempt++) {
      if (this.used >= this.opts.maxRequests) {
        throw new RegistryCallError('budget-exhausted', `request budget of ${this.opts.maxRequests} registry requests for this run is used up`)
      }
      this.used++
      let res: Response
      try {
        res = await this.limited(() => this.opts.fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(this.opts.timeoutMs) }))
      } catch (err) {
        lastProblem = networkReason(err)
        lastStatus = undefined
        await this.opts.sleep(backoff(attempt))
        continue
      }
      if (res.status !== 429 && res.status < 500) return res
      await res.body?.cancel()
      lastStatus = res.status
      lastProblem = `HTTP ${res.status}`
      const wait = retryAfterMs(res.headers.get('retry-after')) ?? backoff(attempt)
      if (wait > this.opts.maxRetryAfterMs) break
      if (attempt < this.opts.maxRetries) await this.opts.sleep(wait)
    }
    throw new RegistryCallError('external-host', `${safeUrl(url)} failed after retries: ${lastProblem}`, lastStatus)
  }

  /** Runs `work` when fewer than `concurrency` requests are in flight (scans run policies in parallel). */
  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.opts.concurrency) await new Promise<void>((r) => this.waiting.push(r))
    this.inFlight++
    try {
      return await work()
    } finally {
      this.inFlight--
      this.waiting.shift()?.()
    }
  }
}

function unauthorized(url: URL, ctx: RequestContext): RegistryCallError {
  const who = ctx.credentials ? 'with the configured credentials' : 'without credentials (add them with --registry-config)'
  return new RegistryCallError('unauthorized', `${url.host} refused access to ${ctx.repository} ${who}`, 401)
}

function backoff(attempt: number): number {
  return 500 * 2 ** attempt
}

/** `Retry-After: 3` or an HTTP date, as milliseconds from now. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

function networkReason(err: unknown): string {
  if (!(err instanceof Error)) return 'network error'
  const cause = (err as { cause?: { code?: string } }).cause
  if (err.name === 'TimeoutError') return 'timed out'
  return cause?.code ?? err.message
}

import { createHash } from 'node:crypto'
import type { RegistryCallOptions, RegistryClient, RegistryResult } from '../../ports/registry.js'
import { safeUrl } from './auth.js'
import { MemoryEtagCache, type EtagCache } from './etag-cache.js'
import type { RegistryCredentials, RegistrySettings } from './config.js'
import { isInvalidReference, parseRepository, tokenUserFor, type RepositoryRef } from './reference.js'
import { RegistryCallError, RegistryTransport, type RequestContext, type TransportOptions } from './transport.js'

/** Everything an HttpRegistryClient can be configured with; all optional. */
export interface HttpRegistryClientOptions extends TransportOptions {
  /** Operator configuration (credentials per host, limits). */
  settings?: RegistrySettings
  /** Honour `insecure: true` on ImageRepositories (plain HTTP). Off by default. */
  allowInsecure?: boolean
  cache?: EtagCache
  /** Pages followed at most per listing (a loop guard). Default 100. */
  maxPages?: number
}

/** Media types asked for when resolving a digest: index/list first, as a pull would. */
export const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ')

/**
 * RegistryClient over the OCI distribution HTTP API. Tag lists follow the `Link` header
 * (relative or absolute, same origin only) and are revalidated with ETags; digests come from
 * a HEAD of the manifest. Never throws for registry problems.
 */
export class HttpRegistryClient implements RegistryClient {
  readonly transport: RegistryTransport
  private readonly cache: EtagCache

  constructor(private readonly options: HttpRegistryClientOptions = {}) {
    this.transport = new RegistryTransport({
      ...options,
      ...(options.settings?.maxRequests !== undefined ? { maxRequests: options.settings.maxRequests } : {}),
      ...(options.settings?.maxRetries !== undefined ? { maxRetries: options.settings.maxRetries } : {}),
    })
    this.cache = options.cache ?? new MemoryEtagCache()
  }

  async listTags(image: string, opts: RegistryCallOptions = {}): Promise<RegistryResult<string[]>> {
    return this.guard(image, opts, (ref, base, ctx) => this.listPages(ref, base, ctx))
  }

  async getDigest(image: string, tag: string, opts: RegistryCallOptions = {}): Promise<RegistryResult<string>> {
    return this.guard(image, opts, (ref, base, ctx) => this.digestOf(ref, base, tag, ctx))
  }

  private async guard<T>(
    image: string,
    opts: RegistryCallOptions,
    work: (ref: RepositoryRef, base: string, ctx: RequestContext) => Promise<T>,
  ): Promise<RegistryResult<T>> {
    const ref = parseRepository(image)
    if (isInvalidReference(ref)) return { ok: false, error: { kind: 'invalid-reference', message: ref.error } }
    if (opts.insecure && !this.options.allowInsecure) {
      return {
        ok: false,
        error: { kind: 'insecure-refused', message: `${ref.apiHost} is marked insecure (plain HTTP); allow it with --allow-insecure` },
      }
    }
    const base = `${opts.insecure ? 'http' : 'https'}://${ref.apiHost}`
    const credentials = this.credentialsFor(ref)
    const ctx: RequestContext = { repository: ref.repository, insecure: opts.insecure === true, ...(credentials ? { credentials } : {}) }
    try {
      return { ok: true, value: await work(ref, base, ctx) }
    } catch (err) {
      if (!(err instanceof RegistryCallError)) throw err
      return { ok: false, error: { kind: err.kind, message: err.message, ...(err.status !== undefined ? { status: err.status } : {}) } }
    }
  }

  private credentialsFor(ref: RepositoryRef): RegistryCredentials | undefined {
    const creds = this.options.settings?.credentials
    const c = creds?.get(ref.credentialHost) ?? creds?.get(ref.apiHost)
    if (!c) return undefined
    return c.username === '' ? { username: tokenUserFor(ref.provider), password: c.password } : c
  }

  private async listPages(ref: RepositoryRef, base: string, ctx: RequestContext): Promise<string[]> {
    const pageSize = this.options.settings?.pageSize ?? 1000
    let url: URL | undefined = new URL(`${base}/v2/${ref.repository}/tags/list${pageSize > 0 ? `?n=${pageSize}` : ''}`)
    const seen = new Set<string>()
    const tags: string[] = []
    const maxPages = this.options.maxPages ?? 100
    while (url) {
      if (seen.has(url.href) || seen.size >= maxPages) {
        throw new RegistryCallError('bad-response', `tag listing of ${ref.repository} does not end (page ${seen.size + 1})`)
      }
      seen.add(url.href)
      const page = await this.fetchPage(url, ref, ctx)
      tags.push(...page.tags)
      url = page.next === undefined ? undefined : nextPage(url, page.next)
    }
    return tags
  }

  private async fetchPage(url: URL, ref: RepositoryRef, ctx: RequestContext): Promise<{ tags: string[]; next?: string }> {
    const key = safeUrl(url)
    const cached = this.cache.get(key)
    const headers: Record<string, string> = { Accept: 'application/json' }
    if (cached) headers['If-None-Match'] = cached.etag
    const res = await this.transport.request(url, { method: 'GET', headers }, ctx)
    if (res.status === 304 && cached) return { tags: cached.tags, ...(cached.next ? { next: cached.next } : {}) }
    if (res.status === 404) {
      await res.body?.cancel()
      throw new RegistryCallError('not-found', `repository ${ref.repository} not found on ${ref.apiHost}`, 404)
    }
    if (res.status === 403) {
      await res.body?.cancel()
      throw new RegistryCallError('unauthorized', `${ref.apiHost} denied listing tags of ${ref.repository}`, 403)
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new RegistryCallError('bad-response', `${key} answered ${res.status}`, res.status)
    }
    const body: unknown = await res.json().catch(() => undefined)
    const list = (body as { tags?: unknown } | undefined)?.tags
    // Some registries send `"tags": null` for a repository without tags.
    if (list !== null && list !== undefined && !(Array.isArray(list) && list.every((t) => typeof t === 'string'))) {
      throw new RegistryCallError('bad-response', `${key} sent a tag list that is not a list of strings`)
    }
    const tags = (list ?? []) as string[]
    const next = nextLink(res.headers.get('link'))
    const etag = res.headers.get('etag')
    if (etag) this.cache.set(key, { etag, tags, ...(next ? { next } : {}) })
    return { tags, ...(next ? { next } : {}) }
  }

  private async digestOf(ref: RepositoryRef, base: string, tag: string, ctx: RequestContext): Promise<string> {
    const url = new URL(`${base}/v2/${ref.repository}/manifests/${encodeURIComponent(tag)}`)
    const head = await this.transport.request(url, { method: 'HEAD', headers: { Accept: MANIFEST_ACCEPT } }, ctx)
    if (head.status === 404) throw new RegistryCallError('not-found', `${ref.repository}:${tag} not found on ${ref.apiHost}`, 404)
    const digest = head.headers.get('docker-content-digest')
    if (head.ok && digest && /^sha256:[0-9a-f]{64}$/.test(digest)) return digest
    // A registry that omits the header on HEAD: the digest is the hash of the manifest bytes.
    const get = await this.transport.request(url, { method: 'GET', headers: { Accept: MANIFEST_ACCEPT } }, ctx)
    if (!get.ok) {
      await get.body?.cancel()
      throw new RegistryCallError(get.status === 404 ? 'not-found' : 'bad-response', `manifest ${ref.repository}:${tag} answered ${get.status}`, get.status)
    }
    const bytes = Buffer.from(await get.arrayBuffer())
    return `sha256:${createHash('sha256').update(bytes).digest('hex')}`
  }
}

/** The `rel="next"` target of a `Link` header, as written (may be relative). */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part)
    if (m && /;\s*rel="?next"?/i.test(m[2] ?? '')) return m[1]
  }
  return undefined
}

/** Resolves a next link against the current page; refuses to leave the registry's origin. */
function nextPage(current: URL, link: string): URL {
  const next = new URL(link, current)
  if (next.origin !== current.origin) {
    throw new RegistryCallError('bad-response', `tag listing links to another host (${next.host}); not followed`)
  }
  return next
}

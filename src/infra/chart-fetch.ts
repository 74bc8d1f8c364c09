import { createHash } from 'node:crypto'
import { MAX_ARCHIVE_BYTES } from './chart-cache.js'
import { parseChallenges, safeUrl, tokenFrom, tokenUrl } from './registry/auth.js'
import { retryAfterMs } from './registry/transport.js'

/** A fetch that gave up: the chart is unavailable (a values-only fallback, not an error). */
export class FetchFailed extends Error {}

/** Timeouts and retries of chart fetches; every field has a default. */
export interface ChartFetchOptions {
  /** Per request, headers and body; default 30 s. */
  timeoutMs?: number
  /** Retries after 429, 5xx, a time-out or a dropped connection; default 2. */
  retries?: number
  /** Longest Retry-After honoured (ms); a longer one gives up. Default 10 s. */
  maxRetryAfterMs?: number
  /** Replaceable for tests (no real waiting). */
  sleep?: (ms: number) => Promise<void>
  fetch?: typeof fetch
}

/** A Helm repository index can run to tens of megabytes (Bitnami's did). */
const MAX_INDEX_BYTES = 64 * 1024 * 1024
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024

/** The media types of a Helm chart in an OCI registry (helm push), and of a generic tarball layer. */
const HELM_CHART_LAYER = 'application/vnd.cncf.helm.chart.content.v1.tar+gzip'
const TAR_GZIP_LAYERS = [HELM_CHART_LAYER, 'application/vnd.oci.image.layer.v1.tar+gzip', 'application/vnd.docker.image.rootfs.diff.tar.gzip']
const MANIFEST_ACCEPT = 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json'

/** Network errors worth another try; a refused connection or an unknown host is not a blip. */
const TRANSIENT = new Set(['ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT'])

/** A chart pulled from an OCI registry: the archive and the manifest digest it came with. */
export interface OciChart {
  bytes: Uint8Array
  /** `sha256:<hex>` of the archive layer (its content address). */
  layerDigest: string
  /** `sha256:<hex>` of the manifest: what helm-controller appends to the version (H-5). */
  manifestDigest: string
}

/**
 * Charts over HTTP and the OCI distribution API, as source-controller fetches them: Helm
 * repository indexes and archives, OCI tag lists, manifests and chart layers (anonymous
 * Bearer tokens where a registry asks). Every request has a time-out and bounded retries;
 * bodies have a size bound. Indexes, tag lists and tag resolutions are remembered for the
 * instance's lifetime (one run), so the base and head renders see the same repository.
 */
export class ChartFetcher {
  private readonly opts: Required<ChartFetchOptions>
  private readonly memo = new Map<string, Promise<unknown>>()
  private readonly tokens = new Map<string, string>()

  constructor(options: ChartFetchOptions = {}) {
    this.opts = {
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 2,
      maxRetryAfterMs: options.maxRetryAfterMs ?? 10_000,
      sleep: options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
      fetch: options.fetch ?? globalThis.fetch,
    }
  }

  /** `<repoUrl>/index.yaml` of a Helm HTTP repository as text. */
  fetchIndex(repoUrl: string): Promise<string> {
    const url = `${repoUrl.replace(/\/+$/, '')}/index.yaml`
    return this.once(`index ${url}`, async () => new TextDecoder().decode(await this.get(new URL(url), {}, MAX_INDEX_BYTES)))
  }

  /** A packaged chart from a Helm HTTP repository, checked against the index digest when there is one. */
  async fetchArchive(url: string, digest?: string): Promise<Uint8Array> {
    const bytes = await this.get(new URL(url), {}, MAX_ARCHIVE_BYTES)
    if (digest && sha256(bytes) !== digest.replace(/^sha256:/, '')) throw new FetchFailed(`digest mismatch for ${safeUrl(url)}`)
    return bytes
  }

  /** Tags of an OCI repository (`oci://host/path/chart`). */
  listOciTags(ref: string, insecure = false): Promise<string[]> {
    return this.once(`tags ${ref} ${insecure}`, async () => {
      const oci = parseOci(ref, insecure)
      const body = JSON.parse(new TextDecoder().decode(await this.get(new URL(`${oci.base}/v2/${oci.name}/tags/list`), { Accept: 'application/json' }, MAX_MANIFEST_BYTES, oci))) as { tags?: unknown }
      if (body.tags !== null && body.tags !== undefined && !(Array.isArray(body.tags) && body.tags.every((t) => typeof t === 'string'))) throw new FetchFailed(`listing tags of ${ref}: not a list of strings`)
      return (body.tags ?? []) as string[]
    })
  }

  /**
   * The manifest of `ref` at a tag or digest: its digest and the chart layer's. A tag is
   * resolved once per run, so both renders use the same chart.
   */
  resolveOci(ref: string, at: { tag?: string; digest?: string }, insecure = false): Promise<{ manifestDigest: string; layerDigest: string }> {
    const reference = at.digest ?? at.tag ?? 'latest'
    return this.once(`manifest ${ref} ${reference} ${insecure}`, async () => {
      const oci = parseOci(ref, insecure)
      const bytes = await this.get(new URL(`${oci.base}/v2/${oci.name}/manifests/${encodeURIComponent(reference)}`), { Accept: MANIFEST_ACCEPT }, MAX_MANIFEST_BYTES, oci)
      const manifestDigest = `sha256:${sha256(bytes)}`
      if (at.digest && at.digest !== manifestDigest) throw new FetchFailed(`${ref}@${at.digest}: the registry sent a manifest with digest ${manifestDigest}`)
      return { manifestDigest, layerDigest: chartLayer(JSON.parse(new TextDecoder().decode(bytes)) as unknown, ref) }
    })
  }

  /** The chart layer blob, checked against its digest. */
  async pullOciBlob(ref: string, digest: string, insecure = false): Promise<Uint8Array> {
    const oci = parseOci(ref, insecure)
    const bytes = await this.get(new URL(`${oci.base}/v2/${oci.name}/blobs/${digest}`), {}, MAX_ARCHIVE_BYTES, oci)
    if (`sha256:${sha256(bytes)}` !== digest) throw new FetchFailed(`${ref}: the chart layer does not match its digest ${digest}`)
    return bytes
  }

  private once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const hit = this.memo.get(key)
    if (hit) return hit as Promise<T>
    const p = work()
    this.memo.set(key, p)
    return p
  }

  /** GET with time-out, retries, a body bound, and for registries the anonymous token dance. */
  private async get(url: URL, headers: Record<string, string>, maxBytes: number, oci?: OciRef): Promise<Uint8Array> {
    const tokenKey = oci ? `${oci.host}|${oci.name}` : ''
    const token = this.tokens.get(tokenKey)
    let res = await this.send(url, token ? { ...headers, Authorization: `Bearer ${token}` } : headers)
    if (res.status === 401 && oci) {
      const challenge = parseChallenges(res.headers.get('www-authenticate') ?? '').find((c) => c.scheme === 'bearer')
      await res.body?.cancel()
      const fresh = challenge ? await this.anonymousToken(challenge, oci) : undefined
      if (!fresh) throw new FetchFailed(`GET ${safeUrl(url)}: HTTP 401 (the registry needs credentials, which are not read from the cluster)`)
      this.tokens.set(tokenKey, fresh)
      res = await this.send(url, { ...headers, Authorization: `Bearer ${fresh}` })
    }
    if (!res.ok) {
      await res.body?.cancel()
      throw new FetchFailed(`GET ${safeUrl(url)}: HTTP ${res.status}`)
    }
    return readBounded(res, maxBytes, url)
  }

  private async anonymousToken(challenge: ReturnType<typeof parseChallenges>[number], oci: OciRef): Promise<string | undefined> {
    const url = tokenUrl(challenge, oci.name)
    if (!url) return undefined
    const res = await this.send(url, { Accept: 'application/json' })
    if (!res.ok) {
      await res.body?.cancel()
      return undefined
    }
    return tokenFrom(await res.json().catch(() => undefined))
  }

  /** One request with bounded retries; the answer to the last try is returned, whatever its status. */
  private async send(url: URL, headers: Record<string, string>): Promise<Response> {
    let problem = ''
    for (let attempt = 0; ; attempt++) {
      let res: Response | undefined
      try {
        res = await this.opts.fetch(url, { headers, redirect: 'follow', signal: AbortSignal.timeout(this.opts.timeoutMs) })
      } catch (err) {
        problem = networkReason(err)
        if (!isTransient(err) || attempt >= this.opts.retries) throw new FetchFailed(`GET ${safeUrl(url)}: ${problem}${attempt > 0 ? ` (after ${attempt + 1} tries)` : ''}`)
        await this.opts.sleep(backoff(attempt))
        continue
      }
      if ((res.status !== 429 && res.status < 500) || attempt >= this.opts.retries) return res
      const wait = retryAfterMs(res.headers.get('retry-after')) ?? backoff(attempt)
      if (wait > this.opts.maxRetryAfterMs) return res
      await res.body?.cancel()
      await this.opts.sleep(wait)
    }
  }
}

interface OciRef {
  host: string
  name: string
  /** `https://host`, or `http://host` for loopback and `insecure` repositories. */
  base: string
}

function parseOci(ref: string, insecure: boolean): OciRef {
  const m = /^oci:\/\/([^/]+)\/(.+?)\/*$/.exec(ref)
  if (!m) throw new FetchFailed(`not an OCI reference: ${ref}`)
  const [, host, name] = m as unknown as [string, string, string]
  const hostname = host.replace(/:\d+$/, '')
  const loopback = hostname === 'localhost' || hostname.startsWith('127.') || hostname === '[::1]'
  return { host, name, base: `${insecure || loopback ? 'http' : 'https'}://${host}` }
}

/** The chart layer of a manifest: Helm's own media type, else the only tar+gzip layer. */
function chartLayer(manifest: unknown, ref: string): string {
  const layers = typeof manifest === 'object' && manifest !== null && Array.isArray((manifest as { layers?: unknown }).layers) ? ((manifest as { layers: unknown[] }).layers as { mediaType?: unknown; digest?: unknown }[]) : []
  const helm = layers.find((l) => l.mediaType === HELM_CHART_LAYER)
  const tars = layers.filter((l) => typeof l.mediaType === 'string' && TAR_GZIP_LAYERS.includes(l.mediaType))
  const layer = helm ?? (tars.length === 1 ? tars[0] : undefined)
  if (!layer || typeof layer.digest !== 'string' || !/^sha256:[0-9a-f]{64}$/.test(layer.digest)) throw new FetchFailed(`${ref}: the artifact holds no Helm chart layer`)
  return layer.digest
}

async function readBounded(res: Response, max: number, url: URL): Promise<Uint8Array> {
  const declared = Number(res.headers.get('content-length') ?? NaN)
  if (declared > max) {
    await res.body?.cancel()
    throw new FetchFailed(`GET ${safeUrl(url)}: ${declared} bytes is more than the ${max} allowed`)
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer())
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = res.body.getReader()
  for (;;) {
    let next: Awaited<ReturnType<typeof reader.read>>
    try {
      next = await reader.read()
    } catch (err) {
      throw new FetchFailed(`GET ${safeUrl(url)}: ${networkReason(err)}`)
    }
    if (next.done) break
    size += next.value.byteLength
    if (size > max) {
      await reader.cancel()
      throw new FetchFailed(`GET ${safeUrl(url)}: more than the ${max} bytes allowed`)
    }
    chunks.push(next.value)
  }
  const out = new Uint8Array(size)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.byteLength
  }
  return out
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function backoff(attempt: number): number {
  return 500 * 2 ** attempt
}

/** What a thrown fetch error says; duck-typed, since fetch may throw from another realm. */
interface ErrorShape {
  name?: unknown
  message?: unknown
  cause?: { code?: unknown; message?: unknown }
}

function shape(err: unknown): ErrorShape {
  return typeof err === 'object' && err !== null ? (err as ErrorShape) : {}
}

function isTransient(err: unknown): boolean {
  const e = shape(err)
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return true
  return typeof e.cause?.code === 'string' && TRANSIENT.has(e.cause.code)
}

function networkReason(err: unknown): string {
  const e = shape(err)
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timed out'
  const text = [e.cause?.code, e.cause?.message, e.message].find((x) => typeof x === 'string' && x !== '')
  return typeof text === 'string' ? text : 'network error'
}

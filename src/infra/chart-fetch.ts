import { createHash } from 'node:crypto'

/** An HTTP fetch that gave up: the chart is unavailable (a values-only fallback, not an error). */
export class FetchFailed extends Error {}

const TIMEOUT_MS = 20_000

function isLoopback(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '[::1]'
}

/** GET a URL as bytes; network problems and non-2xx answers throw FetchFailed. */
export async function httpGet(url: string, headers: Record<string, string> = {}): Promise<Uint8Array> {
  let res: Response
  try {
    res = await fetch(url, { headers, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'follow' })
  } catch (err) {
    throw new FetchFailed(`GET ${redact(url)}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`)
  }
  if (!res.ok) throw new FetchFailed(`GET ${redact(url)}: HTTP ${res.status}`)
  return new Uint8Array(await res.arrayBuffer())
}

/** `<repoUrl>/index.yaml` of a Helm HTTP repository as text. */
export async function fetchRepoIndex(repoUrl: string): Promise<string> {
  return new TextDecoder().decode(await httpGet(`${repoUrl.replace(/\/+$/, '')}/index.yaml`))
}

/** A packaged chart, checked against the index digest when one is given. */
export async function fetchChartArchive(url: string, digest?: string): Promise<Uint8Array> {
  const bytes = await httpGet(url)
  if (digest) {
    const got = createHash('sha256').update(bytes).digest('hex')
    if (got !== digest.replace(/^sha256:/, '')) throw new FetchFailed(`digest mismatch for ${redact(url)}`)
  }
  return bytes
}

/**
 * Tags of an OCI repository through the distribution API (`/v2/<name>/tags/list`), with the
 * anonymous Bearer-token dance registries ask for. Plain HTTP only for loopback or `insecure`.
 */
export async function listOciTags(ref: string, insecure = false): Promise<string[]> {
  const m = /^oci:\/\/([^/]+)\/(.+)$/.exec(ref)
  if (!m) throw new FetchFailed(`not an OCI reference: ${ref}`)
  const [, host, name] = m as unknown as [string, string, string]
  const scheme = insecure || isLoopback(host.split(':')[0]!) ? 'http' : 'https'
  const url = `${scheme}://${host}/v2/${name}/tags/list`
  let res: Response
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) })
    if (res.status === 401) {
      const token = await anonymousToken(res.headers.get('www-authenticate') ?? '', name)
      if (token) res = await fetch(url, { headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(TIMEOUT_MS) })
    }
  } catch (err) {
    throw new FetchFailed(`listing tags of ${ref}: ${(err as Error).message}`)
  }
  if (!res.ok) throw new FetchFailed(`listing tags of ${ref}: HTTP ${res.status}`)
  const body = (await res.json()) as { tags?: string[] | null }
  return body.tags ?? []
}

async function anonymousToken(challenge: string, name: string): Promise<string | undefined> {
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1]
  if (!realm || !/^bearer/i.test(challenge)) return undefined
  const service = /service="([^"]+)"/.exec(challenge)?.[1]
  const u = new URL(realm)
  if (service) u.searchParams.set('service', service)
  u.searchParams.set('scope', `repository:${name}:pull`)
  const res = await fetch(u, { signal: AbortSignal.timeout(TIMEOUT_MS) })
  if (!res.ok) return undefined
  const body = (await res.json()) as { token?: string; access_token?: string }
  return body.token ?? body.access_token
}

/** A URL without user info, for messages. */
export function redact(url: string): string {
  return url.replace(/\/\/[^@/]+@/, '//')
}

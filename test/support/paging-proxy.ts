import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A small server in front of a real registry that pages tag lists the way GHCR and Docker Hub
 * do (`n`, `last`, a relative `Link: <…>; rel="next"`) and sends ETags, because distribution
 * 2.8 ignores `n`/`last` (real-components §1.6). Other requests are passed through. It can
 * also answer the next requests with scripted failures (429 with Retry-After, 503).
 */
export interface PagingProxy {
  url: string
  host: string
  /** Every request seen: method, path+query, status answered. */
  log: { method: string; path: string; status: number }[]
  /** Statuses to answer the next requests with, before serving normally. */
  failNext(...responses: { status: number; retryAfter?: string }[]): void
  /** Makes the Link header absolute (`http://host/v2/…`) instead of relative. */
  absoluteLinks: boolean
  /** Page size when the client sends no `n`. */
  defaultPageSize: number
  stop(): Promise<void>
}

/** Starts the proxy on 127.0.0.1 in front of `upstream` (`http://127.0.0.1:PORT`). */
export async function startPagingProxy(upstream: string): Promise<PagingProxy> {
  const failures: { status: number; retryAfter?: string }[] = []
  const log: PagingProxy['log'] = []
  const state = { absoluteLinks: false, defaultPageSize: 2 }
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const done = (status: number): void => void log.push({ method: req.method ?? 'GET', path: u.pathname + u.search, status })
    const fail = failures.shift()
    if (fail) {
      res.writeHead(fail.status, fail.retryAfter ? { 'Retry-After': fail.retryAfter } : {})
      res.end('{"errors":[{"code":"TOOMANYREQUESTS"}]}')
      return done(fail.status)
    }
    const m = /^\/v2\/(.+)\/tags\/list$/.exec(u.pathname)
    const forward = m ? servePage(upstream, m[1]!, u, req, state) : passThrough(upstream, u, req)
    forward.then(
      ({ status, headers, body }) => {
        res.writeHead(status, headers)
        res.end(body)
        done(status)
      },
      (err: unknown) => {
        res.writeHead(502)
        res.end(String(err))
        done(502)
      },
    )
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    log,
    failNext: (...r) => void failures.push(...r),
    get absoluteLinks() {
      return state.absoluteLinks
    },
    set absoluteLinks(v: boolean) {
      state.absoluteLinks = v
    },
    get defaultPageSize() {
      return state.defaultPageSize
    },
    set defaultPageSize(v: number) {
      state.defaultPageSize = v
    },
    stop: () => new Promise((r) => server.close(() => r())),
  }
}

interface Answer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

async function servePage(upstream: string, repo: string, u: URL, req: http.IncomingMessage, state: { absoluteLinks: boolean; defaultPageSize: number }): Promise<Answer> {
  const res = await fetch(`${upstream}/v2/${repo}/tags/list`, { headers: authOf(req) })
  if (!res.ok) return { status: res.status, headers: pick(res.headers), body: Buffer.from(await res.arrayBuffer()) }
  const all = (((await res.json()) as { tags: string[] | null }).tags ?? []).sort()
  const n = Number(u.searchParams.get('n') ?? state.defaultPageSize)
  const last = u.searchParams.get('last')
  const from = last === null ? 0 : all.findIndex((t) => t > last)
  const page = from < 0 ? [] : all.slice(from, from + n)
  const body = Buffer.from(JSON.stringify({ name: repo, tags: page }))
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ETag: etag }
  if (from >= 0 && from + n < all.length) {
    const next = `/v2/${repo}/tags/list?last=${encodeURIComponent(page[page.length - 1]!)}&n=${n}`
    headers['Link'] = `<${state.absoluteLinks ? `http://${req.headers.host}${next}` : next}>; rel="next"`
  }
  if (req.headers['if-none-match'] === etag) return { status: 304, headers: { ETag: etag, ...(headers['Link'] ? { Link: headers['Link'] } : {}) }, body: Buffer.alloc(0) }
  return { status: 200, headers, body }
}

async function passThrough(upstream: string, u: URL, req: http.IncomingMessage): Promise<Answer> {
  const headers: Record<string, string> = { ...authOf(req) }
  if (req.headers.accept) headers['Accept'] = req.headers.accept
  const res = await fetch(`${upstream}${u.pathname}${u.search}`, { method: req.method ?? 'GET', headers })
  return { status: res.status, headers: pick(res.headers), body: Buffer.from(await res.arrayBuffer()) }
}

function authOf(req: http.IncomingMessage): Record<string, string> {
  return req.headers.authorization ? { Authorization: req.headers.authorization } : {}
}

function pick(h: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of ['content-type', 'docker-content-digest', 'www-authenticate', 'content-length']) {
    const v = h.get(k)
    if (v !== null) out[k] = v
  }
  return out
}

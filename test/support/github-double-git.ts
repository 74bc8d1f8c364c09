/**
 * Smart HTTP git for the GitHub double: `${double.url}/OWNER/NAME.git` is served by
 * `git http-backend` from the repository's `gitDir`, read-only, with Basic auth whose password
 * must be a token the double knows (as `https://x-access-token:TOKEN@github.com/...` works).
 */
import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, dirname } from 'node:path'
import type { DoubleContext } from './github-double-routes.js'

/** Serves one smart-HTTP request (info/refs or git-upload-pack). */
export function serveGit(ctx: DoubleContext, req: IncomingMessage, res: ServerResponse, u: URL): void {
  const [, owner = '', name = ''] = /^\/([^/]+)\/([^/]+)\.git/.exec(u.pathname) ?? []
  const repo = ctx.repos.get(`${owner}/${name}`.toLowerCase())
  const auth = req.headers.authorization ?? ''
  const password = auth.startsWith('Basic ') ? Buffer.from(auth.slice(6), 'base64').toString().split(':').slice(1).join(':') : ''
  if (!password || !ctx.tokens.has(password)) {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="github-double"' })
    res.end('auth required\n')
    return
  }
  if (!repo?.gitDir || u.pathname.endsWith('git-receive-pack') || u.searchParams.get('service') === 'git-receive-pack') {
    res.writeHead(404)
    res.end()
    return
  }
  // http-backend's enter_repo finds `dir`, `dir.git` and `dir/.git`, so bare and working repositories both work.
  const gitDir = repo.gitDir.replace(/\/\.git\/?$/, '').replace(/\/$/, '')
  const rest = u.pathname.replace(/^\/[^/]+\/[^/]+\.git/, '')
  const cgi = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_PROJECT_ROOT: dirname(gitDir),
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: `/${basename(gitDir)}${rest}`,
      QUERY_STRING: u.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: req.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
    },
  })
  req.pipe(cgi.stdin)
  let head = Buffer.alloc(0)
  let started = false
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (started) {
      res.write(chunk)
      return
    }
    head = Buffer.concat([head, chunk])
    const i = head.indexOf('\r\n\r\n')
    if (i < 0) return
    let status = 200
    const headers: Record<string, string> = {}
    for (const line of head.subarray(0, i).toString().split('\r\n')) {
      const [k = '', ...v] = line.split(':')
      const val = v.join(':').trim()
      if (k.toLowerCase() === 'status') status = parseInt(val, 10)
      else headers[k] = val
    }
    res.writeHead(status, headers)
    started = true
    res.write(head.subarray(i + 4))
  })
  cgi.stdout.on('end', () => res.end())
  cgi.stderr.resume()
}

import { spawn } from 'node:child_process'
import type { IncomingMessage, ServerResponse } from 'node:http'

/**
 * Answers one smart-HTTP request with `git http-backend` (a CGI program): the request body is
 * piped in, the CGI header block becomes the HTTP status and headers, the rest streams out.
 * `env` holds the CGI variables that differ per server (GIT_PROJECT_ROOT, PATH_INFO, REMOTE_USER).
 */
export function serveGitCgi(req: IncomingMessage, res: ServerResponse, u: URL, env: Record<string, string>): void {
  const cgi = spawn('git', ['http-backend'], {
    env: {
      ...process.env,
      GIT_HTTP_EXPORT_ALL: '1',
      QUERY_STRING: u.search.slice(1),
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      CONTENT_LENGTH: req.headers['content-length'] ?? '',
      HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
      GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      REMOTE_ADDR: req.socket.remoteAddress ?? '',
      ...env,
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

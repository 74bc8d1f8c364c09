/**
 * Smart HTTP git for the GitHub double: `${double.url}/OWNER/NAME.git` is served by
 * `git http-backend` from the repository's `gitDir`, read-only, with Basic auth whose password
 * must be a token the double knows (as `https://x-access-token:TOKEN@github.com/...` works).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { basename, dirname } from 'node:path'
import type { DoubleContext } from './github-double-routes.js'
import { serveGitCgi } from './git-cgi.js'

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
  serveGitCgi(req, res, u, { GIT_PROJECT_ROOT: dirname(gitDir), PATH_INFO: `/${basename(gitDir)}${rest}` })
}

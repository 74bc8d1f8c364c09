/**
 * An HTTP-level GitHub double: a real HTTP server on 127.0.0.1 (port chosen by the OS) that
 * speaks the subset of the GitHub REST API Fluxgate uses, keeps state, and logs every request
 * so tests can assert the exact calls. Octokit clients point at it with `baseUrl: double.url`
 * (Probot: `new Probot({ ..., baseUrl: double.url })`; @actions/github: `GITHUB_API_URL`, or
 * `getOctokit(token, { baseUrl: double.url, request: { fetch: globalThis.fetch } })`).
 *
 * ## Usage
 * ```ts
 * const gh = await startGitHubDouble()
 * const repo = gh.repo('acme', 'fleet', { gitDir })   // state for one repository
 * repo.pulls.push(gh.pull(repo, { number: 7, base: 'main', baseSha, headSha }))
 * repo.permissions.set('octocat', 'write')
 * gh.tokens.set('ro-token', { checks: 'read', issues: 'read', statuses: 'read' })
 * ...run the Action / App...
 * expect(gh.calls('POST', '/repos/acme/fleet/issues/7/comments')).toHaveLength(1)
 * await gh.close()
 * ```
 *
 * ## State (`gh.repo(owner, name)` → RepoState, all plain arrays/maps tests may edit)
 * - `comments`: issue comments (any issue number), `labels`: issue number → label names
 * - `checkRuns` (+ their `annotations`), `statuses`, `pulls`, `pullFiles` (number → paths)
 * - `refs`: `heads/main` → sha (created from `gitDir` branches when given)
 * - `files`: `ref → path → text` for the contents API; with `gitDir`, contents, trees, blobs and
 *   commits are read from that local repository instead (`git show REF:PATH`), and the double
 *   also serves it over smart HTTP at `${gh.url}/OWNER/NAME.git` (Basic auth, any user, the
 *   password must be a token the double issued or accepts).
 * - `permissions`: user login → `admin|maintain|write|triage|read|none` (collaborator permission)
 * - `deployments` and their `statuses`; `defaultBranch`.
 *
 * ## Tokens and permissions
 * `Authorization: token X` / `Bearer X`. `gh.users` maps a personal access token to its login
 * (`GET /user`; other tokens get 403 there, as App and workflow tokens do). `gh.tokens` maps a token to GitHub-App-style
 * permissions (`{ checks: 'write', issues: 'read', ... }`); a token not in the map may do
 * everything. A write the token may not do answers 403 "Resource not accessible by
 * integration" (what a fork pull request's GITHUB_TOKEN gets). `POST /app/installations/:id/
 * access_tokens` issues `ghs_test_<n>` with `gh.installationPermissions`. Bearer JWTs (App
 * auth) are accepted without verification.
 *
 * ## Routes (all under `/repos/:owner/:repo` unless absolute)
 * issues/:n/comments GET(paginated, per_page/page + Link) POST · issues/comments/:id GET PATCH DELETE ·
 * issues/comments/:id/reactions POST (state: `reactions`) · commits/:sha/pulls GET (pulls whose
 * `merge_commit_sha` or head is the commit)
 * issues/:n/labels GET · issues/:n/labels/:name DELETE · commits/:ref/check-runs GET(check_name) · check-runs POST · check-runs/:id
 * GET PATCH · check-runs/:id/annotations GET · statuses/:sha POST · commits/:ref/statuses GET ·
 * commits/:ref/status GET · commits/:ref GET · pulls GET(state, head, base) POST · pulls/:n GET PATCH ·
 * pulls/:n/files GET · git/ref/:ref GET · git/matching-refs/:ref GET · git/refs POST · git/refs/:ref
 * PATCH(force) DELETE · branches/:b GET · contents/:path GET(ref) · git/trees/:sha GET(recursive) ·
 * git/blobs/:sha GET · collaborators/:user/permission GET · deployments GET POST ·
 * deployments/:id/statuses GET POST · (repo) GET · /app/installations/:id/access_tokens POST ·
 * /repos/:owner/:repo/installation GET · /user GET.
 * Anything else answers 404 `{ message: 'Not Found (github-double)' }` and is logged.
 *
 * ## A slow or failing GitHub
 * `gh.hold(/^GET \/acme\/fleet\.git\//)` holds every request whose `METHOD path` matches
 * (git smart HTTP included) until `release()`: a review caught in the middle. `gh.failNext(
 * 'POST', /check-runs$/, 502)` answers the next matching request with that status (and
 * headers, e.g. a rate limit's `retry-after`) before routing it, `times` times.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { routeRequest } from './github-double-routes.js'
import { serveGit } from './github-double-git.js'
import { newRepoState, type Permission, type PullState, type RepoState, type TokenPermissions } from './github-double-state.js'

export type { RepoState, PullState, TokenPermissions, Permission } from './github-double-state.js'
export type { CheckRunState, CommentState, StatusState, DeploymentState, ReactionState } from './github-double-state.js'

/** One request as the double received it (the token itself is never kept). */
export interface LoggedRequest {
  method: string
  /** Path without query string, e.g. `/repos/acme/fleet/issues/7/comments`. */
  path: string
  query: Record<string, string>
  /** Parsed JSON body (undefined for none). */
  body: unknown
  /** `token` | `bearer` | `basic` | `none`: how the caller authenticated. */
  auth: string
  status: number
}

export interface GitHubDouble {
  /** `http://127.0.0.1:PORT` — the API base URL (GitHub.com style, no `/api/v3`). */
  readonly url: string
  readonly requests: LoggedRequest[]
  /** Token → permissions; tokens not listed may do everything. */
  readonly tokens: Map<string, TokenPermissions>
  /** Personal access tokens: token → login (`GET /user`; their comments are a User's, not a bot's). */
  readonly users: Map<string, string>
  /** Permissions given to installation tokens the double issues. */
  installationPermissions: TokenPermissions
  /** State of one repository (created on first use). */
  repo(owner: string, name: string, init?: { gitDir?: string; defaultBranch?: string }): RepoState
  /** A pull request object shaped like the REST API's, for `repo.pulls`. */
  pull(repo: RepoState, p: { number: number; base: string; baseSha: string; head: string; headSha: string; fork?: boolean; title?: string; user?: string }): PullState
  /** Logged requests with this method whose path equals `path` (or matches a RegExp). */
  calls(method: string, path: string | RegExp): LoggedRequest[]
  /** Requests that changed state (POST/PATCH/PUT/DELETE), for "exactly these writes" asserts. */
  writes(): LoggedRequest[]
  /** Holds requests whose `METHOD path` matches until released (see the module comment). */
  hold(pattern: RegExp): Hold
  /** Answers the next `times` (default 1) requests matching with `status` instead of routing them. */
  failNext(method: string, path: RegExp, status: number, opts?: { headers?: Record<string, string>; body?: unknown; times?: number }): void
  close(): Promise<void>
}

/** Requests held by `gh.hold`. */
export interface Hold {
  /** How many requests wait now. */
  readonly waiting: number
  /** Lets every held request (and later ones) through. */
  release(): void
}

/** Starts a double on 127.0.0.1 with a port the OS assigns. */
export async function startGitHubDouble(): Promise<GitHubDouble> {
  const repos = new Map<string, RepoState>()
  const requests: LoggedRequest[] = []
  const tokens = new Map<string, TokenPermissions>()
  const users = new Map<string, string>()
  let issued = 0
  const holds: { pattern: RegExp; gate: Promise<void>; open: boolean; waiting: number; release: () => void }[] = []
  const failures: { method: string; path: RegExp; status: number; headers: Record<string, string>; body: unknown; times: number }[] = []
  const double: GitHubDouble = {
    url: '',
    requests,
    tokens,
    users,
    installationPermissions: { checks: 'write', contents: 'read', issues: 'write', pull_requests: 'write', statuses: 'write', metadata: 'read' },
    repo(owner, name, init) {
      const key = `${owner}/${name}`.toLowerCase()
      let r = repos.get(key)
      if (!r) {
        r = newRepoState(owner, name, init?.gitDir, init?.defaultBranch)
        repos.set(key, r)
      }
      return r
    },
    pull(repo, p) {
      return makePull(double.url, repo, p)
    },
    calls(method, path) {
      return requests.filter((r) => r.method === method && (typeof path === 'string' ? r.path === path : path.test(r.path)))
    },
    writes() {
      return requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')
    },
    hold(pattern) {
      let open!: () => void
      const gate = new Promise<void>((r) => (open = r))
      const h = {
        pattern,
        gate,
        open: false,
        waiting: 0,
        release() {
          h.open = true
          open()
        },
      }
      holds.push(h)
      return {
        get waiting() {
          return h.waiting
        },
        release: () => h.release(),
      }
    },
    failNext(method, path, status, opts = {}) {
      failures.push({ method, path, status, headers: opts.headers ?? {}, body: opts.body ?? { message: `injected ${status} (github-double)` }, times: opts.times ?? 1 })
    },
    close() {
      for (const h of holds) h.release()
      return new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
    },
  }
  const ctx = {
    repos,
    tokens,
    users,
    get base() {
      return double.url
    },
    issueToken(): string {
      issued += 1
      const token = `ghs_test_${issued}`
      tokens.set(token, { ...double.installationPermissions })
      return token
    },
    get installationPermissions() {
      return double.installationPermissions
    },
  }
  const server: Server = createServer((req, res) => {
    void handle(req, res)
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://double')
    for (const h of holds.filter((x) => !x.open && x.pattern.test(`${req.method ?? 'GET'} ${u.pathname}`))) {
      h.waiting++
      await h.gate
      h.waiting--
    }
    if (/^\/[^/]+\/[^/]+\.git(\/|$)/.test(u.pathname)) {
      serveGit(ctx, req, res, u)
      return
    }
    const raw = await readBody(req)
    let body: unknown
    try {
      body = raw.length ? JSON.parse(raw) : undefined
    } catch {
      body = raw
    }
    const { token, kind } = authOf(req.headers.authorization)
    const query = Object.fromEntries(u.searchParams.entries())
    const path = decodeURIComponent(u.pathname).replace(/^\/api\/v3/, '')
    const entry: LoggedRequest = { method: req.method ?? 'GET', path, query, body, auth: kind, status: 0 }
    requests.push(entry)
    const failure = failures.find((f) => f.times > 0 && f.method === entry.method && f.path.test(path))
    if (failure) failure.times--
    const out = failure ? { status: failure.status, body: failure.body, headers: failure.headers } : await routeRequest(ctx, { method: entry.method, path, query, body, token, kind })
    entry.status = out.status
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...(out.headers ?? {}) }
    res.writeHead(out.status, headers)
    res.end(out.status === 204 ? undefined : JSON.stringify(out.body ?? {}))
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.address() as AddressInfo).port
  ;(double as { url: string }).url = `http://127.0.0.1:${port}`
  return double
}

function authOf(header: string | undefined): { token?: string; kind: string } {
  if (!header) return { kind: 'none' }
  const [scheme = '', value = ''] = header.split(/\s+/, 2)
  const s = scheme.toLowerCase()
  if (s === 'token') return { token: value, kind: 'token' }
  // App JWTs have three dot-separated parts; anything else sent as Bearer is a token.
  if (s === 'bearer') return value.split('.').length === 3 ? { kind: 'jwt' } : { token: value, kind: 'bearer' }
  if (s === 'basic') return { token: Buffer.from(value, 'base64').toString().split(':').slice(1).join(':'), kind: 'basic' }
  return { kind: 'none' }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function makePull(
  base: string,
  repo: RepoState,
  p: { number: number; base: string; baseSha: string; head: string; headSha: string; fork?: boolean; title?: string; user?: string },
): PullState {
  const repoJson = repo.json(base)
  const headRepo = p.fork ? { ...repoJson, full_name: `contributor/${repo.name}`, owner: { login: 'contributor', type: 'User' }, fork: true } : repoJson
  return {
    id: 1000 + p.number,
    number: p.number,
    state: 'open',
    title: p.title ?? `Pull request ${p.number}`,
    body: null,
    draft: false,
    merged: false,
    user: { login: p.user ?? 'octocat', type: 'User' },
    base: { ref: p.base, sha: p.baseSha, label: `${repo.owner}:${p.base}`, repo: repoJson },
    head: { ref: p.head, sha: p.headSha, label: `${p.fork ? 'contributor' : repo.owner}:${p.head}`, repo: headRepo },
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${p.number}`,
  }
}

export type { Permission as CollaboratorPermission }

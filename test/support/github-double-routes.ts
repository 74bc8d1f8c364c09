/** The REST routes of the GitHub double (see github-double.ts for the list and conventions). */
import { execFileSync } from 'node:child_process'
import type { CheckRunState, RepoState, TokenPermissions } from './github-double-state.js'
import { applyCheck, checkJson, commentJson, isAncestor, listTree, paginate, pullTemplate, refJson, treeOf, userOf } from './github-double-helpers.js'

export interface DoubleContext {
  repos: Map<string, RepoState>
  tokens: Map<string, TokenPermissions>
  /** Personal access tokens: token → user login (comments by them are a User's). */
  users: Map<string, string>
  readonly base: string
  issueToken(): string
  readonly installationPermissions: TokenPermissions
}

export interface DoubleRequest {
  method: string
  path: string
  query: Record<string, string>
  body: unknown
  token?: string | undefined
  kind: string
}

export interface DoubleResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

type Body = Record<string, unknown>
interface Hit {
  ctx: DoubleContext
  req: DoubleRequest
  repo: RepoState
  m: string[]
  b: Body
}
type Handler = (h: Hit) => DoubleResponse

const REACTIONS = new Set(['+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes'])
const now = (): string => new Date().toISOString()
let nextId = 1
const id = (): number => nextId++
const ok = (body: unknown, status = 200): DoubleResponse => ({ status, body })
const notFound = (): DoubleResponse => ({ status: 404, body: { message: 'Not Found (github-double)' } })
const invalid = (message: string): DoubleResponse => ({ status: 422, body: { message } })

/** Routes: [method, path under /repos/:owner/:repo, permission needed for writes, handler]. */
const ROUTES: [string, RegExp, string, Handler][] = [
  ['GET', /^$/, 'metadata', ({ ctx, repo }) => ok(repo.json(ctx.base))],
  ['GET', /^\/installation$/, 'metadata', () => ok({ id: 2, app_id: 123 })],
  ['GET', /^\/issues\/(\d+)\/comments$/, 'issues', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, repo.comments.filter((c) => c.issue === Number(m[1])).map((c) => commentJson(ctx, repo, c)))],
  ['POST', /^\/issues\/(\d+)\/comments$/, 'issues', ({ ctx, req, repo, m, b }) => {
    if (typeof b['body'] !== 'string') return invalid('body is required')
    const c = { id: id(), issue: Number(m[1]), body: b['body'], user: userOf(ctx, req), created_at: now(), updated_at: now() }
    repo.comments.push(c)
    return ok(commentJson(ctx, repo, c), 201)
  }],
  ['GET', /^\/issues\/comments\/(\d+)$/, 'issues', ({ ctx, repo, m }) => {
    const c = repo.comments.find((x) => x.id === Number(m[1]))
    return c ? ok(commentJson(ctx, repo, c)) : notFound()
  }],
  ['PATCH', /^\/issues\/comments\/(\d+)$/, 'issues', ({ ctx, repo, m, b }) => {
    const c = repo.comments.find((x) => x.id === Number(m[1]))
    if (!c) return notFound()
    c.body = String(b['body'])
    c.updated_at = now()
    return ok(commentJson(ctx, repo, c))
  }],
  ['DELETE', /^\/issues\/comments\/(\d+)$/, 'issues', ({ repo, m }) => {
    const i = repo.comments.findIndex((x) => x.id === Number(m[1]))
    if (i < 0) return notFound()
    repo.comments.splice(i, 1)
    return { status: 204 }
  }],
  ['POST', /^\/issues\/comments\/(\d+)\/reactions$/, 'issues', ({ ctx, req, repo, m, b }) => {
    if (!repo.comments.some((x) => x.id === Number(m[1]))) return notFound()
    const content = String(b['content'] ?? '')
    if (!REACTIONS.has(content)) return invalid(`content must be one of ${[...REACTIONS].join(', ')}`)
    const user = userOf(ctx, req)
    // GitHub answers 200 with the existing reaction when the same user reacts the same way again.
    const existing = repo.reactions.find((r) => r.commentId === Number(m[1]) && r.content === content && r.user.login === user.login)
    if (existing) return ok(existing)
    const r = { id: id(), commentId: Number(m[1]), content, user }
    repo.reactions.push(r)
    return ok(r, 201)
  }],
  ['GET', /^\/commits\/([0-9a-f]{7,40})\/pulls$/, 'pull_requests', ({ ctx, req, repo, m }) => {
    const sha = repo.resolve(m[1]!) ?? m[1]
    // Pull requests associated with a commit: merged ones whose merge commit it is, open ones whose head it is.
    return paginate(ctx, req, repo.pulls.filter((p) => p['merge_commit_sha'] === sha || p.head.sha === sha))
  }],
  ['GET', /^\/issues\/(\d+)\/labels$/, 'issues', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, (repo.labels.get(Number(m[1])) ?? []).map((name, i) => ({ id: i + 1, name, color: 'ededed' })))],
  ['GET', /^\/issues\/(\d+)\/events$/, 'issues', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, repo.labelEvents.filter((e) => e.issue === Number(m[1])).map((e, i) => ({ id: i + 1, event: 'labeled', actor: { login: e.actor, type: 'User' }, label: { name: e.label, color: 'ededed' } })))],
  ['DELETE', /^\/issues\/(\d+)\/labels\/(.+)$/, 'issues', ({ repo, m }) => {
    const list = repo.labels.get(Number(m[1])) ?? []
    if (!list.includes(m[2]!)) return notFound()
    repo.labels.set(Number(m[1]), list.filter((l) => l !== m[2]))
    return ok([])
  }],
  ['GET', /^\/commits\/(.+)\/check-runs$/, 'checks', ({ req, repo, m }) => {
    const sha = repo.resolve(m[1]!) ?? m[1]
    const runs = repo.checkRuns.filter((r) => r.head_sha === sha && (!req.query['check_name'] || r.name === req.query['check_name']))
    return ok({ total_count: runs.length, check_runs: runs.slice().reverse().map(checkJson) })
  }],
  ['POST', /^\/check-runs$/, 'checks', ({ repo, b }) => {
    if (typeof b['name'] !== 'string' || typeof b['head_sha'] !== 'string') return invalid('name and head_sha are required')
    const run: CheckRunState = { id: id(), name: b['name'], head_sha: b['head_sha'], status: 'queued', conclusion: null, output: { annotations_count: 0 }, actions: [], annotations: [], started_at: now() }
    applyCheck(run, b)
    repo.checkRuns.push(run)
    return ok(checkJson(run), 201)
  }],
  ['GET', /^\/check-runs\/(\d+)$/, 'checks', ({ repo, m }) => {
    const run = repo.checkRuns.find((r) => r.id === Number(m[1]))
    return run ? ok(checkJson(run)) : notFound()
  }],
  ['PATCH', /^\/check-runs\/(\d+)$/, 'checks', ({ repo, m, b }) => {
    const run = repo.checkRuns.find((r) => r.id === Number(m[1]))
    if (!run) return notFound()
    applyCheck(run, b)
    return ok(checkJson(run))
  }],
  ['GET', /^\/check-runs\/(\d+)\/annotations$/, 'checks', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, repo.checkRuns.find((r) => r.id === Number(m[1]))?.annotations ?? [])],
  ['POST', /^\/statuses\/([0-9a-f]{40})$/, 'statuses', ({ repo, m, b }) => {
    const s = { id: id(), sha: m[1]!, state: String(b['state']), context: String(b['context'] ?? 'default'), created_at: now(), ...(b['description'] ? { description: String(b['description']) } : {}), ...(b['target_url'] ? { target_url: String(b['target_url']) } : {}) }
    repo.statuses.push(s)
    return ok(s, 201)
  }],
  ['GET', /^\/commits\/(.+)\/statuses$/, 'statuses', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, repo.statuses.filter((s) => s.sha === (repo.resolve(m[1]!) ?? m[1])).slice().reverse())],
  ['GET', /^\/commits\/(.+)\/status$/, 'statuses', ({ repo, m }) => {
    const sha = repo.resolve(m[1]!) ?? m[1]
    const latest = new Map<string, unknown>()
    for (const s of repo.statuses.filter((x) => x.sha === sha)) latest.set(s.context, s)
    return ok({ sha, statuses: [...latest.values()], total_count: latest.size })
  }],
  ['GET', /^\/commits\/([^/]+)$/, 'contents', ({ repo, m }) => {
    const sha = repo.resolve(m[1]!)
    return sha ? ok({ sha, commit: { tree: { sha: treeOf(repo, sha) } } }) : invalid(`No commit found for SHA: ${m[1]}`)
  }],
  ['GET', /^\/pulls$/, 'pull_requests', ({ ctx, req, repo }) =>
    paginate(ctx, req, repo.pulls.filter((p) =>
      (req.query['state'] === 'all' || p.state === (req.query['state'] ?? 'open')) &&
      (!req.query['head'] || req.query['head'] === `${repo.owner}:${p.head.ref}` || req.query['head'] === p.head.label) &&
      (!req.query['base'] || p.base.ref === req.query['base'])))],
  ['POST', /^\/pulls$/, 'pull_requests', ({ ctx, repo, b }) => {
    const head = String(b['head'] ?? '')
    const headSha = repo.resolve(head)
    const baseSha = repo.resolve(String(b['base'] ?? ''))
    if (!headSha || !baseSha) return invalid('Validation Failed: head or base does not exist')
    if (repo.pulls.some((p) => p.state === 'open' && p.head.ref === head && p.base.ref === b['base'])) return invalid(`A pull request already exists for ${repo.owner}:${head}.`)
    const number = Math.max(0, ...repo.pulls.map((p) => p.number)) + 1
    const p = { ...pullTemplate(ctx, repo, number, String(b['base']), baseSha, head, headSha), title: String(b['title'] ?? ''), body: (b['body'] as string | undefined) ?? null }
    repo.pulls.push(p)
    return ok(p, 201)
  }],
  ['GET', /^\/pulls\/(\d+)$/, 'pull_requests', ({ repo, m }) => {
    const p = repo.pulls.find((x) => x.number === Number(m[1]))
    return p ? ok(p) : notFound()
  }],
  ['PATCH', /^\/pulls\/(\d+)$/, 'pull_requests', ({ repo, m, b }) => {
    const p = repo.pulls.find((x) => x.number === Number(m[1]))
    if (!p) return notFound()
    for (const k of ['title', 'body', 'state'] as const) if (k in b) (p as Record<string, unknown>)[k] = b[k]
    return ok(p)
  }],
  ['GET', /^\/pulls\/(\d+)\/files$/, 'pull_requests', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, (repo.pullFiles.get(Number(m[1])) ?? []).map((filename) => ({ filename, status: 'modified' })))],
  ['GET', /^\/git\/ref\/(.+)$/, 'contents', ({ ctx, repo, m }) => {
    const sha = repo.refs.get(m[1]!)
    return sha ? ok(refJson(ctx, repo, m[1]!, sha)) : notFound()
  }],
  ['GET', /^\/git\/matching-refs\/(.+)$/, 'contents', ({ ctx, repo, m }) =>
    ok([...repo.refs].filter(([r]) => r.startsWith(m[1]!)).map(([r, sha]) => refJson(ctx, repo, r, sha)))],
  ['POST', /^\/git\/refs$/, 'contents', ({ ctx, repo, b }) => {
    const ref = String(b['ref'] ?? '').replace(/^refs\//, '')
    if (repo.refs.has(ref)) return invalid('Reference already exists')
    repo.refs.set(ref, String(b['sha']))
    return ok(refJson(ctx, repo, ref, String(b['sha'])), 201)
  }],
  ['PATCH', /^\/git\/refs\/(.+)$/, 'contents', ({ ctx, repo, m, b }) => {
    const old = repo.refs.get(m[1]!)
    if (!old) return invalid('Reference does not exist')
    const sha = String(b['sha'])
    if (b['force'] !== true && !isAncestor(repo, old, sha)) return invalid('Update is not a fast forward')
    repo.refs.set(m[1]!, sha)
    return ok(refJson(ctx, repo, m[1]!, sha))
  }],
  ['DELETE', /^\/git\/refs\/(.+)$/, 'contents', ({ repo, m }) => (repo.refs.delete(m[1]!) ? { status: 204 } : invalid('Reference does not exist'))],
  ['GET', /^\/branches\/(.+)$/, 'contents', ({ repo, m }) => {
    const sha = repo.refs.get(`heads/${m[1]}`)
    return sha ? ok({ name: m[1], commit: { sha }, protected: false }) : notFound()
  }],
  ['GET', /^\/contents\/(.+)$/, 'contents', ({ repo, req, m }) => {
    const ref = req.query['ref'] ?? repo.defaultBranch
    const data = repo.read(ref, m[1]!)
    if (!data) return notFound()
    const name = m[1]!.split('/').pop()
    return ok({ type: 'file', encoding: 'base64', size: data.length, name, path: m[1], sha: 'f'.repeat(40), content: data.toString('base64') })
  }],
  ['GET', /^\/git\/trees\/([0-9a-f]{40})$/, 'contents', ({ repo, req, m }) => ok(listTree(repo, m[1]!, req.query['recursive'] !== undefined))],
  ['GET', /^\/git\/blobs\/([0-9a-f]{40})$/, 'contents', ({ repo, m }) => {
    if (!repo.gitDir) return notFound()
    const data = execFileSync('git', ['-C', repo.gitDir, 'cat-file', 'blob', m[1]!])
    return ok({ sha: m[1], size: data.length, encoding: 'base64', content: data.toString('base64') })
  }],
  ['GET', /^\/collaborators\/([^/]+)\/permission$/, 'metadata', ({ repo, m }) => {
    const permission = repo.permissions.get(m[1]!) ?? 'none'
    // The REST API folds maintain/triage into write/read in `permission` and keeps the detail in `role_name`.
    const folded = permission === 'maintain' ? 'write' : permission === 'triage' ? 'read' : permission
    return permission === 'none' && !repo.permissions.has(m[1]!) ? notFound() : ok({ permission: folded, role_name: permission, user: { login: m[1] } })
  }],
  ['GET', /^\/deployments$/, 'deployments', ({ ctx, req, repo }) =>
    paginate(ctx, req, repo.deployments.filter((d) => (!req.query['environment'] || d.environment === req.query['environment']) && (!req.query['sha'] || d.sha === req.query['sha'])).map(({ statuses: _s, ...d }) => d).reverse())],
  ['POST', /^\/deployments$/, 'deployments', ({ repo, b }) => {
    const ref = String(b['ref'] ?? '')
    const sha = repo.resolve(ref)
    if (!sha) return invalid(`No ref found for: ${ref}`)
    const d = { id: id(), ref, sha, environment: String(b['environment'] ?? 'production'), task: String(b['task'] ?? 'deploy'), payload: b['payload'] ?? {}, statuses: [], ...(b['description'] ? { description: String(b['description']) } : {}) }
    repo.deployments.push(d)
    const { statuses: _s, ...json } = d
    return ok(json, 201)
  }],
  ['GET', /^\/deployments\/(\d+)\/statuses$/, 'deployments', ({ ctx, req, repo, m }) =>
    paginate(ctx, req, (repo.deployments.find((d) => d.id === Number(m[1]))?.statuses ?? []).slice().reverse())],
  ['POST', /^\/deployments\/(\d+)\/statuses$/, 'deployments', ({ repo, m, b }) => {
    const d = repo.deployments.find((x) => x.id === Number(m[1]))
    if (!d) return notFound()
    const s = { id: id(), state: String(b['state']), ...(b['description'] ? { description: String(b['description']) } : {}), ...(b['environment_url'] ? { environment_url: String(b['environment_url']) } : {}), ...(b['log_url'] ? { log_url: String(b['log_url']) } : {}) }
    d.statuses.push(s)
    return ok(s, 201)
  }],
]

/** Dispatches one request; unknown routes answer 404. */
export async function routeRequest(ctx: DoubleContext, req: DoubleRequest): Promise<DoubleResponse> {
  const app = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.path)
  if (app && req.method === 'POST') {
    if (req.kind !== 'jwt') return { status: 401, body: { message: 'A JSON web token could not be decoded' } }
    return ok({ token: ctx.issueToken(), expires_at: new Date(Date.now() + 3600_000).toISOString(), permissions: ctx.installationPermissions, repository_selection: 'all' }, 201)
  }
  if (req.path === '/user' && req.method === 'GET') {
    const login = req.token ? ctx.users.get(req.token) : undefined
    return login ? ok({ login, type: 'User' }) : { status: 403, body: { message: 'Resource not accessible by integration' } }
  }
  const rm = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(req.path)
  if (!rm) return notFound()
  const repo = ctx.repos.get(`${rm[1]}/${rm[2]}`.toLowerCase())
  if (!repo) return notFound()
  const rest = rm[3] ?? ''
  for (const [method, re, permission, handler] of ROUTES) {
    if (method !== req.method) continue
    const m = re.exec(rest)
    if (!m) continue
    const perms = req.token ? ctx.tokens.get(req.token) : undefined
    if (method !== 'GET' && perms && perms[permission] !== 'write') {
      return { status: 403, body: { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' } }
    }
    const b = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as Body
    return handler({ ctx, req, repo, m: [...m], b })
  }
  return notFound()
}

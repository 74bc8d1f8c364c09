/** Response builders and git readers behind the GitHub double's routes. */
import { execFileSync } from 'node:child_process'
import type { CheckRunState, RepoState } from './github-double-state.js'
import type { DoubleContext, DoubleRequest, DoubleResponse } from './github-double-routes.js'

type Body = Record<string, unknown>

/** Helper of the double's routes. */
export function paginate(ctx: DoubleContext, req: DoubleRequest, items: unknown[]): DoubleResponse {
  const perPage = Math.min(100, Number(req.query['per_page'] ?? 30))
  const page = Number(req.query['page'] ?? 1)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const headers: Record<string, string> = {}
  if (page < last) {
    const link = (p: number): string => {
      const q = new URLSearchParams({ ...req.query, per_page: String(perPage), page: String(p) })
      return `${ctx.base}${req.path}?${q.toString()}`
    }
    headers['link'] = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`
  }
  return { status: 200, body: slice, headers }
}

/** Helper of the double's routes. */
export function userOf(ctx: DoubleContext, req: DoubleRequest): { login: string; type: string } {
  const pat = req.token ? ctx.users.get(req.token) : undefined
  if (pat) return { login: pat, type: 'User' }
  // The Action's GITHUB_TOKEN and an App installation token both post as a bot.
  if (req.token?.startsWith('ghs_test_')) return { login: 'fluxgate[bot]', type: 'Bot' }
  return { login: 'github-actions[bot]', type: 'Bot' }
}

/** Helper of the double's routes. */
export function commentJson(ctx: DoubleContext, repo: RepoState, c: { id: number; issue: number }): Record<string, unknown> {
  const { issue, ...rest } = c as { issue: number } & Record<string, unknown>
  return { ...rest, node_id: `IC_${c.id}`, url: `${ctx.base}/repos/${repo.owner}/${repo.name}/issues/comments/${c.id}`, html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${issue}#issuecomment-${c.id}`, issue_url: `${ctx.base}/repos/${repo.owner}/${repo.name}/issues/${issue}` }
}

/** Helper of the double's routes. */
export function applyCheck(run: CheckRunState, b: Body): void {
  for (const k of ['name', 'status', 'conclusion', 'external_id', 'details_url', 'started_at', 'completed_at'] as const) {
    if (k in b) (run as unknown as Record<string, unknown>)[k] = b[k]
  }
  if (b['conclusion'] && !('status' in b)) run.status = 'completed'
  if (Array.isArray(b['actions'])) run.actions = b['actions'] as CheckRunState['actions']
  const output = b['output'] as Body | undefined
  if (output) {
    for (const k of ['title', 'summary', 'text'] as const) if (typeof output[k] === 'string') run.output[k] = output[k]
    // GitHub appends annotations on every create/update (at most 50 per request).
    const annotations = (output['annotations'] as Record<string, unknown>[] | undefined) ?? []
    if (annotations.length > 50) throw new Error('github-double: more than 50 annotations in one request')
    run.annotations.push(...annotations)
    run.output.annotations_count = run.annotations.length
  }
}

/** Helper of the double's routes. */
export function checkJson(run: CheckRunState): Record<string, unknown> {
  const { annotations: _a, ...rest } = run
  return { ...rest, app: { id: 123, slug: 'fluxgate' } }
}

/** Helper of the double's routes. */
export function refJson(ctx: DoubleContext, repo: RepoState, ref: string, sha: string): Record<string, unknown> {
  return { ref: `refs/${ref}`, url: `${ctx.base}/repos/${repo.owner}/${repo.name}/git/refs/${ref}`, object: { sha, type: 'commit' } }
}

/** Helper of the double's routes. */
export function isAncestor(repo: RepoState, ancestor: string, sha: string): boolean {
  if (!repo.gitDir) return true
  try {
    execFileSync('git', ['-C', repo.gitDir, 'merge-base', '--is-ancestor', ancestor, sha], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Helper of the double's routes. */
export function treeOf(repo: RepoState, sha: string): string | undefined {
  if (!repo.gitDir) return undefined
  return execFileSync('git', ['-C', repo.gitDir, 'rev-parse', `${sha}^{tree}`], { encoding: 'utf8' }).trim()
}

/** Helper of the double's routes. */
export function listTree(repo: RepoState, sha: string, recursive: boolean): Record<string, unknown> {
  if (!repo.gitDir) return { sha, tree: [], truncated: false }
  const out = execFileSync('git', ['-C', repo.gitDir, 'ls-tree', '-z', '--long', ...(recursive ? ['-r', '-t'] : []), sha], { encoding: 'utf8' })
  const tree = out.split('\0').filter(Boolean).map((entry) => {
    const tab = entry.indexOf('\t')
    const [mode, type, objSha, size] = entry.slice(0, tab).split(/\s+/)
    return { path: entry.slice(tab + 1), mode, type, sha: objSha, ...(type === 'blob' ? { size: Number(size) } : {}) }
  })
  return { sha, tree, truncated: false }
}

/** Helper of the double's routes. */
export function pullTemplate(ctx: DoubleContext, repo: RepoState, number: number, base: string, baseSha: string, head: string, headSha: string) {
  const repoJson = repo.json(ctx.base)
  return {
    id: 1000 + number,
    number,
    state: 'open',
    title: '',
    body: null as string | null,
    draft: false,
    merged: false,
    user: { login: 'fluxgate[bot]', type: 'Bot' },
    base: { ref: base, sha: baseSha, label: `${repo.owner}:${base}`, repo: repoJson },
    head: { ref: head, sha: headSha, label: `${repo.owner}:${head}`, repo: repoJson },
    html_url: `https://github.com/${repo.owner}/${repo.name}/pull/${number}`,
  }
}

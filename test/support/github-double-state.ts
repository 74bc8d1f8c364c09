/** State the GitHub double keeps per repository (see github-double.ts for the API). */
import { execFileSync } from 'node:child_process'

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

/** GitHub App style permissions of a token: `{ checks: 'write', issues: 'read' }`. */
export type TokenPermissions = Record<string, 'read' | 'write'>

export interface CommentState {
  id: number
  issue: number
  body: string
  user: { login: string; type: string }
  created_at: string
  updated_at: string
}

export interface CheckRunState {
  id: number
  name: string
  head_sha: string
  status: string
  conclusion: string | null
  external_id?: string
  details_url?: string
  output: { title?: string; summary?: string; text?: string; annotations_count: number }
  actions: { label: string; description: string; identifier: string }[]
  annotations: Record<string, unknown>[]
  started_at?: string
  completed_at?: string | null
}

export interface StatusState {
  id: number
  sha: string
  state: string
  context: string
  description?: string
  target_url?: string
  created_at: string
}

export interface ReactionState {
  id: number
  /** The issue comment reacted to. */
  commentId: number
  content: string
  user: { login: string; type: string }
}

export interface DeploymentState {
  id: number
  ref: string
  sha: string
  environment: string
  task: string
  description?: string
  payload: unknown
  statuses: { id: number; state: string; description?: string; environment_url?: string; log_url?: string }[]
}

/** A pull request as the REST API returns it (the fields Fluxgate reads, plus a few). */
export interface PullState {
  id: number
  number: number
  state: string
  title: string
  body: string | null
  draft: boolean
  merged: boolean
  user: { login: string; type: string }
  base: { ref: string; sha: string; label: string; repo: Record<string, unknown> }
  head: { ref: string; sha: string; label: string; repo: Record<string, unknown> }
  html_url: string
  [key: string]: unknown
}

export interface RepoState {
  owner: string
  name: string
  defaultBranch: string
  /** A local git repository backing contents/trees/blobs/commits and smart HTTP, if any. */
  gitDir?: string
  comments: CommentState[]
  labels: Map<number, string[]>
  /** Who added which label to which issue (the issue events API), oldest first. */
  labelEvents: { issue: number; label: string; actor: string }[]
  checkRuns: CheckRunState[]
  statuses: StatusState[]
  pulls: PullState[]
  pullFiles: Map<number, string[]>
  /** `heads/main` → sha. */
  refs: Map<string, string>
  /** ref (branch name or sha) → path → text, used when there is no gitDir. */
  files: Map<string, Map<string, string>>
  permissions: Map<string, Permission>
  deployments: DeploymentState[]
  /** Reactions on issue comments (`POST issues/comments/:id/reactions`). */
  reactions: ReactionState[]
  /** The repository object the REST API returns. */
  json(base: string): Record<string, unknown>
  /** Full SHA for a branch, tag or SHA, or undefined. */
  resolve(ref: string): string | undefined
  /** Text of a file at a ref, or undefined. */
  read(ref: string, path: string): Buffer | undefined
}

/** Fresh state for one repository; with `gitDir`, refs start as that repository's branches. */
export function newRepoState(owner: string, name: string, gitDir?: string, defaultBranch = 'main'): RepoState {
  const state: RepoState = {
    owner,
    name,
    defaultBranch,
    ...(gitDir ? { gitDir } : {}),
    comments: [],
    labels: new Map(),
    labelEvents: [],
    checkRuns: [],
    statuses: [],
    pulls: [],
    pullFiles: new Map(),
    refs: new Map(),
    files: new Map(),
    permissions: new Map(),
    deployments: [],
    reactions: [],
    json(base) {
      return {
        id: 4242,
        name,
        full_name: `${owner}/${name}`,
        owner: { login: owner, type: 'Organization' },
        private: false,
        fork: false,
        default_branch: state.defaultBranch,
        clone_url: `${base}/${owner}/${name}.git`,
        url: `${base}/repos/${owner}/${name}`,
        html_url: `https://github.com/${owner}/${name}`,
      }
    },
    resolve(ref) {
      const r = ref.replace(/^refs\//, '')
      const direct = state.refs.get(r) ?? state.refs.get(`heads/${r}`) ?? state.refs.get(`tags/${r}`)
      if (direct) return direct
      if (!gitDir) return /^[0-9a-f]{40}$/.test(ref) ? ref : undefined
      try {
        return execFileSync('git', ['-C', gitDir, 'rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { encoding: 'utf8' }).trim() || undefined
      } catch {
        return undefined
      }
    },
    read(ref, path) {
      if (!gitDir) {
        const byRef = state.files.get(ref) ?? state.files.get(state.resolve(ref) ?? '')
        const text = byRef?.get(path)
        return text === undefined ? undefined : Buffer.from(text)
      }
      const sha = state.resolve(ref)
      if (!sha) return undefined
      try {
        return execFileSync('git', ['-C', gitDir, 'cat-file', 'blob', `${sha}:${path}`], { stdio: ['ignore', 'pipe', 'ignore'] })
      } catch {
        return undefined
      }
    },
  }
  if (gitDir) {
    const out = execFileSync('git', ['-C', gitDir, 'for-each-ref', '--format=%(refname) %(objectname)', 'refs/heads', 'refs/tags'], { encoding: 'utf8' })
    for (const line of out.split('\n').filter(Boolean)) {
      const [ref = '', sha = ''] = line.split(' ')
      state.refs.set(ref.replace(/^refs\//, ''), sha)
    }
  }
  return state
}

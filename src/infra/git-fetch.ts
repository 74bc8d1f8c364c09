import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { GitError, GitRepo } from './git-repo.js'

const exec = promisify(execFile)

/** What to fetch, and from where. */
export interface FetchRequest {
  /** A remote name of the repository (`origin`) or a URL. */
  remote: string
  shas: readonly string[]
  /** Pull request number, to fetch `refs/pull/N/head` when a SHA cannot be fetched by itself. */
  pullNumber?: number
  /** A token sent as an HTTP header through the environment, never in argv or a URL. */
  token?: string
}

/**
 * Makes sure `repo` holds the commits to plan, fetching only git objects (nothing is checked
 * out or run): first each missing SHA by itself (GitHub serves any reachable commit), then the
 * pull request's head ref and the branches. Throws a GitError naming the SHAs that are still
 * missing, so every front door fails the same way.
 */
export async function fetchCommits(repo: GitRepo, req: FetchRequest): Promise<void> {
  let missing = await missingOf(repo, req.shas)
  if (missing.length === 0) return
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0', ...(req.token ? tokenEnv(req.token) : {}) }
  const fetch = (refspecs: string[]): Promise<unknown> => exec('git', ['-C', repo.dir, 'fetch', '--quiet', '--no-tags', '--', req.remote, ...refspecs], { env }).catch((err: unknown) => err)
  await fetch(missing)
  missing = await missingOf(repo, req.shas)
  if (missing.length > 0) {
    // Apart: a pull ref the remote does not have fails the whole fetch it is in.
    if (req.pullNumber !== undefined) await fetch([`+refs/pull/${req.pullNumber}/head:refs/remotes/origin/pull/${req.pullNumber}`])
    await fetch(['+refs/heads/*:refs/remotes/origin/*'])
    missing = await missingOf(repo, req.shas)
  }
  if (missing.length > 0) throw new GitError(`could not fetch ${missing.map((s) => s.slice(0, 12)).join(', ')} from the repository (a shallow checkout? check out with fetch-depth: 0)`)
}

/**
 * A bare cache repository per remote under `cacheDir` (the App's), created on first use.
 * Two events for one repository never fetch into its cache at once.
 */
export async function cachedRepository(cacheDir: string, cloneUrl: string): Promise<GitRepo> {
  const dir = cachedRepositoryDir(cacheDir, cloneUrl)
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true })
    await exec('git', ['init', '--quiet', '--bare', '--', dir])
  }
  return new GitRepo(dir)
}

/** The folder of the bare cache repository of `cloneUrl` under `cacheDir`. */
export function cachedRepositoryDir(cacheDir: string, cloneUrl: string): string {
  return join(cacheDir, createHash('sha256').update(cloneUrl).digest('hex').slice(0, 16) + '.git')
}

const locks = new Map<string, Promise<unknown>>()

/** Runs `fn` after every earlier call for the same key has settled. */
export function serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve()
  const job = previous.catch(() => undefined).then(fn)
  locks.set(key, job)
  void job.finally(() => {
    if (locks.get(key) === job) locks.delete(key)
  }).catch(() => undefined)
  return job
}

async function missingOf(repo: GitRepo, shas: readonly string[]): Promise<string[]> {
  const out: string[] = []
  for (const sha of shas) if (!(await repo.resolve(sha).then(() => true, () => false))) out.push(sha)
  return out
}

function tokenEnv(token: string): Record<string, string> {
  return {
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`,
  }
}

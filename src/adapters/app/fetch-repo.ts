import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { GitRepo } from '../../infra/git-repo.js'

const exec = promisify(execFile)

/** Per-directory queue: two events for one repository never fetch into its cache at once. */
const locks = new Map<string, Promise<unknown>>()

/** What to fetch. */
export interface FetchRequest {
  cacheDir: string
  /** `https://github.com/acme/fleet.git` (the payload's `repository.clone_url`). */
  cloneUrl: string
  /** The installation token; sent as an HTTP header through the environment, never in argv or a URL. */
  token: string
  shas: string[]
  /** Pull request number, to fetch `refs/pull/N/head` when a SHA cannot be fetched by itself. */
  pullNumber?: number
}

/**
 * A bare cache repository per remote under `cacheDir`, fetched with the installation token,
 * holding the commits asked for. Only git objects are fetched: nothing is checked out or run.
 * Returns a GitRepo over it for the planner.
 */
export async function fetchCommits(req: FetchRequest): Promise<GitRepo> {
  const dir = join(req.cacheDir, createHash('sha256').update(req.cloneUrl).digest('hex').slice(0, 16) + '.git')
  const previous = locks.get(dir) ?? Promise.resolve()
  const job = previous.catch(() => undefined).then(() => fetchInto(dir, req))
  locks.set(dir, job)
  return job
}

async function fetchInto(dir: string, req: FetchRequest): Promise<GitRepo> {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true })
    await exec('git', ['init', '--quiet', '--bare', dir])
  }
  const repo = new GitRepo(dir)
  const missing = async (): Promise<string[]> => {
    const out: string[] = []
    for (const sha of req.shas) if (!(await repo.resolve(sha).then(() => true, () => false))) out.push(sha)
    return out
  }
  let wanted = await missing()
  if (wanted.length === 0) return repo
  const env = {
    ...process.env,
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'http.extraHeader',
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${Buffer.from(`x-access-token:${req.token}`).toString('base64')}`,
  }
  const fetch = (refspecs: string[]): Promise<unknown> => exec('git', ['-C', dir, 'fetch', '--quiet', '--no-tags', req.cloneUrl, ...refspecs], { env }).catch((err: unknown) => err)
  // GitHub serves any reachable commit by SHA; other servers may need the refs.
  await fetch(wanted)
  wanted = await missing()
  if (wanted.length > 0) {
    await fetch(['+refs/heads/*:refs/remotes/origin/*', ...(req.pullNumber ? [`+refs/pull/${req.pullNumber}/head:refs/remotes/origin/pull/${req.pullNumber}`] : [])])
    wanted = await missing()
  }
  if (wanted.length > 0) throw new Error(`could not fetch ${wanted.map((s) => s.slice(0, 7)).join(', ')} from the repository`)
  return repo
}

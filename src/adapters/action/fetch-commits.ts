import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { GitRepo } from '../../infra/git-repo.js'

const exec = promisify(execFile)

/**
 * Makes sure the checkout has the commits to plan. actions/checkout with `fetch-depth: 0`
 * already has both for pull_request events; an approval comment runs on the default branch,
 * so the pull request's head is fetched from `refs/pull/N/head` (with the credentials
 * actions/checkout persisted), then any SHA still missing by itself. Only git objects are
 * fetched: nothing is checked out or run.
 */
export async function ensureCommits(repo: GitRepo, shas: string[], pullNumber?: number): Promise<void> {
  const missing = async (): Promise<string[]> => {
    const out: string[] = []
    for (const sha of shas) if (!(await repo.resolve(sha).then(() => true, () => false))) out.push(sha)
    return out
  }
  const fetch = (refspecs: string[]): Promise<unknown> =>
    exec('git', ['-C', repo.dir, 'fetch', '--no-tags', '--quiet', 'origin', ...refspecs], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }).catch((err: unknown) => err)
  if ((await missing()).length === 0) return
  if (pullNumber !== undefined) await fetch([`+refs/pull/${pullNumber}/head:refs/remotes/origin/pull/${pullNumber}`])
  const still = await missing()
  if (still.length > 0) await fetch(still)
  // Whatever is still missing surfaces as the planner's "unknown revision" error.
}

import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { GitRepo } from '../../infra/git-repo.js'

const exec = promisify(execFile)

/**
 * Makes sure the checkout has the commits to plan. actions/checkout with `fetch-depth: 0`
 * already has both for pull_request events; an approval comment runs on the default branch,
 * so the pull request's head is fetched from `refs/pull/N/head` (with the credentials
 * actions/checkout persisted). Only git objects are fetched: nothing is checked out or run.
 */
export async function ensureCommits(repo: GitRepo, shas: string[], pullNumber?: number): Promise<void> {
  const missing: string[] = []
  for (const sha of shas) if (!(await repo.resolve(sha).then(() => true, () => false))) missing.push(sha)
  if (missing.length === 0) return
  const refspecs = [...missing, ...(pullNumber ? [`+refs/pull/${pullNumber}/head:refs/remotes/origin/pull/${pullNumber}`] : [])]
  await exec('git', ['-C', repo.dir, 'fetch', '--no-tags', '--quiet', 'origin', ...refspecs], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } })
}

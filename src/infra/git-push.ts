import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import type { FileTree } from '../ports/file-tree.js'
import type { BranchCommit, GitIdentity, GitWorkspace } from '../ports/image-pr-host.js'
import { GitRepo } from './git-repo.js'

const execFileAsync = promisify(execFile)

export type { BranchCommit, GitIdentity }

/** Thrown when git fails; the message never contains the token. */
export class GitPushError extends Error {
  readonly code = 'git-push-failed'
}

/**
 * A bare local mirror of a remote used to build commits without a checkout (plumbing only:
 * read-tree, hash-object, write-tree, commit-tree), so files are written byte for byte, and
 * to push them with a lease. The token travels in an `http.extraHeader` set through
 * GIT_CONFIG_* environment variables: never in a URL, an argument or an error message.
 */
export class GitRemoteWorkspace implements GitWorkspace {
  private readonly env: Record<string, string>

  constructor(
    readonly dir: string,
    private readonly remoteUrl: string,
    token?: string,
  ) {
    const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1' }
    if (token) {
      env['GIT_CONFIG_COUNT'] = '1'
      env['GIT_CONFIG_KEY_0'] = 'http.extraHeader'
      env['GIT_CONFIG_VALUE_0'] = `Authorization: Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`
    }
    this.env = env
  }

  /** Creates the bare repository when it is not there yet. */
  async init(): Promise<void> {
    if (!existsSync(join(this.dir, 'HEAD'))) {
      mkdirSync(this.dir, { recursive: true })
      await this.git(['init', '-q', '--bare'])
    }
  }

  /** Fetches a branch; returns its tip, or undefined when the remote has no such branch. */
  async fetchBranch(branch: string): Promise<string | undefined> {
    try {
      await this.git(['fetch', '-q', '--no-tags', this.remoteUrl, `+refs/heads/${branch}:refs/remotes/origin/${branch}`])
    } catch (err) {
      if (err instanceof GitPushError && /couldn't find remote ref/i.test(err.message)) {
        await this.git(['update-ref', '-d', `refs/remotes/origin/${branch}`])
        return undefined
      }
      throw err
    }
    return (await this.git(['rev-parse', `refs/remotes/origin/${branch}`])).trim()
  }

  /** The files of a commit, for the scan. */
  async tree(commit: string): Promise<FileTree> {
    const repo = new GitRepo(this.dir)
    try {
      return await repo.tree(commit)
    } finally {
      repo.close()
    }
  }

  /** The tree object id of a commit. */
  async treeId(commit: string): Promise<string> {
    return (await this.git(['rev-parse', `${commit}^{tree}`])).trim()
  }

  /** Commits reachable from `tip` but not from `base`, newest first. */
  async commitsBetween(base: string, tip: string): Promise<BranchCommit[]> {
    const out = await this.git(['log', '--format=%H%x00%P%x00%ae%x00%ce%x00%B%x1e', `${base}..${tip}`])
    return out
      .split('\x1e')
      .map((r) => r.replace(/^\n/, ''))
      .filter((r) => r.trim() !== '')
      .map((r) => {
        const [sha = '', parents = '', authorEmail = '', committerEmail = '', message = ''] = r.split('\0')
        return { sha, parents: parents.split(' ').filter(Boolean), authorEmail, committerEmail, message }
      })
  }

  /**
   * A commit whose parent is `parent` and whose tree is the parent's with `files` replaced
   * (modes kept; new files get 100644). Returns its sha; nothing is pushed.
   */
  async commitFiles(parent: string, files: { path: string; text: string }[], message: string, author: GitIdentity, committer: GitIdentity): Promise<string> {
    const index = join(this.dir, `fluxgate-index-${process.pid}-${Date.now()}`)
    const env = { GIT_INDEX_FILE: index }
    try {
      await this.git(['read-tree', parent], env)
      for (const f of files) {
        const blob = (await this.git(['hash-object', '-w', '--stdin'], env, f.text)).trim()
        const mode = (await this.git(['ls-tree', parent, '--', f.path])).split(' ')[0] || '100644'
        await this.git(['update-index', '--add', '--cacheinfo', `${mode},${blob},${f.path}`], env)
      }
      const tree = (await this.git(['write-tree'], env)).trim()
      const who = {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: committer.name,
        GIT_COMMITTER_EMAIL: committer.email,
      }
      return (await this.git(['commit-tree', tree, '-p', parent], who, message)).trim()
    } finally {
      rmSync(index, { force: true })
    }
  }

  /**
   * Force-pushes `sha` to `branch`, but only if the remote branch is still at `expected`
   * (undefined: it must not exist). A person pushing in between makes this fail, never lose
   * their commit.
   */
  async pushBranch(sha: string, branch: string, expected: string | undefined): Promise<void> {
    await this.git(['push', '-q', `--force-with-lease=refs/heads/${branch}:${expected ?? ''}`, this.remoteUrl, `${sha}:refs/heads/${branch}`])
  }

  /** Deletes a remote branch if it is still at `expected`. */
  async deleteBranch(branch: string, expected: string): Promise<void> {
    await this.git(['push', '-q', `--force-with-lease=refs/heads/${branch}:${expected}`, this.remoteUrl, `:refs/heads/${branch}`])
  }

  private async git(args: string[], extraEnv: Record<string, string> = {}, input?: string): Promise<string> {
    const run = execFileAsync('git', ['-C', this.dir, ...args], {
      env: { ...process.env, ...this.env, ...extraEnv },
      maxBuffer: 64 * 1024 * 1024,
      encoding: 'utf8',
    })
    if (input !== undefined) {
      run.child.stdin?.end(input)
    }
    try {
      return (await run).stdout
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr ?? ''
      throw new GitPushError(`git ${args[0]} failed: ${scrub(stderr.trim() || (err as Error).message)}`)
    }
  }
}

/** Removes anything that looks like credentials from a git message. */
function scrub(text: string): string {
  return text.replace(/\/\/[^/@\s]+@/g, '//').replace(/(Authorization:\s*\S+\s+)\S+/gi, '$1***')
}

import { execFileSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { serveGitCgi } from './git-cgi.js'

/**
 * A real Git remote over smart HTTP for tests (real-components §6.1): `git http-backend`
 * behind a Node server on 127.0.0.1 that demands Basic auth with the given user and password,
 * the way `https://x-access-token:TOKEN@github.com/OWNER/REPO.git` works. Push is enabled.
 */
export interface GitHttpServer {
  url: string
  /** `${url}/${owner}/${name}.git` */
  repoUrl(owner: string, name: string): string
  /** Path of the bare repository on disk, for assertions with `git -C`. */
  repoDir(owner: string, name: string): string
  /** Creates a bare repository with branch `main` holding `files` in one commit; returns its sha. */
  createRepo(owner: string, name: string, files: Record<string, string>): string
  stop(): Promise<void>
}

/** Starts the server over `root` (a folder that will hold OWNER/NAME.git). */
export async function startGitHttpServer(root: string, user: string, pass: string): Promise<GitHttpServer> {
  const expected = 'Basic ' + Buffer.from(`${user}:${pass}`).toString('base64')
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' })
      res.end('auth required\n')
      return
    }
    const u = new URL(req.url ?? '/', 'http://x')
    serveGitCgi(req, res, u, {
      GIT_PROJECT_ROOT: root,
      PATH_INFO: decodeURIComponent(u.pathname),
      // REMOTE_USER set means receive-pack (push) is allowed
      REMOTE_USER: user,
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const repoDir = (owner: string, name: string): string => join(root, owner, `${name}.git`)
  return {
    url,
    repoUrl: (owner, name) => `${url}/${owner}/${name}.git`,
    repoDir,
    createRepo(owner, name, files) {
      const dir = repoDir(owner, name)
      mkdirSync(dir, { recursive: true })
      execFileSync('git', ['init', '-q', '--bare', '-b', 'main', dir])
      execFileSync('git', ['-C', dir, 'config', 'http.receivepack', 'true'])
      return commitFiles(dir, 'main', files, 'seed', { name: 'Seed', email: 'seed@example.com' })
    },
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

/**
 * Commits `files` on top of `branch` of a bare repository (creating it if needed) with the
 * given identity, the way a person pushing would; returns the new sha.
 */
export function commitFiles(dir: string, branch: string, files: Record<string, string>, message: string, who: { name: string; email: string }): string {
  const env = { ...process.env, GIT_INDEX_FILE: join(dir, 'test-index'), GIT_AUTHOR_NAME: who.name, GIT_AUTHOR_EMAIL: who.email, GIT_COMMITTER_NAME: who.name, GIT_COMMITTER_EMAIL: who.email }
  const git = (args: string[], input?: string): string => execFileSync('git', ['-C', dir, ...args], { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}) }).trim()
  let parent: string | undefined
  try {
    parent = git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`])
  } catch {
    parent = undefined
  }
  if (parent) git(['read-tree', parent])
  else git(['read-tree', '--empty'])
  for (const [path, text] of Object.entries(files)) {
    const blob = git(['hash-object', '-w', '--stdin'], text)
    git(['update-index', '--add', '--cacheinfo', `100644,${blob},${path}`])
  }
  const tree = git(['write-tree'])
  const sha = git(['commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', message])
  git(['update-ref', `refs/heads/${branch}`, sha])
  return sha
}

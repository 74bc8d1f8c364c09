import { execFileSync } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { GitError, GitRepo } from './git-repo.js'

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]).toString().trim()
}

describe('GitRepo', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fg-git-'))
    git(dir, 'init', '-q', '-b', 'main')
    mkdirSync(join(dir, 'clusters/staging'), { recursive: true })
    writeFileSync(join(dir, 'clusters/staging/app.yaml'), 'kind: ConfigMap\n')
    symlinkSync('app.yaml', join(dir, 'clusters/staging/link.yaml'))
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', 'base')
    writeFileSync(join(dir, 'clusters/staging/app.yaml'), 'kind: Secret\n')
    git(dir, 'commit', '-q', '-am', 'head')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a tree at a ref without checking it out', async () => {
    const repo = new GitRepo(dir)

    const base = await repo.tree(await repo.resolve('HEAD~1'))
    const head = await repo.tree(await repo.resolve('main'))

    expect(new TextDecoder().decode(base.readFile('clusters/staging/app.yaml'))).toBe('kind: ConfigMap\n')
    expect(new TextDecoder().decode(head.readFile('clusters/staging/app.yaml'))).toBe('kind: Secret\n')
    expect(head.stat('clusters/staging/link.yaml')).toEqual({ type: 'symlink', target: 'app.yaml' })
  })

  it('finds the merge base and refuses unknown refs', async () => {
    const repo = new GitRepo(dir)

    expect(await repo.mergeBase('HEAD~1', 'HEAD')).toBe(await repo.resolve('HEAD~1'))
    await expect(repo.resolve('no-such-branch')).rejects.toBeInstanceOf(GitError)
  })

  it('reads trees asked for side by side once per blob: the shared bytes are the same bytes', async () => {
    const repo = new GitRepo(dir)
    const [baseSha, headSha] = await Promise.all([repo.resolve('HEAD~1'), repo.resolve('HEAD')])
    const [base, head, again] = await Promise.all([repo.tree(baseSha), repo.tree(headSha), repo.tree(baseSha)])
    expect(new TextDecoder().decode(base.readFile('clusters/staging/app.yaml'))).toBe('kind: ConfigMap\n')
    expect(new TextDecoder().decode(head.readFile('clusters/staging/app.yaml'))).toBe('kind: Secret\n')
    // The link is one blob in both trees, read by whichever tree came first.
    expect(head.stat('clusters/staging/link.yaml')).toEqual({ type: 'symlink', target: 'app.yaml' })
    expect(base.stat('clusters/staging/link.yaml')).toEqual({ type: 'symlink', target: 'app.yaml' })
    expect(again.readFile('clusters/staging/app.yaml')).toBe(base.readFile('clusters/staging/app.yaml'))
  })

  it('answers again what a commit id names without asking git: its tree (the same object), that it exists, merge bases', async () => {
    const copy = mkdtempSync(join(tmpdir(), 'fg-git-copy-'))
    try {
      execFileSync('git', ['clone', '-q', '--bare', '--', dir, copy])
      const repo = new GitRepo(copy)
      const [baseSha, headSha] = await Promise.all([repo.resolve('HEAD~1'), repo.resolve('HEAD')])
      const tree = await repo.tree(headSha)
      const base = await repo.mergeBase(baseSha, headSha)
      // git cannot answer any more: what ids name is still known, what a name points to is not.
      rmSync(copy, { recursive: true, force: true })
      expect(await repo.tree(headSha)).toBe(tree)
      expect(await repo.resolve(headSha)).toBe(headSha)
      expect(await repo.mergeBase(baseSha, headSha)).toBe(base)
      await expect(repo.resolve('HEAD')).rejects.toBeInstanceOf(GitError)
      await expect(repo.tree('HEAD')).rejects.toThrow()
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })

  it('reads a tree named by a ref again each time: a branch moves', async () => {
    const moving = mkdtempSync(join(tmpdir(), 'fg-git-moving-'))
    try {
      execFileSync('git', ['clone', '-q', '--', dir, moving])
      const repo = new GitRepo(moving)
      expect(new TextDecoder().decode((await repo.tree('main')).readFile('clusters/staging/app.yaml'))).toBe('kind: Secret\n')
      writeFileSync(join(moving, 'clusters/staging/app.yaml'), 'kind: ConfigMap\nmetadata: {name: moved}\n')
      git(moving, 'commit', '-q', '-am', 'moved')
      expect(new TextDecoder().decode((await repo.tree('main')).readFile('clusters/staging/app.yaml'))).toContain('moved')
      expect(await repo.mergeBase('main', 'HEAD~1')).toBe(git(moving, 'rev-parse', 'HEAD~1'))
    } finally {
      rmSync(moving, { recursive: true, force: true })
    }
  })

  it('goes on reading after a tree that cannot be read', async () => {
    const repo = new GitRepo(dir)
    const [missing, head] = await Promise.allSettled([repo.tree('0'.repeat(40)), repo.tree(await repo.resolve('HEAD'))])
    expect(missing.status).toBe('rejected')
    expect(head.status === 'fulfilled' && new TextDecoder().decode(head.value.readFile('clusters/staging/app.yaml'))).toBe('kind: Secret\n')
  })
})

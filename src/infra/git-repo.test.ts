import { execFileSync } from 'node:child_process'
import { chmodSync, lstatSync, mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import fc from 'fast-check'
import type { MemoryTree, MemoryTreeContents } from '../core/tree/memory-tree.js'
import { identityOf } from '../core/tree/tree-delta.js'
import type { FileTree } from '../ports/file-tree.js'
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

/** A new repository (under a temporary folder named by `name`) whose first commit holds `files`. */
function committed(name: string, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `fg-git-${name}-`))
  git(dir, 'init', '-q', '-b', 'main')
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'first')
  return dir
}

/** Every file's bytes, every link's target and every folder's listing of a tree, to compare two reads. */
function snapshot(tree: FileTree & { contents(): MemoryTreeContents }): { files: [string, string][]; links: [string, string][]; folders: [string, string[]][] } {
  const { files, links } = tree.contents()
  const folders = new Set([''])
  for (const [p] of [...files, ...links]) for (let i = p.indexOf('/'); i >= 0; i = p.indexOf('/', i + 1)) folders.add(p.slice(0, i))
  return {
    files: files.map(([p, b]): [string, string] => [p, Buffer.from(b).toString('base64')]).sort((a, b) => a[0].localeCompare(b[0])),
    links: [...links].sort((a, b) => a[0].localeCompare(b[0])),
    folders: [...folders].sort().map((d): [string, string[]] => [d, tree.list(d)]),
  }
}

describe('GitRepo: a tree made from the last one read', () => {
  const names = ['apps', 'apps/podinfo', 'apps/podinfo/base', 'infra', 'kustomization.yaml', 'apps/podinfo/base/deploy.yaml', 'infra/ns.yaml', 'apps/kustomization.yaml']
  type Edit = { op: 'write'; path: string; text: string } | { op: 'remove'; path: string } | { op: 'link'; path: string; target: string } | { op: 'exec'; path: string }
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    fc.record({ op: fc.constant('write' as const), path: fc.constantFrom(...names), text: fc.string({ maxLength: 12 }) }),
    fc.record({ op: fc.constant('remove' as const), path: fc.constantFrom(...names) }),
    fc.record({ op: fc.constant('link' as const), path: fc.constantFrom(...names), target: fc.constantFrom('infra', 'apps/podinfo/base/deploy.yaml', '../outside') }),
    fc.record({ op: fc.constant('exec' as const), path: fc.constantFrom(...names) }),
  )

  /** Applies an edit to a working copy, making room for it (a file where a folder was, and back). */
  function apply(work: string, e: Edit): void {
    const at = join(work, e.path)
    const clear = (p: string): void => rmSync(p, { recursive: true, force: true })
    // A link is there even when what it names is not.
    const kind = (p: string): 'file' | 'dir' | 'other' | undefined => {
      try {
        const st = lstatSync(p)
        return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other'
      } catch {
        return undefined
      }
    }
    // Nothing to remove below a file (the path then names nothing).
    if (e.op === 'remove') return kind(at) === undefined ? undefined : clear(at)
    if (e.op === 'exec') {
      if (kind(at) === 'file') chmodSync(at, 0o755)
      return
    }
    const parts = e.path.split('/')
    for (let i = 1; i < parts.length; i++) {
      const up = join(work, ...parts.slice(0, i))
      if (kind(up) !== undefined && kind(up) !== 'dir') clear(up)
    }
    mkdirSync(dirname(at), { recursive: true })
    clear(at)
    if (e.op === 'write') writeFileSync(at, e.text)
    else symlinkSync(e.target, at)
  }

  it('is the tree read whole, commit after commit, forward and back (property)', async () => {
    const work = committed('derive', { 'kustomization.yaml': 'resources: []\n' })
    const reader = new GitRepo(work)
    try {
      const commits = [git(work, 'rev-parse', 'HEAD')]
      await reader.tree(commits[0]!)
      await fc.assert(
        fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.nat(), async (edits, back) => {
          // Each case edits the first commit (the reader's last tree is whichever case came before).
          git(work, 'checkout', '-q', '-f', '--detach', commits[0]!)
          git(work, 'clean', '-q', '-f', '-d', '-x')
          for (const e of edits) apply(work, e)
          git(work, 'add', '-A')
          git(work, 'commit', '-q', '--allow-empty', '-m', 'edit')
          commits.push(git(work, 'rev-parse', 'HEAD'))
          // The new commit, then one read before (made from the new one): each as a fresh reader reads it whole.
          const read: [MemoryTree, MemoryTree][] = []
          for (const sha of [commits[commits.length - 1]!, commits[back % commits.length]!]) {
            const fresh = new GitRepo(work)
            try {
              const [derived, whole] = (await Promise.all([reader.tree(sha), fresh.tree(sha)])) as [MemoryTree, MemoryTree]
              expect(snapshot(derived)).toEqual(snapshot(whole))
              expect(identityOf(derived)).toBe(identityOf(whole))
              read.push([derived, whole])
            } finally {
              fresh.close()
            }
          }
          // Trees of one reader differ where their derivations say; trees read whole are compared file by file.
          expect(read[0]![0].changedPathsTo(read[1]![0])).toEqual(read[0]![1].changedPathsTo(read[1]![1]))
        }),
        { numRuns: 25 },
      )
    } finally {
      reader.close()
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('stubs a file too large to load, read whole or made from another tree', async () => {
    const work = committed('large', { 'small.yaml': 'kind: ConfigMap\n' })
    const reader = new GitRepo(work)
    try {
      const first = await reader.tree(git(work, 'rev-parse', 'HEAD'))
      writeFileSync(join(work, 'large.yaml'), Buffer.alloc(8 * 1024 * 1024 + 1, 0x61))
      git(work, 'add', '-A')
      git(work, 'commit', '-q', '-m', 'large')
      const derived = await reader.tree(git(work, 'rev-parse', 'HEAD'))
      const fresh = new GitRepo(work)
      const whole = await fresh.tree(git(work, 'rev-parse', 'HEAD'))
      fresh.close()
      for (const t of [derived, whole]) {
        expect(t.stat('large.yaml')).toEqual({ type: 'file', size: 8 * 1024 * 1024 + 1 })
        // Never read: the stub holds none of the file's bytes.
        expect(t.readFile('large.yaml')![0]).toBe(0)
      }
      expect(first.stat('large.yaml')).toBeUndefined()
    } finally {
      reader.close()
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('finds a commit fetched after its git process started (the App checks, fetches, then reads)', async () => {
    const source = committed('source', { 'app.yaml': 'kind: Secret\n' })
    const bare = mkdtempSync(join(tmpdir(), 'fg-git-bare-'))
    const reader = new GitRepo(bare)
    try {
      git(bare, 'init', '-q', '--bare')
      const head = git(source, 'rev-parse', 'HEAD')
      await expect(reader.resolve(head)).rejects.toBeInstanceOf(GitError)
      git(bare, 'fetch', '-q', '--', source, 'main')
      expect(await reader.resolve(head)).toBe(head)
      expect(new TextDecoder().decode((await reader.tree(head)).readFile('app.yaml'))).toBe('kind: Secret\n')
    } finally {
      reader.close()
      rmSync(bare, { recursive: true, force: true })
      rmSync(source, { recursive: true, force: true })
    }
  })
})

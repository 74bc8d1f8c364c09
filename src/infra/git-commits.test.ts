import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { CatFile } from './git-cat-file.js'
import { commitParents, descendsFrom, shallowCommits } from './git-commits.js'
import { GitRepo } from './git-repo.js'

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { env: { ...process.env, GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z' } })
    .toString()
    .trim()
}

/** A history as commit-tree makes it: each commit names earlier ones as parents (none: a new root). */
function commitGraph(dir: string, parents: readonly (readonly number[])[]): string[] {
  const tree = git(dir, 'mktree', '--missing')
  const ids: string[] = []
  for (const [i, ps] of parents.entries()) ids.push(git(dir, 'commit-tree', tree, '-m', `c${i}`, ...[...new Set(ps)].flatMap((p) => ['-p', ids[p]!])))
  return ids
}

describe('commitParents', () => {
  it('reads the parent lines of a commit header, and nothing of its message', () => {
    const a = 'a'.repeat(40)
    const b = 'b'.repeat(40)
    const body = Buffer.from(`tree ${'c'.repeat(40)}\nparent ${a}\nparent ${b}\nauthor t <t@example.com> 0 +0000\n\nparent ${'d'.repeat(40)}\n`)
    expect(commitParents(body)).toEqual([a, b])
    expect(commitParents(Buffer.from(`tree ${'c'.repeat(40)}\nauthor t <t@example.com> 0 +0000\n\nmsg\n`))).toEqual([])
  })
})

describe('descendsFrom and GitRepo.mergeBase', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fg-commits-'))
    git(dir, 'init', '-q', '--bare')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('answers as git merge-base on random histories (branches, merges, several roots)', async () => {
    // Commit i names up to two earlier commits (none: another root).
    const history = fc.integer({ min: 2, max: 14 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant<number[]>([]) : fc.array(fc.nat(i - 1), { maxLength: 2 })))))
    await fc.assert(
      fc.asyncProperty(history, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 6 }), async (parents, pairs) => {
        const ids = commitGraph(dir, parents)
        const repo = new GitRepo(dir)
        const objects = new CatFile(dir, '--batch')
        try {
          for (const [x, y] of pairs) {
            const [a, b] = [ids[x % ids.length]!, ids[y % ids.length]!]
            const ancestor = spawnSync('git', ['-C', dir, 'merge-base', '--is-ancestor', a, b]).status === 0
            expect(await descendsFrom(objects, b, a, new Set())).toBe(ancestor)
            let expected: string
            try {
              expected = git(dir, 'merge-base', a, b)
            } catch {
              expected = ''
            }
            expect((await repo.mergeBase(a, b)) ?? '').toBe(expected)
          }
        } finally {
          objects.close()
          repo.close()
        }
      }),
      { numRuns: 20 },
    )
  })

  it('stops at its bound and at a shallow boundary, where git is asked instead', async () => {
    const chain = commitGraph(dir, [[], [0], [1], [2], [3], [4]])
    const objects = new CatFile(dir, '--batch')
    try {
      expect(await descendsFrom(objects, chain[5]!, chain[0]!, new Set(), 4)).toBe(false)
      expect(await descendsFrom(objects, chain[5]!, chain[2]!, new Set(), 4)).toBe(true)
      // A commit the shallow file lists has no parents, even when their objects are present.
      expect(await descendsFrom(objects, chain[5]!, chain[2]!, shallowCommits(`${chain[4]}\n`))).toBe(false)
    } finally {
      objects.close()
    }
    const work = mkdtempSync(join(tmpdir(), 'fg-commits-work-'))
    const shallow = mkdtempSync(join(tmpdir(), 'fg-commits-shallow-'))
    try {
      git(work, 'init', '-q', '-b', 'main')
      for (let i = 0; i < 4; i++) git(work, 'commit', '-q', '--allow-empty', '-m', `c${i}`)
      execFileSync('git', ['clone', '-q', '--depth', '2', '--bare', '--', `file://${work}`, shallow])
      const repo = new GitRepo(shallow)
      const objects = new CatFile(shallow, '--batch')
      try {
        const [head, parent] = [git(shallow, 'rev-parse', 'HEAD'), git(shallow, 'rev-parse', 'HEAD~1')]
        const beyond = git(work, 'rev-parse', 'HEAD~2')
        const listed = shallowCommits(readFileSync(join(shallow, 'shallow'), 'utf8'))
        expect(listed).toEqual(new Set([parent]))
        expect(await descendsFrom(objects, head, parent, listed)).toBe(true)
        expect(await descendsFrom(objects, head, beyond, listed)).toBe(false)
        expect(await repo.mergeBase(parent, head)).toBe(parent)
        expect(await repo.mergeBase(beyond, head)).toBeUndefined()
      } finally {
        objects.close()
        repo.close()
      }
    } finally {
      rmSync(work, { recursive: true, force: true })
      rmSync(shallow, { recursive: true, force: true })
    }
  })
})

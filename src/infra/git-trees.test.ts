import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { diffTree, listedTrees, parseTree, TreeTooLarge, type TreeEntry } from './git-trees.js'

function git(dir: string, args: string[], input?: Buffer): Buffer {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], input ? { input } : {})
}
const text = (dir: string, ...args: string[]): string => git(dir, args).toString().trim()

/** Runs a diffTree walk to its end, answering each step from `objects`. */
function run<T>(walking: Generator<string[], T, ReadonlyMap<string, TreeEntry[]>>, objects: ReadonlyMap<string, TreeEntry[]>): { result: T; asked: string[][] } {
  const asked: string[][] = []
  let step = walking.next(new Map())
  while (!step.done) {
    asked.push(step.value)
    step = walking.next(new Map(step.value.map((id) => [id, objects.get(id)!])))
  }
  return { result: step.value, asked }
}

describe('Git tree objects', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fg-trees-'))
    text(dir, 'init', '-q', '-b', 'main')
    mkdirSync(join(dir, 'apps/podinfo'), { recursive: true })
    mkdirSync(join(dir, 'infra'), { recursive: true })
    writeFileSync(join(dir, 'apps/podinfo/kustomization.yaml'), 'resources: [deploy.yaml]\n')
    writeFileSync(join(dir, 'apps/podinfo/deploy.yaml'), 'kind: Deployment\n')
    writeFileSync(join(dir, 'infra/naïve name.yaml'), 'kind: ConfigMap\n')
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\n', { mode: 0o755 })
    symlinkSync('apps/podinfo', join(dir, 'current'))
    text(dir, 'add', '-A')
    // A submodule entry: a commit named in the tree, which a Flux artifact does not hold.
    text(dir, 'update-index', '--add', '--cacheinfo', `160000,${'1'.repeat(40)},vendor/lib`)
    text(dir, 'commit', '-q', '-m', 'base')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('parses a tree object as git lists it', () => {
    const root = text(dir, 'rev-parse', 'HEAD^{tree}')
    const entries = parseTree(git(dir, ['cat-file', 'tree', root]), 20)
    const listed = text(dir, 'ls-tree', root)
      .split('\n')
      .map((line) => {
        const [meta, name] = line.split('\t')
        const [mode, , id] = meta!.split(' ')
        return { mode: mode!.replace(/^0+/, ''), name: name!, id: id! }
      })
    expect(entries).toEqual(listed)
    expect(entries.map((e) => e.name)).toEqual(['apps', 'current', 'infra', 'run.sh', 'vendor'])
  })

  it('rebuilds every tree object, file, link and size from one ls-tree listing', () => {
    const root = text(dir, 'rev-parse', 'HEAD^{tree}')
    const listed = listedTrees(root, git(dir, ['ls-tree', '-r', '-t', '-z', '--long', '--full-tree', root]).toString('utf8'))

    // Each tree object rebuilt is the one git holds.
    expect(listed.trees.size).toBe(5)
    for (const [id, entries] of listed.trees) expect(entries).toEqual(parseTree(git(dir, ['cat-file', 'tree', id]), 20))
    expect(listed.files.map((f) => f.path).sort()).toEqual(['apps/podinfo/deploy.yaml', 'apps/podinfo/kustomization.yaml', 'infra/naïve name.yaml', 'run.sh'])
    expect(listed.links).toEqual([{ path: 'current', id: text(dir, 'rev-parse', 'HEAD:current') }])
    expect(listed.sizes.get(text(dir, 'rev-parse', 'HEAD:apps/podinfo/deploy.yaml'))).toBe('kind: Deployment\n'.length)
  })

  it('names the files and links that differ between two commits, entering only the folders that changed', () => {
    const before = text(dir, 'rev-parse', 'HEAD^{tree}')
    const work = mkdtempSync(join(tmpdir(), 'fg-trees-work-'))
    try {
      text(work, 'clone', '-q', '--', dir, '.')
      writeFileSync(join(work, 'apps/podinfo/deploy.yaml'), 'kind: Deployment\nspec: {replicas: 2}\n')
      rmSync(join(work, 'infra'), { recursive: true })
      // A file becomes a folder.
      rmSync(join(work, 'run.sh'))
      mkdirSync(join(work, 'run.sh'))
      writeFileSync(join(work, 'run.sh/inside.yaml'), 'kind: Namespace\n')
      text(work, 'add', '-A')
      text(work, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'edit')
      const after = text(work, 'rev-parse', 'HEAD^{tree}')
      const objects = new Map<string, TreeEntry[]>()
      for (const [tree, repo] of [[before, dir], [after, work]] as const) {
        for (const [id, entries] of listedTrees(tree, git(repo, ['ls-tree', '-r', '-t', '-z', '--long', '--full-tree', tree]).toString('utf8')).trees) objects.set(id, entries)
      }
      const { result, asked } = run(diffTree(before, after, git(work, ['cat-file', 'tree', after]), new Map()), objects)

      expect(result!.removed.sort()).toEqual(['apps/podinfo/deploy.yaml', 'infra/naïve name.yaml', 'run.sh'])
      expect(result!.files.map((f) => f.path).sort()).toEqual(['apps/podinfo/deploy.yaml', 'run.sh/inside.yaml'])
      expect(result!.files.find((f) => f.path === 'run.sh/inside.yaml')!.id).toBe(text(work, 'rev-parse', 'HEAD:run.sh/inside.yaml'))
      // Neither the unchanged link nor the submodule is named; `apps` is entered, not the folders beside it that did not change.
      expect(result!.links).toEqual([])
      expect(asked.flat()).not.toContain(text(dir, 'rev-parse', 'HEAD:vendor'))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  })

  it('refuses a tree that names one folder over and over past its bound, and compares no folder that names an entry twice', () => {
    // A "tree bomb": each level names the level below ten times.
    const objects = new Map<string, TreeEntry[]>()
    let below = 'f'.repeat(40)
    objects.set(below, [{ mode: '100644', name: 'leaf.yaml', id: 'a'.repeat(40) }])
    for (let level = 0; level < 6; level++) {
      const id = String(level).repeat(40)
      objects.set(id, Array.from({ length: 10 }, (_, i) => ({ mode: '40000', name: `d${i}`, id: below })))
      below = id
    }
    const empty = 'e'.repeat(40)
    objects.set(empty, [])
    expect(() => run(diffTree(empty, below, new Uint8Array(), objects, 50_000), objects)).toThrow(TreeTooLarge)

    const twice = 'b'.repeat(40)
    objects.set(twice, [
      { mode: '100644', name: 'x.yaml', id: 'a'.repeat(40) },
      { mode: '40000', name: 'x.yaml', id: 'f'.repeat(40) },
    ])
    expect(run(diffTree(empty, twice, new Uint8Array(), objects), objects).result).toBeUndefined()
  })

  it('refuses a listing past its bound', () => {
    const root = text(dir, 'rev-parse', 'HEAD^{tree}')
    const output = git(dir, ['ls-tree', '-r', '-t', '-z', '--long', '--full-tree', root]).toString('utf8')
    expect(() => listedTrees(root, output, 3)).toThrow(TreeTooLarge)
  })
})

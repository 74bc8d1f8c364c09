import fc from 'fast-check'
import type { FileTree } from '../../ports/file-tree.js'
import { subTree } from '../load/sources.js'
import { artifactPatterns } from '../load/sourceignore.js'
import { FilteredTree } from '../load/filtered-tree.js'
import { MemoryTree } from './memory-tree.js'
import { identityOf, treeDelta, type TreeQuestion } from './tree-delta.js'

/**
 * A question the delta calls unchanged must get the same answer from both trees: random
 * trees, random edits (contents, files added and removed, a file turned into a folder, a
 * `.sourceignore` written), asked through the views a Flux artifact is made of.
 */
const seg = fc.constantFrom('apps', 'base', 'c1', 'x.yaml', 'y.yaml', 'k.txt', 'img.png', '.sourceignore')
const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((a) => a.join('/'))
const content = fc.constantFrom('a: 1\n', 'a: 2\n', '*.txt\n', 'base/\n', '!k.txt\n', '')

type Edit = { kind: 'write'; path: string; text: string } | { kind: 'remove'; path: string }
const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('write' as const), path, text: content }),
  fc.record({ kind: fc.constant('remove' as const), path }),
)

/** A tree from files (a path that is also a folder of another is dropped: a file cannot be both). */
function treeOf(files: Map<string, string>): MemoryTree {
  const paths = [...files.keys()]
  const t = new MemoryTree()
  for (const [p, text] of files) if (!paths.some((q) => q.startsWith(`${p}/`)) && !paths.some((q) => p.startsWith(`${q}/`))) t.addFile(p, text)
  return t
}

function apply(files: Map<string, string>, edits: Edit[]): Map<string, string> {
  const out = new Map(files)
  for (const e of edits) {
    if (e.kind === 'write') out.set(e.path, e.text)
    else for (const p of [...out.keys()]) if (p === e.path || p.startsWith(`${e.path}/`)) out.delete(p)
  }
  return out
}

const views: [string, (t: MemoryTree) => FileTree][] = [
  ['the tree', (t) => t],
  ['its artifact', (t) => new FilteredTree(t, artifactPatterns(t, undefined))],
  ['the artifact of a folder', (t) => new FilteredTree(subTree(t, 'apps'), artifactPatterns(subTree(t, 'apps'), 'k.txt\n'))],
]

function answer(t: FileTree, q: TreeQuestion, p: string): string {
  if (q === 'stat') return JSON.stringify(t.stat(p) ?? null)
  if (q === 'read') return JSON.stringify([...(t.readFile(p) ?? [])])
  if (q === 'list') return JSON.stringify(t.list(p))
  return t instanceof FilteredTree ? String(t.droppedBecause(p)) : '-'
}

function asked(files: Map<string, string>): string[] {
  const out = new Set<string>(['', 'apps', 'apps/base', 'nothing', 'apps/nothing/x.yaml'])
  for (const p of files.keys()) {
    const parts = p.split('/')
    for (let i = 1; i <= parts.length; i++) out.add(parts.slice(0, i).join('/'))
  }
  // As a render may write them: asked as given, answered as normalized.
  for (const p of [...out]) if (p) out.add(`./${p}`).add(`${p}/`)
  return [...out]
}

describe('treeDelta', () => {
  it('calls a question unchanged only when both trees answer it alike', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(path, content), { minLength: 1, maxLength: 12 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (entries, edits) => {
        const before = new Map(entries)
        const after = apply(before, edits)
        const [a, b] = [treeOf(before), treeOf(after)]
        for (const [, view] of views) {
          const [va, vb] = [view(a), view(b)]
          const d = treeDelta(va, vb)
          if (!d) continue
          for (const p of asked(new Map([...before, ...after]))) {
            for (const q of ['stat', 'read', 'list', 'drop'] as const) if (d.unchanged(q, p)) expect([q, p, answer(vb, q, p)]).toEqual([q, p, answer(va, q, p)])
          }
        }
      }),
      { numRuns: 400 },
    )
  })

  it('spares what a one-file change leaves alone, and knows the same tree', () => {
    const files = new Map([['apps/base/x.yaml', 'a: 1\n'], ['apps/c1/y.yaml', 'a: 1\n'], ['infra/z.yaml', 'a: 1\n']])
    const a = treeOf(files)
    const b = treeOf(new Map([...files, ['apps/c1/y.yaml', 'a: 2\n']]))
    const d = treeDelta(new FilteredTree(a, artifactPatterns(a, undefined)), new FilteredTree(b, artifactPatterns(b, undefined)))!
    expect(d.unchanged('read', 'apps/c1/y.yaml')).toBe(false)
    expect(d.unchanged('stat', 'apps/c1/y.yaml')).toBe(false)
    expect(d.unchanged('read', 'apps/base/x.yaml')).toBe(true)
    expect(d.unchanged('list', 'apps/c1')).toBe(true)
    expect(d.unchanged('stat', 'apps')).toBe(true)
    // A file added: its folder's listing and its own answers change, its neighbours' do not.
    const c = treeOf(new Map([...files, ['apps/c1/new.yaml', 'a: 1\n']]))
    const dc = treeDelta(a, c)!
    expect([dc.unchanged('list', 'apps/c1'), dc.unchanged('list', 'apps'), dc.unchanged('stat', 'apps/c1/new.yaml'), dc.unchanged('read', 'apps/c1/y.yaml'), dc.unchanged('list', 'infra')]).toEqual([false, false, false, true, true])
    expect(treeDelta(a, a)!.unchanged('read', 'apps/c1/y.yaml')).toBe(true)
  })

  it('names a view by its tree and by what it does to it, and a copy of a tree by its name', () => {
    const t = treeOf(new Map([['apps/x.yaml', 'a: 1\n'], ['apps/k.txt', 'b\n']])).identify('tree one')
    const names = [
      identityOf(t),
      identityOf(new FilteredTree(t, artifactPatterns(t, undefined))),
      identityOf(new FilteredTree(t, artifactPatterns(t, '*.txt\n'))),
      identityOf(subTree(t, 'apps')),
      identityOf(subTree(t, 'infra')),
      identityOf(new FilteredTree(subTree(t, 'apps'), artifactPatterns(subTree(t, 'apps'), undefined))),
    ]
    expect(new Set(names).size).toBe(names.length)
    expect(names.every((n) => n?.includes('tree one'))).toBe(true)
    expect(identityOf(new FilteredTree(t, artifactPatterns(t, undefined)))).toBe(names[1])
    expect(identityOf(MemoryTree.of(t.contents()))).toBe('tree one')
    // An unnamed tree names none of its views.
    const unnamed = treeOf(new Map([['apps/x.yaml', 'a: 1\n']]))
    expect([identityOf(unnamed), identityOf(subTree(unnamed, 'apps')), identityOf(new FilteredTree(unnamed, artifactPatterns(unnamed, undefined)))]).toEqual([undefined, undefined, undefined])
  })

  it('cannot tell for a symlink, other ignore patterns, other folders or other kinds of tree', () => {
    const a = treeOf(new Map([['apps/x.yaml', 'a: 1\n']]))
    const linked = treeOf(new Map([['apps/x.yaml', 'a: 1\n']]))
    linked.addSymlink('apps/l.yaml', 'x.yaml')
    expect(treeDelta(a, linked)).toBeUndefined()
    expect(treeDelta(new FilteredTree(a, artifactPatterns(a, undefined)), new FilteredTree(a, artifactPatterns(a, '*.yaml\n')))).toBeUndefined()
    expect(treeDelta(subTree(a, 'apps'), subTree(a, 'infra'))).toBeUndefined()
    expect(treeDelta(a, { stat: () => undefined, readFile: () => undefined, list: () => [] })).toBeUndefined()
  })
})

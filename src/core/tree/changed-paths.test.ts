import fc from 'fast-check'
import type { FileTree } from '../../ports/file-tree.js'
import { changedPaths } from './changed-paths.js'
import { MemoryTree } from './memory-tree.js'

const BASE = { 'apps/web.yaml': 'replicas: 1\n', 'apps/api.yaml': 'replicas: 2\n', 'README.md': '# fleet\n' }

describe('changedPaths', () => {
  it('lists the paths added, removed or changed, sorted', () => {
    const head = MemoryTree.fromRecord({ 'apps/web.yaml': 'replicas: 3\n', 'apps/api.yaml': 'replicas: 2\n', 'apps/worker.yaml': 'replicas: 1\n' })
    expect(changedPaths(MemoryTree.fromRecord(BASE), head)).toEqual(['README.md', 'apps/web.yaml', 'apps/worker.yaml'])
  })

  it('answers a pair of named trees asked again from what it found, each time in a list of its own', () => {
    const base = MemoryTree.fromRecord(BASE).identify('tree base')
    const head = MemoryTree.fromRecord({ ...BASE, 'apps/web.yaml': 'replicas: 4\n' }).identify('tree head')
    const first = changedPaths(base, head)
    first.push('changed by the caller')
    expect(changedPaths(base, head)).toEqual(['apps/web.yaml'])
  })

  it('looks again at trees without a name, which may change between two asks', () => {
    const base = MemoryTree.fromRecord(BASE)
    const head = MemoryTree.fromRecord(BASE)
    expect(changedPaths(base, head)).toEqual([])
    head.addFile('apps/new.yaml', 'kind: ConfigMap\n')
    expect(changedPaths(base, head)).toEqual(['apps/new.yaml'])
  })

  it('answers two trees in memory from their files as a walk of both would (a view of each that only answers questions)', () => {
    const opaque = (t: MemoryTree): FileTree => ({ stat: (p) => t.stat(p), readFile: (p) => t.readFile(p), list: (d) => t.list(d) })
    const path = fc.constantFrom('a.yaml', 'b/c.yaml', 'b/d/e.yaml', 'b/d/Ä.yaml', '__proto__/x.yaml', 'z', 'b/c.yaml.bak')
    const files = fc.dictionary(path, fc.constantFrom('x', 'y', 'x\n', ''))
    fc.assert(
      fc.property(files, files, fc.boolean(), (fa, fb, share) => {
        const a = MemoryTree.fromRecord(fa)
        const b = new MemoryTree()
        // Unchanged files share their bytes, as the trees of one Git reader do, or are equal copies.
        for (const [p, text] of Object.entries(fb)) b.addFile(p, share && fa[p] === text ? a.readFile(p)! : new TextEncoder().encode(text))
        expect(changedPaths(a, b)).toEqual(changedPaths(opaque(a), opaque(b)))
      }),
      { numRuns: 300, seed: 5 },
    )
  })
})

import fc from 'fast-check'
import { joinInside, MemoryTree, normalizePath } from './memory-tree.js'

describe('MemoryTree', () => {
  it('lists directories implied by file paths, sorted', () => {
    const t = MemoryTree.fromRecord({ 'apps/b.yaml': 'b', 'apps/a.yaml': 'a', 'apps/sub/c.yaml': 'c', 'root.yaml': 'r' })

    expect(t.list('')).toEqual(['apps', 'root.yaml'])
    expect(t.list('apps')).toEqual(['a.yaml', 'b.yaml', 'sub'])
    expect(t.stat('apps/sub')).toEqual({ type: 'dir' })
    expect(new TextDecoder().decode(t.readFile('./apps/sub/c.yaml'))).toBe('c')
  })

  it('follows in-tree symlinks and refuses ones that leave the root', () => {
    const t = MemoryTree.fromRecord({ 'a/real.yaml': 'x' })
    t.addSymlink('a/link.yaml', 'real.yaml')
    t.addSymlink('a/out.yaml', '../../etc/passwd')

    expect(new TextDecoder().decode(t.readFile('a/link.yaml'))).toBe('x')
    expect(t.readFile('a/out.yaml')).toBeUndefined()
    expect(t.stat('a/out.yaml')).toEqual({ type: 'symlink', target: '../../etc/passwd' })
  })

  it('is rebuilt from its contents with every answer the same, each file in bytes of its own', () => {
    const t = MemoryTree.fromRecord({ 'a/b.yaml': 'x: 1\n', 'a/c/d.txt': 'hello', 'e.yaml': '' })
    t.addSymlink('a/link.yaml', 'b.yaml')
    t.addSymlink('out', '../../etc/passwd')
    // As files arrive from another thread: views of one shared buffer.
    const shared = new Uint8Array(64)
    const contents = t.contents()
    let at = 0
    contents.files = contents.files.map(([p, b]) => {
      const view = shared.subarray(at, at + b.byteLength)
      view.set(b)
      at += b.byteLength
      return [p, view]
    })
    const copy = MemoryTree.of(contents)
    for (const p of ['', 'a', 'a/b.yaml', 'a/c', 'a/c/d.txt', 'a/link.yaml', 'out', 'e.yaml', 'nope']) {
      expect([p, copy.stat(p), copy.list(p), copy.readFile(p)]).toEqual([p, t.stat(p), t.list(p), t.readFile(p)])
    }
    expect(copy.fileCount).toBe(3)
    for (const p of copy.paths()) expect(copy.readFile(p)!.buffer.byteLength).toBe(copy.readFile(p)!.byteLength)
  })

  it('normalizes and joins paths without leaving the root', () => {
    expect(normalizePath('./a//b/')).toBe('a/b')
    expect(joinInside('a/b', '../c')).toBe('a/c')
    expect(joinInside('a', '../../c')).toBeUndefined()
  })

  it('derives a tree from another with paths removed and added, leaving the other as it was', () => {
    const base = MemoryTree.fromRecord({ 'apps/a.yaml': 'a', 'apps/sub/c.yaml': 'c', 'infra/ns.yaml': 'n', 'root.yaml': 'r' })
    const next = base.derive(['apps/sub/c.yaml', 'root.yaml', 'not/there.yaml'], [['root.yaml/inside.yaml', new TextEncoder().encode('i')], ['apps/b.yaml', new TextEncoder().encode('b')]], [['infra/link.yaml', 'ns.yaml']])

    // A folder left empty goes; a file becomes a folder.
    expect(next.list('apps')).toEqual(['a.yaml', 'b.yaml'])
    expect(next.stat('apps/sub')).toBeUndefined()
    expect(next.stat('root.yaml')).toEqual({ type: 'dir' })
    expect(next.list('')).toEqual(['apps', 'infra', 'root.yaml'])
    expect(new TextDecoder().decode(next.readFile('infra/link.yaml'))).toBe('n')
    // The tree it came from answers as before, and neither may change now (they share folder lists).
    expect(base.list('apps')).toEqual(['a.yaml', 'sub'])
    expect(base.stat('root.yaml')).toEqual({ type: 'file', size: 1 })
    expect(base.list('infra')).toEqual(['ns.yaml'])
    expect(() => base.addFile('x.yaml', 'x')).toThrow('cannot change')
    expect(() => next.addSymlink('y.yaml', 'x')).toThrow('cannot change')
  })

  it('normalizes any path as splitting it on `/` and dropping empty and `.` segments does (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b.yaml', '.', '..', '', '.x', 'x.'), { maxLength: 6 }), fc.boolean(), (segments, lead) => {
        const path = (lead ? '/' : '') + segments.join('/')
        expect(normalizePath(path)).toBe(path.split('/').filter((s) => s !== '' && s !== '.').join('/'))
      }),
      { numRuns: 500 },
    )
  })

  it('compares trees of one lineage at the paths their derivations touched, as it compares unrelated copies', () => {
    const bytes = (t: string): Uint8Array => new TextEncoder().encode(t)
    const base = MemoryTree.fromRecord({ 'apps/a.yaml': 'a', 'apps/b.yaml': 'b', 'infra/ns.yaml': 'n', 'root.yaml': 'r' })
    const one = base.derive(['apps/a.yaml'], [['apps/a.yaml', bytes('a2')], ['new.yaml', bytes('x')]], [])
    const two = one.derive(['new.yaml', 'infra/ns.yaml'], [['apps/a.yaml', bytes('a')]], [])
    const sibling = base.derive(['root.yaml'], [['root.yaml', bytes('r')], ['apps/c.yaml', bytes('c')]], [])
    const trees = [base, one, two, sibling]
    // Copies rebuilt from their contents have no lineage: they are compared file by file.
    const copies = trees.map((t) => MemoryTree.of(t.contents()))
    for (const [i, a] of trees.entries()) {
      for (const [j, b] of trees.entries()) expect(a.changedPathsTo(b)).toEqual(copies[i]!.changedPathsTo(copies[j]!))
    }
    // `two` put back what `one` changed: only the removed files differ from the base.
    expect(base.changedPathsTo(two)).toEqual(['infra/ns.yaml'])
    expect(one.changedPathsTo(sibling)).toEqual(['apps/a.yaml', 'apps/c.yaml', 'new.yaml'])
  })
})

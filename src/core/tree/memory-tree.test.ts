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
})

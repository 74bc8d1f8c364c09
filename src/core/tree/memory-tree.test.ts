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

  it('normalizes and joins paths without leaving the root', () => {
    expect(normalizePath('./a//b/')).toBe('a/b')
    expect(joinInside('a/b', '../c')).toBe('a/c')
    expect(joinInside('a', '../../c')).toBeUndefined()
  })
})

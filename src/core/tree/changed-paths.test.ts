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
})

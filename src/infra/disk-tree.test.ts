import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DiskTree } from './disk-tree.js'

describe('DiskTree', () => {
  let base: string
  let root: string
  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'fg-disk-tree-'))
    root = join(base, 'fleet')
    mkdirSync(join(root, 'apps/web'), { recursive: true })
    writeFileSync(join(root, 'apps/web/kustomization.yaml'), 'resources: [deploy.yaml]\n')
    writeFileSync(join(root, 'apps/web/deploy.yaml'), 'kind: Deployment\n')
    writeFileSync(join(base, 'outside.yaml'), 'kind: Secret\n')
    symlinkSync('deploy.yaml', join(root, 'apps/web/inside-link.yaml'))
    symlinkSync(join(base, 'outside.yaml'), join(root, 'apps/web/outside-link.yaml'))
    symlinkSync(base, join(root, 'apps/escape'))
  })
  afterEach(() => rmSync(base, { recursive: true, force: true }))

  const questions = (t: DiskTree) => ({
    listing: t.list('apps/web'),
    stats: ['apps', 'apps/web/deploy.yaml', 'apps/web/outside-link.yaml', 'missing.yaml', '../outside.yaml', '/etc/passwd'].map((p) => t.stat(p)),
    inside: new TextDecoder().decode(t.readFile('apps/web/inside-link.yaml')),
    outside: [t.readFile('apps/web/outside-link.yaml'), t.readFile('../outside.yaml'), t.readFile('apps/escape/outside.yaml'), t.readFile('/etc/passwd')],
    escaped: [t.list('apps/escape'), t.list('..'), t.list('/')],
  })

  it('answers the same with and without snapshot, and never reads outside its root', () => {
    const plain = questions(new DiskTree(root))
    const snapshot = new DiskTree(root, { snapshot: true })
    expect(questions(snapshot)).toEqual(plain)
    // Asked twice, the snapshot answers from what it kept.
    expect(questions(snapshot)).toEqual(plain)
    expect(plain.listing).toEqual(['deploy.yaml', 'inside-link.yaml', 'kustomization.yaml', 'outside-link.yaml'])
    expect(plain.stats).toEqual([{ type: 'dir' }, { type: 'file', size: 17 }, { type: 'symlink', target: join(base, 'outside.yaml') }, undefined, undefined, undefined])
    expect(plain.inside).toBe('kind: Deployment\n')
    expect(plain.outside).toEqual([undefined, undefined, undefined, undefined])
    expect(plain.escaped).toEqual([[], [], []])
  })

  it('with snapshot keeps the folder as first seen; without, reads it again', () => {
    const snapshot = new DiskTree(root, { snapshot: true })
    const live = new DiskTree(root)
    expect(snapshot.list('apps/web')).toHaveLength(4)
    snapshot.list('apps/web').push('mutated by a caller')
    writeFileSync(join(root, 'apps/web/new.yaml'), 'kind: ConfigMap\n')
    expect(snapshot.list('apps/web')).toHaveLength(4)
    expect(live.list('apps/web')).toHaveLength(5)
  })
})

import { MemoryTree } from '../../tree/memory-tree.js'
import { BuildCache } from './build-cache.js'
import { buildKustomization, serializeObjects } from './index.js'

const base = {
  'base/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LOG_LEVEL=info\n',
  'base/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        envFrom:\n        - configMapRef:\n            name: settings\n',
  'prod/kustomization.yaml': 'namespace: prod\nnamePrefix: prod-\nresources:\n- ../base\nimages:\n- name: nginx\n  newTag: "1.27"\n',
}

function text(r: ReturnType<BuildCache['build']>): string {
  expect(r.ok).toBe(true)
  return serializeObjects(r.objects)
}

describe('BuildCache', () => {
  it('gives what the engine gives, on a first build and on a replay from an identical tree', () => {
    const cache = new BuildCache()
    const expected = serializeObjects(buildKustomization(MemoryTree.fromRecord(base), 'prod').objects)
    expect(text(cache.build(MemoryTree.fromRecord(base), 'prod'))).toBe(expected)
    expect(text(cache.build(MemoryTree.fromRecord(base), 'prod'))).toBe(expected)
    expect(expected).toContain('name: prod-web\n')
  })

  it('rebuilds when a file the build read changed in another tree (a base edited by a pull request)', () => {
    const cache = new BuildCache()
    text(cache.build(MemoryTree.fromRecord(base), 'prod'))
    const head = { ...base, 'base/deploy.yaml': base['base/deploy.yaml'].replace('name: web\n', 'name: api\n') }
    const out = text(cache.build(MemoryTree.fromRecord(head), 'prod'))
    expect(out).toContain('name: prod-api\n')
    expect(out).not.toContain('name: prod-web\n')
  })

  it('rebuilds when a file the build looked for appears', () => {
    const cache = new BuildCache()
    const noBase = { 'prod/kustomization.yaml': base['prod/kustomization.yaml'] }
    const failed = cache.build(MemoryTree.fromRecord(noBase), 'prod')
    expect(failed.ok).toBe(false)
    expect(failed.diagnostics[0]?.code).toBe('kustomize/missing-resource')
    expect(text(cache.build(MemoryTree.fromRecord(base), 'prod'))).toContain('name: prod-web\n')
  })

  it('hands out copies: changing a result does not change the next one', () => {
    const cache = new BuildCache()
    const first = cache.build(MemoryTree.fromRecord(base), 'prod')
    first.objects[0]!.metadata.name = 'changed'
    const second = cache.build(MemoryTree.fromRecord(base), 'prod')
    second.objects[0]!.metadata.name = 'changed again'
    expect(text(cache.build(MemoryTree.fromRecord(base), 'prod'))).not.toContain('changed')
  })

  it('keeps builds with different options apart', () => {
    const cache = new BuildCache()
    const tree = MemoryTree.fromRecord(base)
    const legacy = text(cache.build(tree, 'prod', { reorder: 'legacy' }))
    const none = text(cache.build(tree, 'prod', { reorder: 'none' }))
    expect(legacy.indexOf('kind: ConfigMap')).toBeLessThan(legacy.indexOf('kind: Deployment'))
    expect(none).toBe(serializeObjects(buildKustomization(tree, 'prod', { reorder: 'none' }).objects))
  })

  it('replays where each object was read, through renames and hash suffixes', () => {
    const cache = new BuildCache()
    const first = cache.build(MemoryTree.fromRecord(base), 'prod')
    const replayed = cache.build(MemoryTree.fromRecord(base), 'prod')
    const where = (r: ReturnType<BuildCache['build']>): string[] => r.objects.map((o, i) => `${o.kind}/${o.metadata.name} ${r.origins?.[i]?.file}:${r.origins?.[i]?.line} ${r.origins?.[i]?.via ?? ''}`)
    expect(where(replayed)).toEqual(where(first))
    expect(where(first).sort()).toEqual([
      expect.stringMatching(/^ConfigMap\/prod-settings-\w+ base\/kustomization.yaml:4 configMapGenerator$/),
      'Deployment/prod-web base/deploy.yaml:1 ',
    ])
  })

  it('is bounded by size: the least recently used builds go first, and a build larger than the cache is not kept', () => {
    const tree = MemoryTree.fromRecord(base)
    const roomy = new BuildCache()
    text(roomy.build(tree, 'prod'))
    text(roomy.build(tree, 'base'))
    const both = roomy.stats
    expect(both.builds).toBe(2)
    expect(both.bytes).toBeGreaterThan(1000)

    // Room for one of the two builds: building the second evicts the first.
    const one = new BuildCache(Math.ceil(both.bytes * 0.75))
    text(one.build(tree, 'prod'))
    text(one.build(tree, 'base'))
    expect(one.stats.builds).toBe(1)
    expect(one.stats.bytes).toBeLessThanOrEqual(Math.ceil(both.bytes * 0.75))
    // Results stay right whatever was evicted.
    expect(text(one.build(tree, 'prod'))).toBe(serializeObjects(buildKustomization(tree, 'prod').objects))

    const tiny = new BuildCache(10)
    text(tiny.build(tree, 'prod'))
    expect(tiny.stats).toEqual({ builds: 0, bytes: 0 })
  })
})

import { resolve } from 'node:path'
import { buildKustomization, serializeObjects } from '../../src/core/render/kustomize/index.js'
import { DiskTree } from '../../src/infra/disk-tree.js'
import { KustomizeCli } from '../../src/infra/kustomize-cli.js'
import { describeWith, kubectlPath } from '../support/components.js'

// Differential test: our engine against the real `kubectl kustomize` on folders that mix
// many features (prefix/suffix + name references, generators with merge/replace, vars,
// replacements, components, patches of every kind, sort options, YAML quoting corners).
const root = resolve('test/kustomize/fixtures')
const cases = ['t1', 't2', 't3/overlay', 't4', 'g1/overlay', 'v1', 'p1', 's1']

describeWith(['kubectl'], 'kustomize engine vs kubectl kustomize', () => {
  const tree = new DiskTree(root)
  const ref = new KustomizeCli({ binary: kubectlPath() as string })

  for (const dir of cases) {
    for (const reorder of ['legacy', 'none'] as const) {
      it(`${dir} (--reorder ${reorder}) prints the same bytes`, () => {
        const want = ref.build(tree, dir, { reorder })
        const got = buildKustomization(tree, dir, { reorder })
        expect(got.diagnostics).toEqual([])
        expect(want.ok).toBe(true)
        expect(serializeObjects(got.objects)).toBe(serializeObjects(want.objects))
      })
    }
  }
})

describe('kustomize engine on the fixtures without kubectl', () => {
  it('builds every fixture', () => {
    const tree = new DiskTree(root)
    for (const dir of cases) expect(buildKustomization(tree, dir, { reorder: 'none' }).ok).toBe(true)
  })
})

import { resolve } from 'node:path'
import { buildKustomization, serializeObjects } from '../../src/core/render/kustomize/index.js'
import { DiskTree } from '../../src/infra/disk-tree.js'
import { KustomizeCli } from '../../src/infra/kustomize-cli.js'
import { describeWith, kubectlPath } from '../support/components.js'

// Differential test: our engine against the real `kubectl kustomize` on folders that mix
// many features (prefix/suffix + name references, generators with merge/replace, vars,
// replacements, components, patches of every kind, sort options, YAML quoting corners),
// and on go-yaml's corners: block scalars at the end of a file with each chomping indicator
// (c1), folded scalars with more-indented lines (f1), generator files with U+FFFD, a
// byte-order mark or invalid UTF-8 (u1), keys named __proto__/constructor/prototype (x1, x2).
// The comparison is on kubectl's raw stdout bytes, not on both outputs re-printed by us.
const root = resolve('test/kustomize/fixtures')
const cases = ['t1', 't2', 't3/overlay', 't4', 'g1/overlay', 'v1', 'p1', 's1', 'c1', 'f1', 'u1', 'x1', 'x2']

describeWith(['kubectl'], 'kustomize engine vs kubectl kustomize', () => {
  const tree = new DiskTree(root)
  const ref = new KustomizeCli({ binary: kubectlPath() as string })

  for (const dir of cases) {
    for (const reorder of ['legacy', 'none'] as const) {
      it(`${dir} (--reorder ${reorder}) prints the same bytes`, () => {
        const want = ref.buildText(tree, dir, { reorder })
        const got = buildKustomization(tree, dir, { reorder })
        expect(got.diagnostics).toEqual([])
        if (!want.ok) throw new Error(want.diagnostic.message)
        expect(serializeObjects(got.objects)).toBe(want.text)
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

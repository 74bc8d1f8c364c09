import { MemoryTree } from '../../tree/memory-tree.js'
import { buildKustomization, serializeObjects, type KustomizeResult } from './index.js'
import { clearSubBuilds, subBuildCounts } from './sub-builds.js'

const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.25\n        envFrom:\n        - configMapRef:\n            name: settings\n'
/** A shared platform base under an app base, and two overlays that change what they get. */
const fleet: Record<string, string> = {
  'platform/web/kustomization.yaml': 'resources:\n- deploy.yaml\nlabels:\n- pairs:\n    tier: web\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LOG_LEVEL=info\n',
  'platform/web/deploy.yaml': deploy,
  'apps/shop/base/kustomization.yaml': 'resources:\n- ../../../platform/web\nnamePrefix: shop-\n',
  'apps/shop/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\nimages:\n- name: nginx\n  newTag: "1.27"\npatches:\n- patch: |-\n    - op: add\n      path: /spec/replicas\n      value: 3\n  target:\n    kind: Deployment\n',
  'apps/shop/dev/kustomization.yaml': 'namespace: dev\nnameSuffix: -dev\nresources:\n- ../base\n',
}

function out(r: KustomizeResult): string {
  if (!r.ok) return `failed: ${r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n')}`
  return serializeObjects(r.objects)
}

/** Each build with nothing remembered: what every reuse must give. */
function fresh(files: Record<string, string>, dir: string): string {
  clearSubBuilds()
  return out(buildKustomization(MemoryTree.fromRecord(files), dir))
}

describe('base builds remembered across builds', () => {
  beforeEach(() => clearSubBuilds())

  it('reuses a shared base in every overlay, with what a fresh build gives, whatever the overlays did to their copies', () => {
    const expected = ['apps/shop/prod', 'apps/shop/dev', 'apps/shop/prod'].map((d) => fresh(fleet, d))
    clearSubBuilds()
    const tree = MemoryTree.fromRecord(fleet)
    const got = ['apps/shop/prod', 'apps/shop/dev', 'apps/shop/prod'].map((d) => out(buildKustomization(tree, d)))
    expect(got).toEqual(expected)
    expect(got[0]).toContain('name: shop-web\n  namespace: prod\n')
    expect(got[1]).toContain('name: shop-web-dev\n')
    // The app base (and the platform base inside it) ran once; the next two builds reused it.
    expect(subBuildCounts()).toEqual({ built: 2, reused: 2 })
  })

  it('builds again when a file the base read differs in another tree', () => {
    const tree = MemoryTree.fromRecord(fleet)
    out(buildKustomization(tree, 'apps/shop/prod'))
    const edited = { ...fleet, 'platform/web/deploy.yaml': deploy.replace('nginx:1.25', 'nginx:1.26') }
    const r = out(buildKustomization(MemoryTree.fromRecord(edited), 'apps/shop/dev'))
    expect(r).toBe(fresh(edited, 'apps/shop/dev'))
    expect(r).toContain('image: nginx:1.26\n')
  })

  it('still reports the cycle a remembered base would close under another chain of folders', () => {
    const files = {
      ...fleet,
      // platform/web/extra builds the app base, which builds platform/web: a cycle (kustomize
      // refuses a root that contains a folder already visited).
      'platform/web/extra/kustomization.yaml': 'resources:\n- ../../../apps/shop/base\n',
    }
    const expected = fresh(files, 'platform/web/extra')
    expect(expected).toContain('cycle detected')
    clearSubBuilds()
    const tree = MemoryTree.fromRecord(files)
    out(buildKustomization(tree, 'apps/shop/prod'))
    expect(out(buildKustomization(tree, 'platform/web/extra'))).toBe(expected)
  })

  it('does not remember a base that set the build-wide schema, nor a failed one', () => {
    const files = {
      ...fleet,
      'apps/shop/base/kustomization.yaml': 'resources:\n- ../../../platform/web\nopenapi:\n  version: v1.21.2\n',
      'apps/bad/base/kustomization.yaml': 'resources:\n- missing.yaml\n',
      'apps/bad/prod/kustomization.yaml': 'resources:\n- ../base\n',
    }
    const tree = MemoryTree.fromRecord(files)
    const first = out(buildKustomization(tree, 'apps/shop/prod'))
    const second = out(buildKustomization(tree, 'apps/shop/prod'))
    // The app base ran both times; the platform base under it, built with the schema set, once.
    expect(subBuildCounts()).toEqual({ built: 3, reused: 1 })
    expect(second).toBe(first)
    expect(second).toBe(fresh(files, 'apps/shop/prod'))
    clearSubBuilds()
    const failed = out(buildKustomization(tree, 'apps/bad/prod'))
    expect(failed).toContain('failed:')
    expect(out(buildKustomization(tree, 'apps/bad/prod'))).toBe(failed)
    expect(subBuildCounts().reused).toBe(0)
  })
})

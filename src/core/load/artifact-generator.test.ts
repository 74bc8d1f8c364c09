import { parse } from 'yaml'
import { MemoryTree } from '../tree/memory-tree.js'
import { applyCopyOperations } from './artifact-generator.js'

const mono = (): MemoryTree =>
  MemoryTree.fromRecord({
    'apps/base/podinfo/release.yaml': 'kind: HelmRelease',
    'apps/base/podinfo/kustomization.yaml': 'resources: []',
    'apps/staging/kustomization.yaml': 'resources: [../base/podinfo]',
    'apps/staging/README.md': 'x',
    'infrastructure/controllers/a.yaml': 'a: 1',
    'values/base.yaml': 'a: {x: 1, y: 2}\nlist: [1]',
    'values/prod.yaml': 'a: {y: 3}\nlist: [2]',
  })

describe('ArtifactGenerator copy operations (source-watcher builder)', () => {
  it('copies dir/** contents under the destination, stripping the dir prefix (flux2.7 example)', () => {
    const out = applyCopyOperations(
      [
        { from: '@monorepo/apps/base/**', to: '@artifact/base/' },
        { from: '@monorepo/apps/staging/**', to: '@artifact/staging/' },
      ],
      new Map([['monorepo', mono()]]),
    )
    expect(out.paths()).toEqual(['base/podinfo/kustomization.yaml', 'base/podinfo/release.yaml', 'staging/README.md', 'staging/kustomization.yaml'])
  })

  it('copies a plain directory like cp -r (under its own name) and honours exclude', () => {
    const out = applyCopyOperations([{ from: '@m/apps/staging', to: '@artifact/', exclude: ['*.md'] }], new Map([['m', mono()]]))
    expect(out.paths()).toEqual(['staging/kustomization.yaml'])
  })

  it('copies a single file to a file name, or into a folder when the destination ends with /', () => {
    const m = new Map([['m', mono()]])
    expect(applyCopyOperations([{ from: '@m/values/base.yaml', to: '@artifact/v.yaml' }], m).paths()).toEqual(['v.yaml'])
    expect(applyCopyOperations([{ from: '@m/values/base.yaml', to: '@artifact/cfg/' }], m).paths()).toEqual(['cfg/base.yaml'])
  })

  it('Merge strategy deep-merges YAML maps and replaces lists', () => {
    const out = applyCopyOperations(
      [
        { from: '@m/values/base.yaml', to: '@artifact/values.yaml' },
        { from: '@m/values/prod.yaml', to: '@artifact/values.yaml', strategy: 'Merge' },
      ],
      new Map([['m', mono()]]),
    )
    expect(parse(new TextDecoder().decode(out.readFile('values.yaml')))).toEqual({ a: { x: 1, y: 3 }, list: [2] })
  })

  it('fails like Flux on unknown aliases and empty globs', () => {
    expect(() => applyCopyOperations([{ from: '@nope/x/**', to: '@artifact/' }], new Map([['m', mono()]]))).toThrow(/source alias 'nope' not found/)
    expect(() => applyCopyOperations([{ from: '@m/none/*.yaml', to: '@artifact/' }], new Map([['m', mono()]]))).toThrow(/no files match pattern/)
  })
})

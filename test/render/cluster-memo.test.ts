/**
 * Whole cluster walks reused where a change does not reach them (ClusterMemo): a walk is
 * reused only when every question it asked of the repository (or passed over through a unit's
 * record) has the same answer, with the same root, declarations and `.sourceignore` patterns;
 * whatever is reused equals a full render of the new tree, byte for byte.
 */
import fc from 'fast-check'
import { ClusterMemo, ClusterReads } from '../../src/core/render/cluster-memo.js'
import { FilteredTree } from '../../src/core/load/filtered-tree.js'
import { artifactPatterns } from '../../src/core/load/sourceignore.js'
import { sourceBlocks } from '../../src/core/render/flux/source-questions.js'
import { passOverBlock } from '../../src/core/tree/question-blocks.js'
import { passOver, treeDelta, type TreeQuestion } from '../../src/core/tree/tree-delta.js'
import { UnitMemo } from '../../src/core/render/flux/unit-memo.js'
import { renderFleet, type RenderOptions } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { configMap, fluxKs, gotkSync } from './fixtures.js'

const SUBSTITUTE = '  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: cluster-secrets\n'
const FILES: Record<string, string> = {
  'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
  'clusters/dev/apps.yaml': fluxKs('apps', './apps/dev'),
  'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
  'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod', SUBSTITUTE),
  'apps/base/kustomization.yaml': 'resources: [settings.yaml]\n',
  'apps/base/settings.yaml': configMap('settings', 'default', { tier: 'base' }),
  'apps/dev/kustomization.yaml': 'resources: [../base, extra.yaml]\n',
  'apps/dev/extra.yaml': configMap('extra', 'default', { owner: 'dev' }),
  'apps/prod/kustomization.yaml': 'resources: [../base, extra.yaml]\n',
  'apps/prod/extra.yaml': configMap('extra', 'default', { owner: 'prod', region: '${region:=eu}' }),
  // Applied by nothing: created at bootstrap, which the render reports for prod's substituteFrom.
  'bootstrap/cluster-secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  region: us\n',
}

let trees = 0
const named = (files: Record<string, string>): MemoryTree => MemoryTree.fromRecord(files).identify(`cluster memo tree ${++trees}`)
const OPTS: RenderOptions = { revision: 'abc', repoUrl: 'https://github.com/example/fleet' }
const json = (v: unknown): string => JSON.stringify(v)

/** Plans `base` then `head` with one UnitMemo and one ClusterMemo; how many walks were reused, and the head. */
async function plan(base: Record<string, string>, head: Record<string, string>, memo = new UnitMemo()) {
  const clusters = new ClusterMemo()
  const baseFleet = await renderFleet(named(base), OPTS, { units: memo, clusters })
  const headFleet = await renderFleet(named(head), OPTS, { units: memo, clusters })
  expect(json(headFleet)).toBe(json(await renderFleet(MemoryTree.fromRecord(head), OPTS)))
  return { reused: memo.stats.wholeClusters ?? 0, baseFleet, headFleet }
}

describe('ClusterMemo', () => {
  it('reuses the walk of a cluster the change does not reach, as the very same render, and walks the one it reaches', async () => {
    const { reused, baseFleet, headFleet } = await plan(FILES, { ...FILES, 'apps/prod/extra.yaml': configMap('extra', 'default', { owner: 'platform' }) })
    expect(reused).toBe(1)
    expect(headFleet.clusters[0]!.name).toBe('dev')
    expect(headFleet.clusters[0]).toBe(baseFleet.clusters[0])
    expect(Object.isFrozen(headFleet.clusters[0]!.objects)).toBe(true)
    expect(headFleet.clusters[1]).not.toBe(baseFleet.clusters[1])
  })

  it('walks again every cluster a shared base reaches, and one whose listed folder gains a file', async () => {
    expect((await plan(FILES, { ...FILES, 'apps/base/settings.yaml': configMap('settings', 'default', { tier: 'gold' }) })).reused).toBe(0)
    const added = await plan(FILES, { ...FILES, 'apps/dev/notes.yaml': configMap('notes', 'default', { a: '1' }) })
    expect(added.reused).toBe(1)
    expect(added.headFleet.clusters[0]).not.toBe(added.baseFleet.clusters[0])
    // A file elsewhere of another size does not reach a cluster that never read it.
    expect((await plan(FILES, { ...FILES, 'docs/README.md': '# fleet\n' })).reused).toBe(2)
  })

  it('walks again when the repository .sourceignore patterns, or a declaration the walk looked up, change', async () => {
    expect((await plan(FILES, { ...FILES, '.sourceignore': 'docs/\n' })).reused).toBe(0)
    const declared = await plan(FILES, { ...FILES, 'bootstrap/cluster-secrets.yaml': FILES['bootstrap/cluster-secrets.yaml']!.replace('region: us', 'zone: us-1') })
    // dev never looked the Secret up; prod did, and its keys changed.
    expect(declared.reused).toBe(1)
    expect(declared.headFleet.clusters[1]).not.toBe(declared.baseFleet.clusters[1])
  })

  it('keeps no walk of an untrusted change, of a tree without a name, or of a HelmRelease that renders the commit', async () => {
    const elsewhere = { ...FILES, 'docs/README.md': '# fleet\n' }
    expect((await plan(FILES, elsewhere, new UnitMemo({ readOnly: true }))).reused).toBe(0)
    const clusters = new ClusterMemo()
    const units = new UnitMemo()
    await renderFleet(MemoryTree.fromRecord(FILES), OPTS, { units, clusters })
    await renderFleet(MemoryTree.fromRecord(elsewhere), OPTS, { units, clusters })
    expect(units.stats.wholeClusters ?? 0).toBe(0)
    const revision = { ...FILES, 'apps/dev/extra.yaml': `${FILES['apps/dev/extra.yaml']}---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: default\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/web\n      reconcileStrategy: Revision\n      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}\n` }
    expect((await plan(revision, { ...revision, 'docs/README.md': '# fleet\n' })).reused).toBe(1)
  })
})

describe('ClusterReads', () => {
  // A later tree in memory names the few paths it differs in, and only those are looked up: the
  // questions noted under any spelling of a path must still be found there.
  const base = { 'apps/dev/extra.yaml': 'a: 1\n', 'apps/dev/kustomization.yaml': 'resources: [extra.yaml]\n', 'docs/README.md': '# fleet\n' }
  const cases: [string, (r: ClusterReads) => unknown, Record<string, string | undefined>, boolean][] = [
    ['a file read as ./apps/dev/extra.yaml, then changed', (r) => r.readFile('./apps/dev/extra.yaml'), { 'apps/dev/extra.yaml': 'a: 2\n' }, false],
    ['a file read as apps//dev/extra.yaml, then changed', (r) => r.readFile('apps//dev/extra.yaml'), { 'apps/dev/extra.yaml': 'a: 2\n' }, false],
    ['a stat of a file, the same size but other bytes', (r) => r.stat('apps/dev/extra.yaml'), { 'apps/dev/extra.yaml': 'a: 3\n' }, true],
    ['a stat of a file that grows', (r) => r.stat('apps/dev/extra.yaml/'), { 'apps/dev/extra.yaml': 'a: 10\n' }, false],
    ['a folder listed as apps/dev/, then a file added to it', (r) => r.list('apps/dev/'), { 'apps/dev/new.yaml': 'b: 1\n' }, false],
    ['the kind of a folder, a file added below it', (r) => r.kindOf('./apps'), { 'apps/dev/new.yaml': 'b: 1\n' }, true],
    ['the kind of a path that becomes a file', (r) => r.kindOf('apps/prod'), { 'apps/prod': 'x\n' }, false],
    ['a question passed over (a unit record), then its file changed', (r) => r.passOver('read', './apps/dev/kustomization.yaml'), { 'apps/dev/kustomization.yaml': 'resources: []\n' }, false],
    ['a read of one file, another changed', (r) => r.readFile('apps/dev/extra.yaml'), { 'docs/README.md': '# other\n' }, true],
  ]
  it.each(cases)('%s', (_what, ask, edit, same) => {
    const then = MemoryTree.fromRecord(base)
    const reads = new ClusterReads(then)
    ask(reads)
    const next = { ...base } as Record<string, string | undefined>
    for (const [p, t] of Object.entries(edit)) next[p] = t
    const now = MemoryTree.fromRecord(Object.fromEntries(Object.entries(next).filter((e): e is [string, string] => e[1] !== undefined)))
    const delta = treeDelta(then, now)!
    expect(delta.changes).toBeDefined()
    expect(reads.sameIn(now, delta)).toBe(same)
    // The same answer as asking every question noted, through a delta that names no paths.
    expect(reads.sameIn(now, { unchanged: (q, p) => delta.unchanged(q, p) })).toBe(same)
  })
})

describe('ClusterReads, a unit record\'s questions passed over as one block', () => {
  // The block passes through the view a unit reads (the repository's artifact, filtered by
  // `.sourceignore`), as its questions one by one would: the walk's reads compare alike either way.
  const seg = fc.constantFrom('apps', 'dev', 'x.yaml', 'y.yaml', 'k.txt')
  const path = fc.array(seg, { minLength: 1, maxLength: 3 }).map((a) => a.join('/'))
  const spelled = fc.tuple(path, fc.constantFrom('', './', '/')).map(([p, how]) => (how === '/' ? `${p}/` : `${how}${p}`))
  const question = fc.tuple(fc.constantFrom<TreeQuestion>('stat', 'read', 'list', 'drop'), fc.oneof(spelled, fc.constant('')))
  const files = fc.dictionary(path, fc.constantFrom('a: 1\n', 'a: 22\n', 'b: 3\n'), { maxKeys: 6 })
  const edits = fc.array(fc.tuple(path, fc.option(fc.constantFrom('a: 1\n', 'a: 2\n', 'bb: 33\n'), { nil: undefined })), { maxLength: 3 })

  /** A tree of the files (a path that is also another's folder is left out: a file cannot be both). */
  const treeOf = (f: Record<string, string>): MemoryTree => {
    const ps = Object.keys(f)
    return MemoryTree.fromRecord(Object.fromEntries(Object.entries(f).filter(([p]) => !ps.some((q) => q.startsWith(`${p}/`)))))
  }

  it('compares alike whether its questions were passed over one by one or as a block', () => {
    fc.assert(
      fc.property(files, fc.array(question, { minLength: 1, maxLength: 12 }), edits, (f, qs, es) => {
        const then = treeOf(f)
        const next = { ...f } as Record<string, string | undefined>
        for (const [p, text] of es) next[p] = text
        const now = treeOf(Object.fromEntries(Object.entries(next).filter((e): e is [string, string] => e[1] !== undefined)))
        const one = new ClusterReads(then)
        const whole = new ClusterReads(then)
        const view = (r: ClusterReads): FilteredTree => new FilteredTree(r, artifactPatterns(then, undefined))
        for (const [q, p] of qs) expect(passOver(view(one), q, p)).toBe(true)
        const block = sourceBlocks({ reads: qs.map(([q, p]) => ({ q: [q, 'repo', p] })) }).get('repo')!
        expect(passOverBlock(view(whole), block)).toBe(true)
        const delta = treeDelta(then, now)!
        expect(delta.changes).toBeDefined()
        const expected = one.sameIn(now, delta)
        expect(whole.sameIn(now, delta)).toBe(expected)
        // And through a delta that names no paths (every question noted is looked at).
        expect(whole.sameIn(now, { unchanged: (q, p) => delta.unchanged(q, p) })).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })
})

import type { FileTree } from '../../../ports/file-tree.js'
import { artifactPatterns } from '../../load/sourceignore.js'
import { FilteredTree } from '../../load/filtered-tree.js'
import { subTree } from '../../load/sources.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { replay, UnitRecorder, type ReadSet, type UnitInputs } from './unit-reads.js'
import { storedSet, validStoredSet } from './unit-records.js'
import { deserialize, serialize } from 'node:v8'

/** A tree in memory that counts the questions asked of it. */
class CountingMemoryTree extends MemoryTree {
  asked = 0
  override stat(p: string) {
    this.asked++
    return super.stat(p)
  }
  override readFile(p: string) {
    this.asked++
    return super.readFile(p)
  }
  override list(p: string) {
    this.asked++
    return super.list(p)
  }
}

/** The artifact of a counting tree of `f` (named `id`), counted from when it is made. */
function counting(f: Record<string, string>, id?: string): { tree: CountingMemoryTree; view: FilteredTree } {
  const tree = new CountingMemoryTree()
  for (const [p, text] of Object.entries(f)) tree.addFile(p, text)
  if (id !== undefined) tree.identify(id)
  const view = artifact(tree)
  tree.asked = 0
  return { tree, view }
}

/** A tree that counts the questions asked of it. */
class Counting implements FileTree {
  asked = 0
  constructor(private readonly t: FileTree) {}
  stat(p: string) {
    this.asked++
    return this.t.stat(p)
  }
  readFile(p: string) {
    this.asked++
    return this.t.readFile(p)
  }
  list(p: string) {
    this.asked++
    return this.t.list(p)
  }
}

const inputsOver = (tree: FileTree): UnitInputs => ({ resolve: () => ({ type: 'tree', tree, source: 'this repository' }), values: () => () => undefined })

/** What a unit's render asks: its folder, its kustomization file, and a base's file. */
function record(tree: FileTree): ReadSet {
  const rec = new UnitRecorder(inputsOver(tree))
  const r = rec.resolve({ kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' })
  if (r.type !== 'tree') throw new Error('no tree')
  r.tree.stat('apps/web')
  r.tree.list('apps/web')
  r.tree.readFile('apps/web/kustomization.yaml')
  r.tree.readFile('apps/base/deploy.yaml')
  return rec.set
}

const files = { 'apps/web/kustomization.yaml': 'resources: [../base]\n', 'apps/base/deploy.yaml': 'kind: Deployment\n', 'infra/x.yaml': 'a: 1\n' }
const artifact = (t: MemoryTree): FilteredTree => new FilteredTree(t, artifactPatterns(t, undefined))
/** As the disk cache keeps it: serialized, read back, checked. */
const throughStore = (set: ReadSet): ReadSet => {
  const back = deserialize(serialize(storedSet(set))) as ReadSet
  expect(validStoredSet(back)).toBe(true)
  return back
}

describe('read-set checks against trees that can tell how they differ', () => {
  it('asks a tree of the recorded name nothing, and another tree everything', () => {
    const set = throughStore(record(artifact(MemoryTree.fromRecord(files).identify('tree one'))))
    expect(set.treeIds?.length).toBe(1)
    expect(set.treeIds?.[0]?.[1]).toMatch(/^filtered [0-9a-f]{64} of tree one$/)
    // Named alike, read alike: the name stands for every answer (GitRepo names by tree id).
    const sameName = counting(files, 'tree one')
    expect(replay(set, inputsOver(sameName.view))).toBe(true)
    expect(sameName.tree.asked).toBe(0)
    // Another name: every question is asked, and a changed file fails the check.
    const changed = counting({ ...files, 'apps/base/deploy.yaml': 'kind: StatefulSet\n' }, 'tree two')
    expect(replay(set, inputsOver(changed.view))).toBe(false)
    expect(changed.tree.asked).toBeGreaterThan(0)
    // A view the replay cannot relate to the recorded tree is asked everything.
    const opaque = new Counting(artifact(MemoryTree.fromRecord(files).identify('tree one')))
    expect(replay(set, inputsOver(opaque))).toBe(true)
    expect(opaque.asked).toBeGreaterThan(0)
  })

  it('asks the head only what the change may have changed, and still finds the change', () => {
    const set = record(artifact(MemoryTree.fromRecord(files)))
    const headOf = (f: Record<string, string>): { tree: CountingMemoryTree; view: FilteredTree } => counting(f)
    // A change elsewhere: nothing the unit read is asked again.
    const elsewhere = headOf({ ...files, 'infra/x.yaml': 'a: 2\n' })
    expect(replay(set, inputsOver(elsewhere.view))).toBe(true)
    expect(elsewhere.tree.asked).toBe(0)
    // A change to a file it read, or a file added to a folder it listed: asked, and found.
    const edited = headOf({ ...files, 'apps/base/deploy.yaml': 'kind: StatefulSet\n' })
    expect(replay(set, inputsOver(edited.view))).toBe(false)
    expect(edited.tree.asked).toBeGreaterThan(0)
    expect(replay(set, inputsOver(headOf({ ...files, 'apps/web/patch.yaml': 'a: 1\n' }).view))).toBe(false)
    // The same bytes written again: no change.
    expect(replay(set, inputsOver(headOf({ ...files }).view))).toBe(true)
  })

  it('relates a stored set to the tree it names while that tree is held, and asks only what differs', () => {
    // The App's warm worker: the base's records come back by name, and the base tree is still
    // held (its reader keeps it) when the next push's head is checked against them.
    const base = counting(files, 'base tree')
    const [set, set2, set3] = [1, 2, 3].map(() => throughStore(record(base.view))) as [ReadSet, ReadSet, ReadSet]
    base.tree.asked = 0
    const elsewhere = counting({ ...files, 'infra/x.yaml': 'a: 2\n' }, 'head tree')
    expect(replay(set, inputsOver(elsewhere.view))).toBe(true)
    expect(elsewhere.tree.asked).toBe(0)
    const edited = counting({ ...files, 'apps/base/deploy.yaml': 'kind: StatefulSet\n' }, 'head tree 2')
    expect(replay(set2, inputsOver(edited.view))).toBe(false)
    expect(edited.tree.asked).toBeGreaterThan(0)
    const added = counting({ ...files, 'apps/web/patch.yaml': 'a: 1\n' }, 'head tree 3')
    expect(replay(set3, inputsOver(added.view))).toBe(false)
    // Relating the two trees asks the recorded one nothing either.
    expect(base.tree.asked).toBe(0)
    // A name no tree of this process holds: every question is asked.
    const unknown = { ...set, treeIds: set.treeIds!.map(([r, id]): [string, string] => [r, id.replace('base tree', 'a tree never read')]), trees: undefined }
    const other = counting({ ...files, 'infra/x.yaml': 'a: 3\n' }, 'head tree 4')
    expect(replay(unknown, inputsOver(other.view))).toBe(true)
    expect(other.tree.asked).toBeGreaterThan(0)
  })

  it('relates a folder of a filtered tree to the same folder of the tree a set names', () => {
    const folder = (t: MemoryTree): FileTree => subTree(artifact(t), 'apps')
    const inFolder = (tree: FileTree): ReadSet => {
      const rec = new UnitRecorder(inputsOver(tree))
      const r = rec.resolve({ kind: 'OCIRepository', namespace: 'flux-system', name: 'apps' })
      if (r.type !== 'tree') throw new Error('no tree')
      r.tree.list('web')
      r.tree.readFile('base/deploy.yaml')
      return rec.set
    }
    const base = counting(files, 'folder base')
    const set = throughStore(inFolder(folder(base.tree)))
    expect(set.treeIds?.[0]?.[1]).toMatch(/^folder "apps" of filtered [0-9a-f]{64} of folder base$/)
    const elsewhere = counting({ ...files, 'infra/x.yaml': 'a: 2\n' }, 'folder head')
    expect(replay(set, inputsOver(folder(elsewhere.tree)))).toBe(true)
    expect(elsewhere.tree.asked).toBe(0)
    const edited = counting({ ...files, 'apps/base/deploy.yaml': 'kind: Job\n' }, 'folder head 2')
    expect(replay(throughStore(inFolder(folder(base.tree))), inputsOver(folder(edited.tree)))).toBe(false)
    // Another folder of the same trees is not related: asked.
    const otherFolder = counting({ ...files, 'infra/x.yaml': 'a: 2\n' }, 'folder head 3')
    expect(replay(throughStore(inFolder(folder(base.tree))), inputsOver(subTree(artifact(otherFolder.tree), 'infra')))).toBe(false)
  })

  it('stores questions and answers flat, and refuses a flat form that does not add up', () => {
    const set = record(artifact(MemoryTree.fromRecord(files).identify('tree one')))
    const stored = storedSet(set)
    expect(stored.reads).toEqual([])
    expect(stored.packed!.answers).toHaveLength(set.reads.length)
    expect(stored.packed!.parts).toEqual(set.reads.flatMap((r) => r.q))
    // Stored again (a record rewritten with a newer entry beside it): the same flat form.
    expect(storedSet(throughStore(set)).packed).toEqual(stored.packed)
    const p = stored.packed!
    for (const packed of [
      { ...p, arity: p.arity.slice(1) },
      { ...p, arity: `5${p.arity.slice(1)}` },
      { ...p, parts: p.parts.slice(1) },
      { ...p, answers: [...p.answers, 'sextra'] },
      { ...p, answers: p.answers.map((a, i) => (i === 0 ? 7 : a)) },
      undefined,
    ]) expect(validStoredSet({ ...stored, packed })).toBe(false)
    // The form before it (one object per question) is no stored set any more.
    expect(validStoredSet({ ...stored, packed: undefined, reads: set.reads.map((r) => ({ q: r.q, a: 'sx' })) })).toBe(false)
  })

  it('stores names, never trees, and refuses a stored set that holds trees', () => {
    const set = record(artifact(MemoryTree.fromRecord(files).identify('tree one')))
    const stored = storedSet(set)
    expect(stored.trees).toBeUndefined()
    expect(validStoredSet({ ...stored, trees: new Map() })).toBe(false)
    expect(validStoredSet({ ...stored, treeIds: [['a']] })).toBe(false)
    // A stored set read back and matched by name keeps the tree in memory only.
    const back = throughStore(set)
    expect(replay(back, inputsOver(artifact(MemoryTree.fromRecord(files).identify('tree one'))))).toBe(true)
    expect(back.trees?.size).toBe(1)
    expect(storedSet(back).trees).toBeUndefined()
    expect(validStoredSet(deserialize(serialize(storedSet(back))))).toBe(true)
  })
})

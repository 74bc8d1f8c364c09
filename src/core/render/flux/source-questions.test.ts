import fc from 'fast-check'
import { pathDelta } from '../../tree/tree-delta.js'
import { normalizePath } from '../../tree/tree-paths.js'
import { sourceBlocks } from './source-questions.js'
import { storedSet } from './unit-records.js'
import type { ReadSet } from './unit-reads.js'

/**
 * A record's tree questions of a source, as one block: whether a delta reaches the block must
 * be what the delta's `unchanged` says of its questions one by one (the check that replaced
 * it), for the record as made and as a RenderCache keeps it, whatever the spelling of a path.
 */
const spelling = fc.constantFrom('apps/dev/x.yaml', './apps/dev/x.yaml', 'apps//dev/x.yaml', 'apps/dev', 'apps/dev/', 'apps', '.', '', 'base/k.yaml', 'base')
const normal = fc.constantFrom('apps/dev/x.yaml', 'apps/dev', 'apps', '', 'base/k.yaml', 'base', 'docs/r.md')
const op = fc.constantFrom('stat', 'read', 'list', 'drop', 'origin', 'src', 'values', 'crds')
const question = fc.tuple(op, fc.constantFrom('["GitRepository","flux-system","a"]', '["OCIRepository","flux-system","b"]'), spelling)

const TREE = new Set(['stat', 'read', 'list', 'drop'])

describe('sourceBlocks', () => {
  it('says a delta reaches a source exactly when it reaches one of its tree questions', () => {
    fc.assert(
      fc.property(fc.array(question, { maxLength: 30 }), fc.array(normal, { maxLength: 3 }), fc.array(normal, { maxLength: 2 }), (qs, changed, moved) => {
        const set: ReadSet = { reads: qs.map(([o, x, y]) => ({ q: o === 'crds' ? [o] : [o, x, y], a: '' })), builts: [] }
        const delta = pathDelta(changed, moved)
        for (const form of [set, storedSet(set)]) {
          const blocks = sourceBlocks(form)
          for (const x of new Set(qs.map(([, ref]) => ref))) {
            const asked = qs.filter(([o, ref]) => ref === x && TREE.has(o))
            const block = blocks.get(x)
            if (asked.length === 0) {
              expect(block).toBeUndefined()
              continue
            }
            expect(block!.mayReach(delta.changes!)).toBe(asked.some(([o, , y]) => !delta.unchanged(o as 'stat', normalizePath(y))))
            expect(block!.questions()).toEqual(asked.map(([o, , y]) => [o, y]))
          }
        }
      }),
    )
  })

  it('is worked out once per record, shared by every copy of its set', () => {
    const set: ReadSet = { reads: [{ q: ['src', 'r', ''], a: '' }, { q: ['read', 'r', 'a.yaml'], a: '' }], builts: [] }
    expect(sourceBlocks({ ...set }).get('r')).toBe(sourceBlocks(set).get('r'))
    const stored = storedSet(set)
    const copy: ReadSet = { ...stored, stored: true }
    expect(sourceBlocks(copy).get('r')).toBe(sourceBlocks(stored).get('r'))
  })
})

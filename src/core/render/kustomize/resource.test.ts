import fc from 'fast-check'
import { ANNO, hadName, makeRes, prevIds } from './resource.js'

describe('hadName', () => {
  // Names and lists over a small alphabet that holds the separator: empty elements, names that
  // are prefixes or suffixes of others, and names with a comma (which no element can be).
  const part = fc.array(fc.constantFrom('a', 'b', 'ab', 'ba', ''), { maxLength: 3 }).map((xs) => xs.join(''))
  const list = fc.array(part, { minLength: 1, maxLength: 4 }).map((xs) => xs.join(','))
  const name = fc.oneof(part, fc.tuple(part, part).map(([x, y]) => `${x},${y}`))

  it('says what the previous ids say, without making them', () => {
    fc.assert(
      fc.property(fc.option(list, { nil: undefined }), name, (names, n) => {
        const r = makeRes({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'now', ...(names === undefined ? {} : { annotations: { [ANNO.prevNames]: names } }) } })
        return hadName(r, n) === prevIds(r).some((id) => id.name === n)
      }),
      { numRuns: 5_000 },
    )
  })

  it('finds a name at either end or inside the list, and not a part of one', () => {
    const r = makeRes({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'now', annotations: { [ANNO.prevNames]: 'web,web-abc,api' } } })
    expect(['web', 'web-abc', 'api', 'we', 'abc', 'web,web-abc', ''].map((n) => hadName(r, n))).toEqual([true, true, true, false, false, false, false])
  })
})

import fc from 'fast-check'
import { compareKeys, keyLessByCodePoints } from './key-order.js'

/** go-yaml's comparison as written over code points: what the ASCII fast path must agree with. */
const reference = (a: string, b: string): number => (a === b ? 0 : keyLessByCodePoints(a, b) ? -1 : keyLessByCodePoints(b, a) ? 1 : 0)

// Digits (zeros above all: leading zeros are the subtle part), letters on both sides of the
// digits' code points, punctuation between them, and characters past ASCII (a letter, a CJK
// letter, a non-letter, and a pair of surrogates).
const UNITS = ['0', '0', '1', '2', '9', 'a', 'b', 'z', 'A', 'Z', '-', '.', '_', '/', ' ', ':', 'é', '日', '→', '😀']

describe('compareKeys', () => {
  it('orders as go-yaml does: digit runs as numbers (a non-digit counts as 0), letters after other characters', () => {
    expect(['b', 'a10', 'a9', 'a09', 'a009', '_x', 'A', '-', 'x0', 'x00', 'é', '10', '9'].sort(compareKeys)).toEqual(['-', '_x', '9', '10', 'A', 'a9', 'a09', 'a009', 'a10', 'b', 'x0', 'x00', 'é'])
  })

  it('agrees with the code point comparison on every pair of keys of up to two characters', () => {
    const keys = ['']
    for (const u of UNITS) keys.push(u)
    for (const u of UNITS) for (const v of UNITS) keys.push(u + v)
    const wrong: string[] = []
    for (const a of keys) for (const b of keys) if (compareKeys(a, b) !== reference(a, b)) wrong.push(JSON.stringify([a, b]))
    expect(wrong.slice(0, 10)).toEqual([])
  })

  it('agrees with the code point comparison on random keys', () => {
    const key = fc.array(fc.constantFrom(...UNITS), { maxLength: 12 }).map((us) => us.join(''))
    // Pairs that share a prefix reach the digit-run rules most often.
    const pair = fc.oneof(fc.tuple(key, key), fc.tuple(key, key, key).map(([p, a, b]) => [p + a, p + b] as [string, string]))
    fc.assert(fc.property(pair, ([a, b]) => compareKeys(a, b) === reference(a, b) && compareKeys(b, a) === reference(b, a)), { numRuns: 20_000 })
  })
})

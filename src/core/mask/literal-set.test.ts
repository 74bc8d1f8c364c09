import fc from 'fast-check'
import { LiteralSet, WINDOW } from './literal-set.js'
import { Redactor } from './redactor.js'
import { MASK } from './markers.js'

// Few letters, so that values share windows and texts hold them by chance too; a surrogate
// pair and a lone surrogate, so that code units, not characters, are what is compared.
const letter = fc.constantFrom('a', 'b', 'p', '8', '-', 'é', '\u{1F600}', '\uD800', '"', '\\', '\n')
const text = (max: number) => fc.array(letter, { maxLength: max }).map((a) => a.join(''))
const value = text(12).filter((v) => v.length >= WINDOW)

/** Secret values the way the benchmark fleet's secretGenerators write them: one prefix per hundred apps. */
const tokens = (n: number): string[] => Array.from({ length: n }, (_, i) => `app${800 + (i % 100)}-c${1 + Math.floor(i / 100)}-token`)

describe('LiteralSet', () => {
  it('says a text holds a value exactly when one occurs in it', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), text(40), fc.nat(), fc.nat(), (values, t, pick, at) => {
        const set = new LiteralSet(values)
        // Half the texts get one of the values put inside them.
        const v = values.length > 0 && pick % 2 === 0 ? values[pick % values.length]! : ''
        const s = t.slice(0, at % (t.length + 1)) + v + t.slice(at % (t.length + 1))
        expect(set.occursIn(s)).toBe(values.some((x) => s.includes(x)))
      }),
      { numRuns: 3000 },
    )
  })

  it('finds values that share their first windows with a hundred others, and not their names alone', () => {
    const values = tokens(300)
    const set = new LiteralSet(values)
    for (const v of values) {
      expect(set.occursIn(v)).toBe(true)
      expect(set.occursIn(`url://user:${v}@db:5432`)).toBe(true)
    }
    expect(set.occursIn('app874-c3-settings')).toBe(false)
    expect(set.occursIn('app874-c4-token')).toBe(false)
    expect(set.occursIn('app874-c3-toke')).toBe(false)
  })

  it('holds nothing when empty, and refuses a value too short to be found', () => {
    expect(new LiteralSet([]).occursIn('anything at all')).toBe(false)
    expect(() => new LiteralSet(['abc'])).toThrow(RangeError)
  })
})

describe('Redactor with many values', () => {
  // What the Redactor did before it had a LiteralSet: every value tried on every string.
  const byEachValue = (values: string[], s: string): string => {
    let out = s
    for (const v of [...new Set(values)].sort((a, b) => b.length - a.length)) if (out.includes(v)) out = out.replaceAll(v, MASK)
    return out
  }

  it('masks what trying each value in turn masks, on strings and keys', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 20 }), fc.array(text(30), { maxLength: 6 }), (values, strings) => {
        const r = new Redactor(values)
        // Every value is four code units or more: each is masked wherever it occurs.
        for (const s of strings) expect(r.text(s)).toBe(byEachValue(values, s))
        const obj = Object.fromEntries(strings.map((s, i) => [`${s}#${i}`, s]))
        const masked = r.json(obj) as Record<string, string>
        expect(Object.entries(masked)).toEqual(Object.entries(obj).map(([k, s]) => [byEachValue(values, k), byEachValue(values, s)]))
      }),
      { numRuns: 2000 },
    )
  })

  it('masks a value among three hundred that share prefixes', () => {
    const r = new Redactor(tokens(300))
    expect(r.text('token=app874-c3-token;name=app874')).toBe(`token=${MASK};name=app874`)
    expect(r.json({ env: [{ name: 'TOKEN', value: 'app899-c3-token' }, { name: 'APP', value: 'app899-c3' }] })).toEqual({ env: [{ name: 'TOKEN', value: MASK }, { name: 'APP', value: 'app899-c3' }] })
  })
})

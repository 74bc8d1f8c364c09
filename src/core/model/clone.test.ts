import fc from 'fast-check'
import type { JsonValue } from './object.js'
import { cloneJson } from './clone.js'

describe('cloneJson', () => {
  it('copies any JSON value: equal, key order kept, nothing shared', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const c = cloneJson(v as JsonValue)
        expect(JSON.stringify(c)).toBe(JSON.stringify(v))
        expect(c).toEqual(v)
        if (v !== null && typeof v === 'object') expect(c).not.toBe(v)
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps -0, NaN and the infinities, and `__proto__` an own key', () => {
    const v = JSON.parse('{"__proto__": {"polluted": "yes"}, "n": [0, 1]}') as { [k: string]: JsonValue }
    v['z'] = -0
    v['odd'] = [Number.NaN, Infinity, -Infinity]
    const c = cloneJson(v as JsonValue) as { [k: string]: JsonValue }
    expect(Object.keys(c)).toEqual(['__proto__', 'n', 'z', 'odd'])
    expect(Object.getPrototypeOf(c)).toBe(Object.prototype)
    expect(Object.is(c['z'], -0)).toBe(true)
    expect(c['odd']).toEqual([Number.NaN, Infinity, -Infinity])
    ;(c['n'] as number[]).push(2)
    expect(v['n']).toEqual([0, 1])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})

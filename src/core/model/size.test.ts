import { approximateBytes } from './size.js'

describe('approximateBytes (a cache bound, not a measurement)', () => {
  it('counts characters, scalars, entries and byte arrays of a parsed document', () => {
    // 16 (object) + 16 + 2·4 ('kind') + 2·9 ('ConfigMap') + 16 + 2·4 ('data') + 16 (object) + 16 + 2 ('a') + 8 (number)
    expect(approximateBytes({ kind: 'ConfigMap', data: { a: 1 } })).toBe(16 + 16 + 8 + 18 + 16 + 8 + 16 + 16 + 2 + 8)
    expect(approximateBytes([new Uint8Array(100), null, true])).toBe(16 + 100 + 8)
  })

  it('counts a __proto__ key as an ordinary entry, and a Map or class instance by its own fields only', () => {
    const parsed = JSON.parse('{"__proto__": {"x": "yy"}}') as object
    expect(approximateBytes(parsed)).toBe(16 + 16 + 18 + 16 + 16 + 2 + 4)
    class Tree {
      readonly files = new Map([['a.yaml', new Uint8Array(1_000_000)]])
    }
    expect(approximateBytes({ tree: new Tree() })).toBeLessThan(200)
  })

  it('ends on a value that refers to itself, with an estimate past any cache', () => {
    const loop: { self?: unknown; list: unknown[] } = { list: [] }
    loop.self = loop
    loop.list.push(loop)
    expect(approximateBytes(loop)).toBeGreaterThan(2 ** 40)
  })
})

import fc from 'fast-check'
import type { JsonValue } from '../model/object.js'
import { emitDocument } from '../yaml/index.js'
import { textShape } from './text-bound.js'

/** Strings the emitter quotes, escapes, folds or writes as block scalars. */
const tricky = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom('', 'yes', '${x}', 'a $b', 'two\nlines\n', '\u0007\u0085\u2028\ufeff', 'word '.repeat(60), `${'x'.repeat(100)} ${'y'.repeat(100)}`, '\ud800', '😀'.repeat(30)),
)
const value: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'medium', withCrossShrink: true }, tricky, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 5 }), fc.dictionary(tricky, tie('v'), { maxKeys: 5 })),
})).v as fc.Arbitrary<JsonValue>

describe('textShape', () => {
  it('bounds the length of the text the emitter writes, and sees every `$`', () => {
    fc.assert(
      fc.property(fc.dictionary(tricky, value, { minKeys: 1, maxKeys: 6 }), (v) => {
        const shape = textShape(v)
        const text = emitDocument(v)
        if (shape === undefined) return
        expect(shape.bound).toBeGreaterThanOrEqual(text.length)
        expect(shape.dollar).toBe(text.includes('$'))
      }),
      { numRuns: 3000, seed: 20261206 },
    )
  })

  it('bounds deeply nested and long-lined values, and gives up past its depth', () => {
    let deep: JsonValue = 'leaf with a long line '.repeat(20)
    for (let i = 0; i < 50; i++) deep = i % 2 ? [deep, 'x'] : { k: deep, '$key': 1 }
    const shape = textShape(deep)!
    expect(shape.bound).toBeGreaterThanOrEqual(emitDocument(deep).length)
    expect(shape.dollar).toBe(true)
    expect(textShape({ a: deep, b: [[[deep]]] })).toBeUndefined()
  })
})

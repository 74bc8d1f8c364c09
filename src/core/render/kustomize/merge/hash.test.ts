import { createHash } from 'node:crypto'
import type { KubeObject } from '../../../model/object.js'
import { goJson, nameHash } from './hash.js'
import { sha256Hex } from './sha256.js'
import { GENERATED } from './__fixtures__/generated-hashes.js'

describe('nameHash', () => {
  it.each(GENERATED)('%s', (_name, obj, suffix) => {
    expect(nameHash(obj)).toBe(suffix)
  })

  it('ignores the name, as kustomize v5.5.0 does', () => {
    const a: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } }
    expect(nameHash(a)).toBe(nameHash({ ...a, metadata: { name: 'b' } }))
  })
})

describe('goJson', () => {
  it.each([
    ['HTML characters', '<a>&', '"\\u003ca\\u003e\\u0026"'],
    ['line separators', '\u2028\u2029', '"\\u2028\\u2029"'],
    ['control characters', '\u0001\b\f\n\r\t', '"\\u0001\\b\\f\\n\\r\\t"'],
    ['quotes and backslashes', '"\\', '"\\"\\\\"'],
    ['non-ASCII stays literal', 'ü🎉', '"ü🎉"'],
    ['lone surrogates become U+FFFD', '\ud800x', '"\ufffdx"'],
  ])('%s', (_name, input, out) => {
    expect(goJson(input)).toBe(out)
  })

  it('sorts keys by code point, like Go', () => {
    expect(goJson({ b: 1, B: 2, 'é': 3, a: { z: null, y: [true] } })).toBe('{"B":2,"a":{"y":[true],"z":null},"b":1,"é":3}')
  })
})

describe('sha256Hex', () => {
  const inputs = ['', 'abc', 'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 'x'.repeat(55), 'y'.repeat(64), 'ü🎉'.repeat(300)]
  it.each(inputs.map((s) => [s.length, s] as const))('matches node:crypto for %i characters', (_n, s) => {
    expect(sha256Hex(new TextEncoder().encode(s))).toBe(createHash('sha256').update(s, 'utf8').digest('hex'))
  })
})

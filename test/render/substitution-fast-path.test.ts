/**
 * postBuild substitution skips reading the object back when its text has no `$` (most objects
 * use no variable). What it returns must be exactly what the full path (envsubst, then the
 * YAML 1.1 read-back, S-3) returns: same values, same key order, byte for byte as JSON. Random
 * objects made of the strings, keys and numbers YAML gets wrong most often are checked both ways.
 */
import fc from 'fast-check'
import type { JsonValue, KubeObject } from '../../src/core/model/object.js'
import { envsubst, substituteObject } from '../../src/core/substitute/index.js'
import { recordPhases } from '../../src/core/timings/phases.js'
import { emitDocument, readYaml11 } from '../../src/core/yaml/index.js'

/** Strings YAML 1.1 reads as something else, or that need quoting, folding or escapes. */
const TRICKY = [
  'yes', 'No', 'on', 'OFF', 'y', 'n', '~', 'null', 'Null', '', ' ', 'true', 'False', '<<', '=', '-', '?', ':',
  '1_000', '0x1F', '0o17', '017', '0b101', '+1', '-1', '1e3', '1.5', '.5', '1.', '1:20', '190:20:30', '2001-12-14', '2001-12-14t21:59:43.10-05:00',
  '.inf', '-.Inf', '.nan', '100m', '1Gi', 'nginx:1.25', 'a: b', 'a #b', '#x', '- x', '[x]', '{x}', '&a', '*a', '!tag', '|', '>', '%x', '@x', '`x`',
  "it's", 'say "hi"', 'back\\slash', ' lead', 'trail ', 'tab\there', 'two\nlines', 'ends\n', '\nstarts', 'crlf\r\n', 'nel\u0085x', 'ls\u2028x',
  'bom\ufeffx', '\ufeffstart', 'ctl\u0007x', 'del\u007fx', 'émoji 😀', 'a'.repeat(90), `${'word '.repeat(25)}end`, '---', '...', '--- x', 'x ---',
]

const text = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 6 }))
const key = fc.oneof(fc.constantFrom(...TRICKY.filter((k) => !k.includes('$'))), fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'a10', 'a9', '_x', 'A'))
const number = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 1.5, 1e21, 1e-7, 2 ** 53 + 2, -(2 ** 60), 0.1, 123456789.5))
const value: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, text, number, fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v as fc.Arbitrary<JsonValue>

const kube = (data: JsonValue): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'apps' }, data } as unknown as KubeObject)

/** The full path, by hand (readBackWith, below), with `cluster=c1` in strict mode. */
const readBack = (o: KubeObject): string => readBackWith(o, { cluster: 'c1' }, true)

describe('postBuild substitution of an object without a variable', () => {
  it('returns what reading its text back returns, for random objects of tricky strings, keys and numbers', () => {
    fc.assert(
      fc.property(value, (data) => {
        const o = kube(data)
        fc.pre(!emitDocument(o as unknown as JsonValue).includes('$'))
        const r = substituteObject(o, { cluster: 'c1' }, { strict: true })
        expect(r.ok ? JSON.stringify(r.object) : `error ${r.error}`).toBe(readBack(o))
      }),
      { numRuns: 3000, seed: 20261206 },
    )
  })

  it('reads the text back only for an object whose variables are not all in simple values', () => {
    const parses = (o: KubeObject): number => {
      const rec = recordPhases(() => 0)
      substituteObject(o, { cluster: 'c1' }, { strict: true })
      return rec.stop().find((p) => p.phase === 'yaml: parse')?.calls ?? 0
    }
    expect(parses(kube({ region: 'eu', replicas: 3 }))).toBe(0)
    // A simple value is read alone, once per result text.
    expect(parses(kube({ region: 'eu-${cluster}', replicas: 3 }))).toBeLessThanOrEqual(1)
    expect(parses(kube({ region: 'eu-${cluster}', zone: 'eu-${cluster}', replicas: 4 }))).toBe(0)
    // Defaults and case changes are simple too: `${cluster:=unknown}` is how fleets write them.
    expect(parses(kube({ at: '${cluster:=unknown}', up: '${cluster^^}.${missing:-eu}', replicas: 5 }))).toBeLessThanOrEqual(2)
    expect(parses(kube({ at: '${cluster:=unknown}', up: '${cluster^^}.${missing:-eu}', replicas: 6 }))).toBe(0)
    // A value the trip could change, a variable in a sentence or in a key: the whole text.
    expect(parses(kube({ ratio: 0.5 }))).toBe(1)
    expect(parses(kube({ note: 'runs on ${cluster}' }))).toBe(1)
    expect(parses(kube({ '${cluster}': 'x' }))).toBe(1)
  })

  it('keeps `__proto__` an ordinary key and never touches the prototype', () => {
    const o = kube(JSON.parse('{"__proto__": {"polluted": "yes"}, "b": 1}') as JsonValue)
    const r = substituteObject(o, { cluster: 'c1' }, { strict: true })
    expect(r.ok && JSON.stringify(r.object)).toBe(readBack(o))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('hands out a copy: changing the result leaves the input as it was', () => {
    const o = kube({ list: ['a'], nested: { k: 'v' } })
    const r = substituteObject(o, { cluster: 'c1' }, { strict: true })
    if (!r.ok) throw new Error(r.error)
    ;(r.object as unknown as { data: { list: string[] } }).data.list.push('b')
    expect(o).toEqual(kube({ list: ['a'], nested: { k: 'v' } }))
  })
})

/** Values a variable may hold: the tricky strings, and the short ones fleets use. */
const VALUES = [...TRICKY.filter((t) => !t.includes('$')), 'c1', 'prod', 'eu-west-1', '3', '010', '1e3', 'true', 'no', '', '-', '-x', 'x-', ':x', 'x:', 'a:b', '@x', 'x@y', ',x', 'x,', '+1', '=x', './x', '/x', 'x/', '_x', '0.5', '1_0', '2001-12-14', 'a'.repeat(300)]
const NAMES = ['cluster', 'region', 'replicas', 'empty', 'tier', '_x']
// Never empty: without variables Flux leaves an object as it is (S-5).
const vars = fc.dictionary(fc.constantFrom(...NAMES), fc.constantFrom(...VALUES), { minKeys: 1, maxKeys: 5 })
/** Strings made of literal pieces and `${…}` expressions, simple and not. */
const withVariables = fc
  .array(fc.oneof(fc.constantFrom('app-', 'x', '.', '/', '-', '_', '1', 'a b', ':', '"', "'", '#', '$', '$$', '{', '}', '\n'), fc.constantFrom(...NAMES, 'missing').map((n) => `\${${n}}`), fc.constantFrom('${cluster:=dev}', '${region:-eu}', '${cluster^^}', '${replicas:0:1}', '${', '${cluster', '${missing:=a.b-c}', '${missing:-x/y}', '${missing=1}', '${empty:=}', '${cluster:+set}', '${missing:?gone}', '${missing?}', '${empty-z}', '${cluster,,}', '${region^}', '${missing:=a:b}', '${missing:=a b}', '${missing:=${cluster}}', '${cluster:=}}')), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(''))
const tree: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, withVariables, withVariables, text, number, fc.boolean(), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
})).v as fc.Arbitrary<JsonValue>

/** The full path, by hand: emit, envsubst, read back with YAML 1.1 rules. */
function readBackWith(o: KubeObject, values: Record<string, string>, strict: boolean): string {
  const sub = envsubst(emitDocument(o as unknown as JsonValue), values, { strict })
  if (!sub.ok) return `error ${sub.error}`
  const r = readYaml11(sub.text)
  return r.ok ? JSON.stringify(r.value) : `error ${r.error}`
}

describe('postBuild substitution of an object whose variables sit in simple values', () => {
  it('returns what substituting its text and reading it back returns, for random objects, values and modes', () => {
    fc.assert(
      fc.property(tree, vars, fc.boolean(), (data, values, strict) => {
        const o = kube(data)
        const r = substituteObject(o, values, { strict })
        const full = readBackWith(o, values, strict)
        if (r.ok) expect(JSON.stringify(r.object)).toBe(full)
        else expect(full.startsWith('error') || !full.includes('"metadata"')).toBe(true)
      }),
      { numRuns: 4000, seed: 20261206 },
    )
  })

  it('puts what an expression makes of a Secret variable among the secret values, as the full path does', () => {
    const o = kube({ a: 'x-${token}', b: ['${token}', 'y'] })
    const derived = new Set<string>()
    const r = substituteObject(o, { token: 's3cr3t' }, { strict: true, secrets: { names: new Set(['token']), derived } })
    expect(r.ok && JSON.stringify(r.object)).toBe(readBackWith(o, { token: 's3cr3t' }, true))
    expect([...derived]).toEqual(['s3cr3t'])
  })
})

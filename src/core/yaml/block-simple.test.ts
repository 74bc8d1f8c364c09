/**
 * The block reader must give exactly what the `yaml` package path gives (values, key order,
 * numbers down to -0 and NaN, document and entry lines), for kyaml's and YAML 1.2's plain
 * resolution alike, or give up. Random values are printed in the styles fleets are written
 * in, then mutated (comments, blank lines, `---`, indentation, stray indicators), and every
 * YAML file of the real fleets in ../shared and of a generated fleet is read both ways.
 */
import fc from 'fast-check'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { generateFleet } from '../../../test/support/fleet-generator.js'
import type { JsonValue } from '../model/object.js'
import { readBlockYaml, type BlockDocument } from './block-simple.js'
import { emitDocument } from './emit.js'
import { parseWithPackage as kyamlPackage, resolvePlain } from './kyaml.js'
import { parseWithPackage as yaml12Package, resolveCore12 } from './yaml12.js'

/** A value as text that tells -0, NaN and the infinities apart, keys in their order. */
function show(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'number' ? `#${Object.is(x, -0) ? '-0' : String(x)}` : x instanceof Map ? [...x] : x))
}

/** Both kyaml paths; undefined where the block reader gives up. Throws when they disagree. */
function kyamlBoth(text: string, opts: { uniqueKeys?: boolean } = {}): BlockDocument[] | undefined {
  const fast = readBlockYaml(text, resolvePlain, true)
  if (fast === undefined) return undefined
  let reference: string
  try {
    reference = show(kyamlPackage(text, { ...opts, marshalRoundTrip: false }))
  } catch (e) {
    reference = `error ${(e as Error).message}`
  }
  expect(show(fast)).toBe(reference)
  return fast
}

function yaml12Both(text: string): unknown[] | undefined {
  const fast = readBlockYaml(text, resolveCore12, false)
  if (fast === undefined) return undefined
  const reference = yaml12Package(text)
  expect(show(fast.map((d) => ({ value: d.value, line: d.line })))).toBe(reference.errors.length > 0 ? `errors ${reference.errors.map((e) => e.message).join('; ')}` : show(reference.docs))
  return fast
}

const TRICKY = [
  'yes', 'No', 'on', 'y', '~', 'null', 'NULL', '', ' ', 'true', 'False', '<<', '=', '-', '?', ':', '1_000', '0x1F', '0o17', '017', '0b101', '+1', '-1',
  '-0', '1e3', '1.5', '1.50', '.5', '1.', '1:20', '2001-12-14', '.inf', '-.Inf', '.nan', '100m', 'nginx:1.25', 'a: b', 'a #b', 'a#b', '#x', '- x', '-x', '--flag=1',
  '[x]', '[]', '{}', '&a', '*a', '!tag', '|', '>', '%x', '@x', "it's", 'say "hi"', 'back\\slash', ' lead', 'trail ', 'two\nlines', 'nbsp\u00a0', '\u00a0x',
  'émoji 😀', 'a'.repeat(90), '---', '...', 'x ---', 'http://a:8080/x', '${var:=x}', '9007199254740993', '1e400', '0x', '-.5', '+.inf',
]
const str = fc.oneof(fc.constantFrom(...TRICKY), fc.stringMatching(/^[a-z0-9._/-]{0,10}$/), fc.string({ maxLength: 8 }))
const key = fc.oneof(fc.constantFrom('apiVersion', 'kind', 'metadata', 'name', 'resources', 'patches', '__proto__', 'a.b/c', '1', 'true', 'null', '<<', 'a b', 'k:', "it's", '"q"', 'x #y', '-k'), fc.stringMatching(/^[a-z][a-z0-9.-]{0,6}$/))
const num = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 1.5, 1e21, 0.1, 2 ** 53 + 2))
const value: fc.Arbitrary<JsonValue> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, str, num, fc.boolean(), fc.constant(null), fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 5 })),
})).v as fc.Arbitrary<JsonValue>
const top = fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }) as fc.Arbitrary<JsonValue>

/** A value as text, in one of the styles fleets are written in. */
const printed = fc.tuple(top, fc.nat(5)).map(([v, style]) => {
  if (style === 0) return emitDocument(v)
  const opts = [{}, { indentSeq: false }, { indent: 4 }, { defaultStringType: 'QUOTE_SINGLE' as const }, { defaultStringType: 'QUOTE_DOUBLE' as const, defaultKeyType: 'PLAIN' as const }][style - 1]
  return stringify(v, { ...opts, lineWidth: 0 })
})

const PIECES = ['# note', ' # note', '', '---', '...', ' ', '  ', '-', '- ', ':', ': ', '#', '"', "'", '[', ']', '{}', '&a ', '*a', '!x ', '|', '>', '\t', '\r', '? ', '%YAML 1.2', 'k: v', '- k: v', '  - x', 'x', ' - x', ' -', ' -1', ' ?x', ' ? x', ' :x', ' : x', '- # c', '- # c\n  k: v', '-\n  - y', 'k: - x', 'k: ? x', 'k: :x', 'p: |\n  a\n   b\n\n  # c', 'p: |-\n    x', ' |', ' |-', ' |+', ' |2', '- |\n  z', 'f: [a, "b c", \'d\', -1, ~]', ' [x]', ' [a, b', 'f: [a,, b]', 'f: [a: b]', '    ', '   #x']
/** Random edits of a text's lines: insertions, line comments, indentation changes, stray characters. */
const mutated = fc.tuple(printed, fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...PIECES)), { maxLength: 3 })).map(([text, edits]) => {
  const lines = text.split('\n')
  for (const [at, how, piece] of edits) {
    const i = at % lines.length
    if (how === 0) lines.splice(i, 0, piece)
    else if (how === 1) lines[i] = lines[i] + piece
    else if (how === 2) lines[i] = ' ' + lines[i]
    else lines[i] = lines[i]!.slice(1)
  }
  return lines.join('\n')
})

describe('readBlockYaml', () => {
  it('reads printed values as the package does, for kyaml and YAML 1.2, and reads most of them', () => {
    let read = 0
    let runs = 0
    fc.assert(
      fc.property(printed, (text) => {
        runs++
        if (kyamlBoth(text)) read++
        yaml12Both(text)
      }),
      { numRuns: 3000, seed: 20261206 },
    )
    // Not vacuous: the plain styles are read without the package.
    expect(read / runs).toBeGreaterThan(0.3)
  })

  it('gives the same answer as the package, or none, for mutated texts and several documents', () => {
    fc.assert(
      fc.property(fc.array(mutated, { minLength: 1, maxLength: 3 }), fc.boolean(), (texts, leading) => {
        const text = (leading ? '---\n' : '') + texts.join('\n---\n')
        kyamlBoth(text)
        kyamlBoth(text, { uniqueKeys: false })
        yaml12Both(text)
      }),
      { numRuns: 4000, seed: 20261207 },
    )
  })

  it('keeps lines: where each document starts and where each entry of a top-level list does', () => {
    const text = '# header\n---\n# about\napiVersion: v1\nresources:\n- a.yaml\n-   b.yaml\n- name: c\n  path: d\npatches: []\n---\nkind: X\n'
    const docs = kyamlBoth(text)!
    expect(docs.map((d) => d.line)).toEqual([4, 12])
    expect([...docs[0]!.entryLines!]).toEqual([['resources', [6, 7, 8]], ['patches', []]])
    expect(docs[0]!.value).toEqual({ apiVersion: 'v1', resources: ['a.yaml', 'b.yaml', { name: 'c', path: 'd' }], patches: [] })
  })

  it('reads literal block scalars and flow sequences of scalars, the forms of inline patches and container args', () => {
    const text = 'patches:\n- target:\n    kind: X\n  patch: |-\n    - op: add\n\n      # kept\n      value: 1\n# a comment\nargs: ["--port=8080", \'-v\', 3]\nnote: |\n  x\n\n'
    const docs = kyamlBoth(text)!
    expect(docs[0]!.value).toEqual({ patches: [{ target: { kind: 'X' }, patch: '- op: add\n\n  # kept\n  value: 1' }], args: ['--port=8080', '-v', 3], note: 'x\n' })
    expect(docs[0]!.entryLines!.get('args')).toEqual([10, 10, 10])
    expect(yaml12Both(text)).toBeDefined()
    // Blank lines with more spaces than the content keep them; leading ones are the package's.
    for (const edge of ['a: |\n   \n    x\n', 'a: |\n  x\n    \n  y\n', 'a: |\n  x\n    \nb: 1\n', 'a: |\n\n  x\n', 'a: |\n   \n  x\n', 'a: |\n  x\n  \n   \n', '- |\n x\n-  |-\n   y\n']) {
      kyamlBoth(edge)
      yaml12Both(edge)
    }
  })

  it('keeps `__proto__` an ordinary key', () => {
    const docs = kyamlBoth('__proto__:\n  polluted: yes\nb: 1\n')!
    expect(Object.keys(docs[0]!.value as object)).toEqual(['__proto__', 'b'])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('leaves to the package what it does not read: anchors, block scalars, flows, repeated keys, empty documents', () => {
    for (const text of ['a: &x 1\nb: *x\n', 'a: >\n  x\n', 'a: |+\n  x\n', 'a: |\n  x', 'a: [1, [2]]\n', 'a: [1, 2,]\n', 'a: {b: 1}\n', 'a: 1\na: 2\n', 'a: 1\n---\n', 'a: b\n  c\n', '- \n- x\n', 'a: "x\\ty"\n', 'a:\tb\n', '1: x\n', '<<: {}\n']) {
      expect(readBlockYaml(text, resolvePlain, true)).toBeUndefined()
    }
  })

  it('reads the YAML files of real fleets and of a generated fleet as the package does', () => {
    const files: [string, string][] = Object.entries(generateFleet({ clusters: 2, apps: 30 })).filter(([p]) => /\.ya?ml$/.test(p))
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name)
        if (statSync(p).isDirectory()) walk(p)
        else if (/\.ya?ml$/.test(name)) files.push([p, readFileSync(p, 'utf8')])
      }
    }
    for (const corpus of ['examples', 'examples-pending']) walk(join(process.cwd(), '../shared', corpus))
    let read = 0
    for (const [, text] of files) {
      if (kyamlBoth(text)) read++
      yaml12Both(text)
    }
    expect(files.length).toBeGreaterThan(300)
    expect(read / files.length).toBeGreaterThan(0.6)
  })
})

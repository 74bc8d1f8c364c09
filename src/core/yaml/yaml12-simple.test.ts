/**
 * printSimpleYaml12 prints what the `yaml` library prints with `lineWidth: 0`, byte for byte,
 * or declines (undefined) and the library prints the value. Random values are made of the
 * pieces the rules turn on: indicators, `: ` and ` #`, quotes, spaces at either end, and the
 * words and numbers the core schema reads as null, booleans, integers and floats.
 */
import fc from 'fast-check'
import { stringify } from 'yaml'
import { printSimpleYaml12 } from './yaml12-simple.js'
import { stringifyYaml12 } from './yaml12.js'

const PIECES = [
  'a', 'b', 'Z', '0', '1', '9', '.', '-', '+', 'e', 'E', 'x', 'o', ':', ' ', '#', '?', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>',
  "'", '"', '%', '@', '`', '~', '_', '/', '=', '<<', 'null', 'Null', 'NULL', 'true', 'False', 'yes', '0x1F', '0o17', '017', '1e3', '.inf',
  '-.Inf', '.NaN', '---', '...', '\\', '\t', '\n', 'é', '😀', '\u0085', '\u007f',
]
const text = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
  { weight: 1, arbitrary: fc.constantFrom('nginx:1.25', 'app.kubernetes.io/name', 'http://example.com:8080/x', 'a'.repeat(1100), '') },
)
const number = fc.oneof(fc.integer(), fc.constantFrom(0, -0, 1.5, 1e21, 2 ** 53 + 2, -7))
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(text, tie('v'), { maxKeys: 4 }),
  ),
})).v

const OPTION_SETS = [{ lineWidth: 0 }, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false }] as const

describe('printing simple values as YAML 1.2', () => {
  it('prints random values exactly as the yaml library does, or leaves them to it', () => {
    let printed = 0
    let runs = 0
    fc.assert(
      fc.property(value, (v) => {
        runs++
        const simple = printSimpleYaml12(v)
        for (const opts of OPTION_SETS) {
          const library = stringify(v, { ...opts })
          if (simple !== undefined) expect(simple).toBe(library)
          expect(stringifyYaml12(v, { ...opts })).toBe(library)
        }
        if (simple !== undefined) printed++
      }),
      { numRuns: 20000 },
    )
    // Not a test that passes by declining everything.
    expect(printed).toBeGreaterThan(runs / 3)
  })

  it('prints a rendered Deployment itself, as the library does', () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps', labels: { 'app.kubernetes.io/name': 'web', tier: '1' }, annotations: { 'prometheus.io/scrape': 'true', note: '"hi" first', plain: 'say "hi"', empty: '' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [{ name: 'web', image: 'nginx:1.25', args: ['--port', '8080', '- x'], ports: [{ containerPort: 8080, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'off' }, { name: 'N', value: '010' }], resources: {} }],
            tolerations: [],
            nodeSelector: null,
            matrix: [[1, 2], [], [{ a: 'b' }]],
          },
        },
      },
    }
    const simple = printSimpleYaml12(deployment)
    expect(simple).toBeDefined()
    expect(simple).toBe(stringify(deployment, { lineWidth: 0 }))
    expect(simple).toContain(`note: '"hi" first'\n    plain: say "hi"\n    empty: ""\n`)
    expect(simple).toContain('        - - 1\n          - 2\n        - []\n        - - a: b\n')
  })

  it('prints multi-line strings as literal block scalars, as the library does', () => {
    const v = { data: { 'patch.yaml': '- op: add\n  path: /x\n\n# note\n', script: 'set -e\necho "hi" \\\n  done' }, list: ['a\nb', ['c\n']] }
    const simple = printSimpleYaml12(v)
    expect(simple).toBe(stringify(v, { lineWidth: 0 }))
    expect(simple).toContain('patch.yaml: |\n    - op: add\n      path: /x\n\n    # note\n')
  })

  it('prints every short string of letters, spaces and line breaks as the library does, or leaves it', () => {
    // Where a block scalar ends decides its chomping indicator, or quotes: small enough to try all.
    let strings = ['']
    const all: string[] = []
    for (let n = 1; n <= 6; n++) {
      strings = strings.flatMap((s) => ['a', ' ', '\n'].map((c) => s + c))
      all.push(...strings)
    }
    let printed = 0
    for (const s of all) {
      for (const v of [{ k: s }, [[s]]]) {
        const simple = printSimpleYaml12(v)
        if (simple === undefined) continue
        printed++
        expect({ v, simple }).toEqual({ v, simple: stringify(v, { lineWidth: 0 }) })
      }
    }
    expect(printed).toBeGreaterThan(all.length / 4)
    expect(printSimpleYaml12({ s: 'a\n b ' })).toBe(stringify({ s: 'a\n b ' }, { lineWidth: 0 }))
  })

  it('prints a string with a long run of blanks inside (hostile input: the end is found in one pass)', () => {
    const v = { s: `a\n${' '.repeat(300_000)}b\n` }
    expect(printSimpleYaml12(v)).toBe(stringify(v, { lineWidth: 0 }))
  })

  it('leaves to the library what it would not print by the simple rules', () => {
    const shared = { a: 'b' }
    for (const v of [{ x: shared, y: shared }, { s: ' two\nlines' }, { s: '\ntwo' }, { s: 'two\n\n' }, { s: 'a\n ' }, [['a\n ']], { s: 'a\n \n' }, { s: 'a \n \n' }, { s: 'tab\there\nx' }, { s: ['é\nx'] }, { f: 1.5 }, { z: -0 }, { u: 'é' }, { d: '--- x' }, { b: 'back\\slash' }, { k: { ['k'.repeat(1100)]: 1 } }, { both: `"it's" x` }, new Map([['a', 1]])]) {
      expect(printSimpleYaml12(v)).toBeUndefined()
    }
    // The library writes a shared object as an anchor and an alias, and stringifyYaml12 keeps that.
    expect(stringifyYaml12({ x: shared, y: shared }, { lineWidth: 0 })).toBe('x: &a1\n  a: b\ny: *a1\n')
  })
})

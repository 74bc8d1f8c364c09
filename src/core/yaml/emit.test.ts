import { emitDocument, formatNumber } from './emit.js'
import { compareKeys } from './key-order.js'
import { parseYamlDocuments, resolvePlain } from './kyaml.js'

describe('kustomize YAML printing', () => {
  it('sorts keys naturally and quotes YAML 1.1 specials like go-yaml v2', () => {
    const text = emitDocument({ b: 'y', a: 'yes', '10': 'on', '9': '1:20', c: '010', d: 'plain text' })
    expect(text).toBe('"9": "1:20"\n"10": "on"\na: "yes"\nb: "y"\nc: "010"\nd: plain text\n')
    expect(['_x', 'A', '-', 'a10', 'a9'].sort(compareKeys)).toEqual(['-', '_x', 'A', 'a9', 'a10'])
  })

  it('writes sequences flush with their key and literal blocks for multi-line text', () => {
    const text = emitDocument({ spec: { args: ['--a', '--b'], script: 'echo 1\necho 2\n', note: 'no newline\nat end' } })
    expect(text).toBe('spec:\n  args:\n  - --a\n  - --b\n  note: |-\n    no newline\n    at end\n  script: |\n    echo 1\n    echo 2\n')
  })

  it('single-quotes indicator characters and double-quotes non-printables', () => {
    expect(emitDocument({ a: '*x', b: 'a: b', c: 'tab\there', d: '', e: ' lead' })).toBe("a: '*x'\nb: 'a: b'\nc: \"tab\\there\"\nd: \"\"\ne: ' lead'\n")
  })

  it('folds long plain scalars past column 80', () => {
    const long = Array.from({ length: 12 }, () => 'word1234').join(' ')
    const out = emitDocument({ k: long })
    expect(out.split('\n')[1]).toMatch(/^ {2}word1234/)
  })

  it('prints numbers after the JSON round trip', () => {
    expect(formatNumber(2.5)).toBe('2.5')
    expect(formatNumber(1000)).toBe('1000')
    expect(formatNumber(1234567.5)).toBe('1.2345675e+06')
    expect(formatNumber(0.00001)).toBe('1e-05')
  })

  it('reads plain scalars the way go-yaml v3 does', () => {
    expect(resolvePlain('010')).toBe(8)
    expect(resolvePlain('0x1F')).toBe(31)
    expect(resolvePlain('yes')).toBe('yes')
    expect(resolvePlain('1_000')).toBe(1000)
    expect(resolvePlain('2001-12-14')).toBe('2001-12-14')
    expect(parseYamlDocuments('a: &x {b: 1}\nc: *x\n')).toEqual([{ a: { b: 1 }, c: { b: 1 } }])
    expect(() => parseYamlDocuments('a: 1\na: 2\n')).toThrow('mapping key "a" already defined')
  })
})

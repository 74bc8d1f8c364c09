import { foldedRoundTrip } from './go-folded.js'
import { parseYamlDocuments, parseYaml12, parseYaml12Documents, readYaml11, YamlError } from './index.js'

function yamlError(fn: () => unknown): YamlError {
  try {
    fn()
  } catch (e) {
    if (e instanceof YamlError) return e
    throw e
  }
  throw new Error('no YamlError thrown')
}

describe('keys that name Object.prototype members', () => {
  const text = '__proto__:\n  protected-clusters: "off"\nconstructor: c\nprototype: p\n'

  it.each([
    ['kyaml', () => parseYamlDocuments(text)[0]],
    ['yaml11', () => { const r = readYaml11(text); return r.ok ? r.value : undefined }],
    ['yaml12', () => parseYaml12(text)],
  ])('%s keeps them as ordinary keys and pollutes nothing', (_name, read) => {
    const v = read() as Record<string, unknown>
    expect(Object.keys(v)).toEqual(['__proto__', 'constructor', 'prototype'])
    expect(Object.getPrototypeOf(v)).toBe(Object.prototype)
    expect(JSON.stringify(v)).toBe('{"__proto__":{"protected-clusters":"off"},"constructor":"c","prototype":"p"}')
    expect(({} as Record<string, unknown>)['protected-clusters']).toBeUndefined()
  })

  it('keeps a merged __proto__ key as a key too', () => {
    const v = parseYamlDocuments('base: &b\n  __proto__: x\nm:\n  <<: *b\n  y: 1\n')[0] as Record<string, Record<string, unknown>>
    expect(Object.keys(v['m'] as object)).toEqual(['y', '__proto__'])
    expect(Object.hasOwn(v['m'] as object, '__proto__')).toBe(true)
  })
})

describe('budgets', () => {
  // A 700 KB anchored string used 9,000 times: 6 GB once expanded.
  const big = `a: &s "${'x'.repeat(700_000)}"\nl:\n${'- *s\n'.repeat(9_000)}`

  it.each([
    ['kyaml', () => parseYamlDocuments(big)],
    ['yaml12', () => parseYaml12(big)],
  ])('%s refuses alias expansion past the budget at the alias line', (_name, read) => {
    const e = yamlError(read)
    expect(e.code).toBe('yaml/alias-expansion')
    // 16 MiB / 700 KB: the 24th alias crosses it, on line 2 + 24.
    expect(e.line).toBe(26)
  })

  it('reports the expansion budget from the YAML 1.1 reader without source text', () => {
    expect(readYaml11(big)).toEqual({ ok: false, error: 'YAMLToJSON: yaml/alias-expansion at line 26' })
  })

  it('counts nested aliases by what they expand to', () => {
    const laughs = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(10).fill(`*${'abcdefg'[i]}`).join(', ')}]`)].join('\n')
    expect(yamlError(() => parseYamlDocuments(laughs)).code).toBe('yaml/alias-expansion')
  })

  it('refuses an alias inside its own anchor', () => {
    expect(yamlError(() => parseYamlDocuments('a: &a [1, *a]\n')).message).toContain('contains itself')
  })

  it.each([
    ['flow', '['.repeat(100_000) + ']'.repeat(100_000), 1],
    ['compact sequences', 'k: v\n' + '- '.repeat(50_000) + 'x\n', 2],
    ['indentation', Array.from({ length: 400 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' x\n', 201],
  ])('refuses %s nested past the depth budget with a line, without crashing', (_name, text, line) => {
    const e = yamlError(() => parseYamlDocuments(text))
    expect(e.code).toBe('yaml/too-deep')
    expect(e.line).toBe(line)
    expect(parseYaml12Documents(text).errors[0]?.code).toBe('yaml/too-deep')
  })

  it('reads nesting within the budget, block scalars with deep indentation included', () => {
    const deep = Array.from({ length: 100 }, (_, i) => ' '.repeat(i) + 'a:').join('\n') + ' x\n'
    expect(parseYamlDocuments(deep)).toHaveLength(1)
    const script = 'k: |\n' + Array.from({ length: 300 }, (_, i) => '  ' + ' '.repeat(i) + 'line').join('\n') + '\n'
    expect(typeof (parseYamlDocuments(script)[0] as Record<string, unknown>)['k']).toBe('string')
  })

  it('locates a syntax error', () => {
    const e = yamlError(() => parseYamlDocuments('a: 1\nb: [\n'))
    expect(e.code).toBe('yaml/syntax')
    expect(e.line).toBeGreaterThanOrEqual(2)
  })
})

describe('block scalars at the end of a text without a final line break', () => {
  it.each([
    ['|', 'a\nb', 'a\nb\n'],
    ['|-', 'a\nb', 'a\nb'],
    ['|+', 'a\nb', 'a\nb\n'],
    ['>', 'a b', 'a b\n'],
    ['>-', 'a b', 'a b'],
    ['>+', 'a b', 'a b\n'],
  ])('%s gives %j (with a final line break: %j)', (indicator, without, withBreak) => {
    const text = `k: ${indicator}\n  a\n  b`
    for (const read of [(t: string) => parseYamlDocuments(t)[0], (t: string) => parseYaml12(t), (t: string) => (readYaml11(t) as { value: unknown }).value]) {
      expect(read(text)).toEqual({ k: without })
      expect(read(text + '\n')).toEqual({ k: withBreak })
    }
  })
})

describe('folded scalars through kyaml MarshalJSON (go-yaml v3 emitter)', () => {
  it.each([
    ['more-indented lines get an empty line before them', 'line one\n  indented more\nback again\n', 'line one\n\n  indented more\nback again\n'],
    ['normal lines are unchanged', 'a\nb\n\nc\n', 'a\nb\n\nc\n'],
    ['a value starting with a blank joins its normal lines', '  x\na\nb\n', '  x\na b\n'],
    ['a kept value ending in a normal line gains a line break', 'a\n\n', 'a\n\n\n'],
    ['a space before a line break is written double-quoted', 'a \n  b\n', 'a \n  b\n'],
  ])('%s', (_name, value, expected) => {
    expect(foldedRoundTrip(value)).toBe(expected)
  })

  it('applies to resources, not to text kustomize decodes with sigs.k8s.io/yaml', () => {
    const text = 'k: >-\n  a\n    b\n'
    expect(parseYamlDocuments(text)).toEqual([{ k: 'a\n\n  b' }])
    expect(parseYamlDocuments(text, { marshalRoundTrip: false })).toEqual([{ k: 'a\n  b' }])
  })
})

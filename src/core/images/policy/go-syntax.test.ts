import { goExpand } from './go-expand.js'
import { goParseFloat } from './go-parse-float.js'
import { compileRe2 as compileGoRegexp, type Re2 } from '../../regex/index.js'

function re(pattern: string): Re2 {
  const r = compileGoRegexp(pattern)
  if (!r.ok) throw new Error(r.error)
  return r.re
}

describe('compileGoRegexp', () => {
  it.each<[string, string, boolean]>([
    ['^(?P<v>[0-9]+)$', '42', true],
    ['^[]a]+$', ']a]', true],
    ['^a{,2}$', 'a{,2}', true],
    ['^\\s$', '\u00a0', false],
    ['^\\s$', '\t', true],
    ['^[[:alpha:]]+$', 'abc', true],
    ['^[[:digit:]-]+$', '1-2', true],
    ['(?i)^main$', 'MAIN', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['^\\x41$', 'A', true],
    ['^a\\-b$', 'a-b', true],
    ['^\\pL+$', 'abc', true],
    ['^a\\z', 'a', true],
  ])('%j on %j: %s', (pattern, text, expected) => {
    expect(re(pattern).test(text)).toBe(expected)
  })

  it.each(['(?=a)', '(?!a)', '(?<=a)b', '(?<!a)b', '(a)\\1', '[=', '(a', 'a)', '\\k<x>', 'a{1001}', 'x**', '\\u0041'])('rejects %j like Go', (pattern) => {
    expect(compileGoRegexp(pattern).ok).toBe(false)
  })
})

describe('goExpand', () => {
  const m = re('^(?P<name>[a-z]+)-(\\d+)$').exec('main-42')!

  it.each([
    ['$name', 'main'],
    ['${name}', 'main'],
    ['$2', '42'],
    ['${2}x', '42x'],
    ['$2x', ''],
    ['$$2', '$2'],
    ['$', '$'],
    ['${2', '${2'],
    ['$0', 'main-42'],
    ['$9', ''],
    ['$missing-$1', '-main'],
  ])('%j → %j', (template, expected) => {
    expect(goExpand(template, m)).toBe(expected)
  })
})

describe('goParseFloat', () => {
  it.each<[string, number | undefined]>([
    ['10', 10],
    ['-1.5', -1.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['1.', 1],
    ['Inf', Infinity],
    ['-infinity', -Infinity],
    ['0x1p4', 16],
    ['0x1.8p1', 3],
    ['1_000', undefined],
    ['0x10', undefined],
    ['1e400', undefined],
    ['.', undefined],
    ['latest', undefined],
    ['+nan', undefined],
    [' 1', undefined],
  ])('%j → %s', (text, expected) => {
    expect(goParseFloat(text)).toBe(expected)
  })

  it('reads NaN', () => {
    expect(goParseFloat('NaN')).toBeNaN()
  })
})

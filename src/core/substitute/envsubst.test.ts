import { envsubst, VAR_NOT_SET } from './envsubst.js'
import { PARSE_ERRORS } from './parse.js'

type Row = [template: string, vars: Record<string, string>, expected: string]

describe('envsubst (non-strict)', () => {
  it.each<Row>([
    ['plain text stays', {}, 'plain text stays'],
    ['${#v}', { v: 'abcdEFGH28ij' }, '12'],
    ['${#v}', { v: 'héllo' }, '6'],
    ['${v^}', { v: 'abc' }, 'Abc'],
    // A Go string keeps a byte order mark wherever it is, the first character included.
    ['${v}', { v: '\ufeffstart' }, '\ufeffstart'],
    ['${v:=dev}${missing^}', { v: '\ufeffstart' }, '\ufeffstart'],
    ['${v,}', { v: '\ufeffX' }, '\ufeffX'],
    ['${v^^}', { v: 'abc-ß' }, 'ABC-ß'],
    ['${v,}', { v: 'ABC' }, 'aBC'],
    ['${v,,}', { v: 'ABC' }, 'abc'],
    ['${v,}', { v: '' }, ''],
    ['${p:11}', { p: '/home/bozo/ideas/thoughts.for.today' }, 'ideas/thoughts.for.today'],
    ['${p:11:5}', { p: '/home/bozo/ideas/thoughts.for.today' }, 'ideas'],
    ['${v:9:50}', { v: '123456789123456789' }, '123456789'],
    ['${v:${o}:2}', { v: '123456789123456789', o: '-3' }, '78'],
    ['${v:${o}:3}', { v: '123456789123456789', o: '-300' }, '123'],
    ['${v:9:1}', { v: '12345678' }, ''],
    ['${v: -3}', { v: 'abcdef' }, 'abcdef'],
    ['${v:x}', { v: 'abcdef' }, 'abcdef'],
    ['${v=xyz}', { v: 'abc' }, 'abc'],
    ['${v=xyz}', {}, 'xyz'],
    ['${v=xyz}', { v: '' }, 'xyz'],
    ['${v:-d}', { v: 'set' }, 'set'],
    ['${v:?d}', {}, 'd'],
    ['${v:+d}', { v: '' }, 'd'],
    ['x ${v=${d}}', { d: 'foo' }, 'x foo'],
    ['${v=pre${d}-suf}', { d: 'foo' }, 'prefoo-suf'],
    ['${v=a$$b}', {}, 'a$$b'],
    ['${v=a}b}', {}, 'ab}'],
    ['${s/%abc/XYZ}', { s: 'abcABC123ABCabc' }, 'abcABC123ABCXYZ'],
    ['${s/#abc/XYZ}', { s: 'abcABC123ABCabc' }, 'XYZABC123ABCabc'],
    ['${s//abc/xyz}', { s: 'abcABC123ABCabc' }, 'xyzABC123ABCxyz'],
    ['${s/abc/xyz}', { s: 'abcABC123ABCabc' }, 'xyzABC123ABCabc'],
    ['${s/./}', { s: 'foo.bar' }, 'foobar'],
    ['${s/#foo/}', { s: 'foo.bar' }, 'foo.bar'],
    ['${s/\\//-}', { s: 'foo/bar' }, 'foo-bar'],
    ['${s//\\//-}', { s: 'foo/bar/baz' }, 'foo-bar-baz'],
    ['${s//$$/-}', { s: 'a$b$c' }, 'a-b-c'],
    ['${f#*.}', { f: 'bash.string.txt' }, 'string.txt'],
    ['${f#*/}', { f: '/path/to/file' }, 'path/to/file'],
    ['${f##*.}', { f: 'bash.string.txt' }, 'txt'],
    ['${f##*/}', { f: 'path/to/file' }, 'file'],
    ['${f%.*}', { f: 'bash.string.txt' }, 'bash.string'],
    ['${f%%.*}', { f: 'bash.string.txt' }, 'bash'],
    ['${f#a?c}', { f: 'a/cdef' }, 'def'],
    ['${v=${w^^}}', { w: 'abc' }, 'ABC'],
    ['$${v}', { v: 'x' }, '${v}'],
    ['pa$$word $$HOME $HOME $1 $', {}, 'pa$word $HOME $HOME $1 $'],
    ['t ${v}$${v$${v}$v${v}', { v: 'X' }, 't X${v${v}$vX'],
    ['\\\\x ${v=${d}}', { d: 'foo' }, '\\\\x foo'],
    ['${missing}', {}, ''],
    ['a\u0000${x}', { x: 'y' }, 'a'],
    ['${v}', { v: 'a${w}' }, 'a${w}'],
  ])('%j with %j → %j', (template, vars, expected) => {
    const result = envsubst(template, vars, { strict: false })

    expect(result).toEqual({ ok: true, text: expected })
  })
})

describe('envsubst (strict)', () => {
  it.each<Row>([
    ['${foo}', { foo: 'bar' }, 'bar'],
    ['${foo}', { foo: '' }, ''],
    ['${missing:=default}', {}, 'default'],
    ['${missing:-fallback}', {}, 'fallback'],
    ['${missing=assigned}', {}, 'assigned'],
  ])('%j with %j → %j', (template, vars, expected) => {
    expect(envsubst(template, vars, { strict: true })).toEqual({ ok: true, text: expected })
  })

  it.each([
    '${missing}',
    '${#missing}',
    '${missing^^}',
    '${missing,}',
    '${missing:0:10}',
    '${missing//a/b}',
    '${missing/%a/b}',
    '${missing%%x}',
    '${a:=${missing}}',
  ])('%j fails when the variable is missing', (template) => {
    const result = envsubst(template, { a: 'set' }, { strict: true })

    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toContain(VAR_NOT_SET)
  })
})

describe('envsubst syntax errors', () => {
  it.each([
    ['${{ github.sha }}', PARSE_ERRORS.variableName],
    ['${ v}', PARSE_ERRORS.variableName],
    ['${}', PARSE_ERRORS.variableName],
    ['${app.name}', PARSE_ERRORS.missingClosingBrace],
    ['${v-d}', PARSE_ERRORS.missingClosingBrace],
    ['${v', PARSE_ERRORS.missingClosingBrace],
    ['${v:=abc', PARSE_ERRORS.funcSubstitution],
    ['${#}', PARSE_ERRORS.badSubstitution],
    ['${v:1${x}}', PARSE_ERRORS.badSubstitution],
    ['${v:é}', PARSE_ERRORS.badSubstitution],
  ])('%j fails with %j', (template, error) => {
    expect(envsubst(template, {}, { strict: false })).toEqual({ ok: false, error })
  })
})

describe('envsubst with values only the cluster has', () => {
  const unknown = (n: string): boolean => n === 'DOMAIN' || n === 'TOKEN'
  it.each([
    ['host: web.${DOMAIN}', { a: '1' }, 'host: web.${DOMAIN}', ['${DOMAIN}']],
    ['${DOMAIN:=example.com} and ${a}', { a: '1' }, '${DOMAIN:=example.com} and 1', ['${DOMAIN:=example.com}']],
    ['${a:-${TOKEN}}', { a: '1' }, '${a:-${TOKEN}}', ['${a:-${TOKEN}}']],
    ['${#TOKEN}/${TOKEN^^}', {}, '${#TOKEN}/${TOKEN^^}', ['${#TOKEN}', '${TOKEN^^}']],
    ['cost: $${DOMAIN} ${a}', { a: '1' }, 'cost: ${DOMAIN} 1', undefined],
  ])('%j keeps each expression that reads one as written', (template, vars, text, placeholders) => {
    expect(envsubst(template, vars, { strict: true, unknown })).toEqual({ ok: true, text, ...(placeholders ? { placeholders } : {}) })
  })

  it('still fails on a variable no source can define, even next to a placeholder (S-9, S-11)', () => {
    const result = envsubst('${DOMAIN:-${TYPO}}', {}, { strict: true, unknown })
    expect(result).toEqual({ ok: false, error: `${VAR_NOT_SET}: "TYPO"` })
  })
})

describe('envsubst: what expressions make of secret variables', () => {
  it('collects every non-empty result of an expression over a secret variable, and nothing else', () => {
    const derived = new Set<string>()
    const r = envsubst('${S^^} ${S:0:4} ${S/x/} ${P} ${X:-${S,,}} ${S:99}', { S: 'aBxC', P: 'plain', X: '' }, { strict: true, secrets: { names: new Set(['S']), derived } })
    expect(r).toEqual({ ok: true, text: 'ABXC aBxC aBC plain abxc ' })
    expect([...derived].sort()).toEqual(['ABXC', 'aBC', 'aBxC', 'abxc'])
  })
})

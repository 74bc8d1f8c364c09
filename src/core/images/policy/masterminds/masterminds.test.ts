import { checkConstraints, parseConstraints } from './constraints.js'
import { compareVersions, newVersion, parseFluxVersion } from './version.js'

function v(text: string) {
  const r = newVersion(text)
  if (!r.ok) throw new Error(`${text}: ${r.error}`)
  return r.version
}

describe('newVersion (coerce mode)', () => {
  it.each([
    ['1.2.3', '1.2.3', ''],
    ['v1.2', '1.2.0', ''],
    ['01.02.03-rc.1+b', '1.2.3', 'rc.1'],
    ['2025.02.03', '2025.2.3', ''],
  ])('%s', (text, core, pre) => {
    const ver = v(text)

    expect(`${ver.major}.${ver.minor}.${ver.patch}`).toBe(core)
    expect(ver.pre).toBe(pre)
    expect(ver.original).toBe(text)
  })

  it.each(['', 'latest', '1.2.3.4', 'V1.2.3', '1.0.0-01', '1.0.0-', '1.0.0+', '18446744073709551616.0.0'])('rejects %j', (text) => {
    expect(newVersion(text).ok).toBe(false)
  })

  it.each([
    ['1.2', undefined],
    ['v3', undefined],
    ['1.0-rc.1', '1.0.0'],
    ['1.2.3', '1.2.3'],
  ])('parseFluxVersion(%j) needs two dots', (text, core) => {
    const ver = parseFluxVersion(text)

    expect(ver ? `${ver.major}.${ver.minor}.${ver.patch}` : undefined).toBe(core)
  })
})

describe('compareVersions', () => {
  it.each([
    ['1.0.0', '1.0.0+build', 0],
    ['v1.0.0', '1.0.0', 0],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0-beta.11', 1],
    ['1.10.0', '1.9.0', 1],
  ])('%s vs %s', (a, b, expected) => {
    expect(compareVersions(v(a), v(b))).toBe(expected)
  })
})

describe('constraints', () => {
  it.each<[string, string, boolean]>([
    ['*', '1.2.3', true],
    ['*', '1.2.3-alpha', false],
    ['>=1.0.0', '1.1.0-rc.1', false],
    ['>=1.0.0-0', '1.1.0-rc.1', true],
    ['>=1.0.0-0 <2.0.0', '2.0.0-rc.1', true],
    ['>=1.0.0-0 <2.0.0 || >=3.0.0', '3.1.0-rc.1', false],
    ['^1.2.3', '1.9.0', true],
    ['^1.2.3', '2.0.0', false],
    ['^0.2.3', '0.3.0', false],
    ['^0.0.3', '0.0.4', false],
    ['~1.2.3', '1.2.9', true],
    ['~1.2.3', '1.3.0', false],
    ['~1', '1.9.0', true],
    ['1.x', '1.5.0', true],
    ['1.x', '2.0.0', false],
    ['1.2 - 1.4.5', '1.4.5', true],
    ['1.2 - 1.4.5', '1.4.6', false],
    ['>= 1.2.3, < 2.0', '1.9.9', true],
    ['!=4.1', '4.1.1', false],
    ['>1.x', '2.0.0', true],
    ['<=1.2.x', '1.2.99', true],
    ['=2.0', '2.0.1', true],
  ])('%j admits %s: %s', (range, version, expected) => {
    const c = parseConstraints(range)

    expect(c.ok && checkConstraints(c.constraints, v(version))).toBe(expected)
  })

  it.each([
    ['', 'improper constraint: ""'],
    ['a', 'improper constraint: "a"'],
    ['*-*', 'improper constraint: "*-*"'],
    ['1x', 'constraint parser error'],
    ['x1', 'constraint parser error'],
    ['12.3.34~ 1.2.3', 'improper constraint: "12.3.34~ 1.2.3"'],
  ])('rejects %j', (range, error) => {
    expect(parseConstraints(range)).toEqual({ ok: false, error })
  })
})

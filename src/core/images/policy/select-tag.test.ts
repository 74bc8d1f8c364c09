import { parseImagePolicy, type PolicySpec } from './spec.js'
import { applyExclusionList, compareTags, selectTag } from './select-tag.js'

function spec(policy: PolicySpec['policy'], filterTags?: PolicySpec['filterTags']): PolicySpec {
  return { imageRepositoryRef: { name: 'app' }, policy, ...(filterTags ? { filterTags } : {}) }
}

type Row = [name: string, spec: PolicySpec, tags: string[], expected: string]

describe('selectTag: semver', () => {
  it.each<Row>([
    ['highest in range', spec({ semver: { range: '>=1.0.0' } }), ['1.0.0', '1.2.0', '0.9.0', 'latest'], '1.2.0'],
    ['prerelease excluded without a prerelease comparator', spec({ semver: { range: '>=1.0.0' } }), ['1.0.0', '1.1.0-rc.1'], '1.0.0'],
    ['prerelease admitted by -0', spec({ semver: { range: '>=1.0.0-0' } }), ['1.0.0', '1.1.0-rc.1'], '1.1.0-rc.1'],
    ['prerelease below the upper bound', spec({ semver: { range: '>=1.0.0-0 <2.0.0' } }), ['1.5.0', '2.0.0-rc.1', '2.0.0'], '2.0.0-rc.1'],
    ['two dots required', spec({ semver: { range: '*' } }), ['1.2', 'v3', '1.0.0'], '1.0.0'],
    ['v prefix and leading zeros', spec({ semver: { range: '>=2025.1.1' } }), ['v2025.02.03', '2025.01.30'], 'v2025.02.03'],
    ['tie: v1.0.0 is first in stored order', spec({ semver: { range: '1.0.0' } }), ['1.0.0', 'v1.0.0'], 'v1.0.0'],
    ['tie: build metadata, first in stored order', spec({ semver: { range: '1.0.x' } }), ['1.0.0+a', '1.0.0+b'], '1.0.0+b'],
    ['caret on 0.0.x', spec({ semver: { range: '^0.0.3' } }), ['0.0.3', '0.0.4', '0.1.0'], '0.0.3'],
    ['tilde', spec({ semver: { range: '~1.2' } }), ['1.2.9', '1.3.0'], '1.2.9'],
    ['hyphen range', spec({ semver: { range: '1.2 - 1.4.5' } }), ['1.4.5', '1.4.6', '1.1.0'], '1.4.5'],
    ['or', spec({ semver: { range: '<1.0.0 || >=3.0.0' } }), ['0.9.0', '2.0.0'], '0.9.0'],
  ])('%s', (_name, s, tags, expected) => {
    expect(selectTag(s, tags)).toEqual({ ok: true, tag: expected })
  })
})

describe('selectTag: alphabetical and numerical', () => {
  it.each<Row>([
    ['alphabetical asc picks the greatest', spec({ alphabetical: {} }), ['RELEASE.2024-01-02', 'RELEASE.2024-01-10'], 'RELEASE.2024-01-10'],
    ['alphabetical desc picks the smallest', spec({ alphabetical: { order: 'desc' } }), ['bionic', 'focal', 'artful'], 'artful'],
    ['alphabetical is byte order', spec({ alphabetical: { order: 'asc' } }), ['Zeta', 'alpha'], 'alpha'],
    ['numerical asc', spec({ numerical: {} }), ['9', '10', '1e1', '2.5'], '10'],
    ['numerical desc', spec({ numerical: { order: 'DESC' } }), ['9', '10', '-1'], '-1'],
    ['numerical tie: later in stored order wins', spec({ numerical: {} }), ['10', '1e1', '10.0'], '10'],
    ['numerical hex float', spec({ numerical: {} }), ['0x1p4', '15'], '0x1p4'],
  ])('%s', (_name, s, tags, expected) => {
    expect(selectTag(s, tags)).toEqual({ ok: true, tag: expected })
  })
})

describe('selectTag: filterTags', () => {
  it.each<Row>([
    ['extract a named group', spec({ numerical: {} }, { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)$', extract: '$ts' }), ['main-abc-100', 'main-def-99', 'dev-1-200'], 'main-abc-100'],
    ['unanchored', spec({ alphabetical: {} }, { pattern: 'rc', extract: '' }), ['1-rc', 'zzz', 'rc-2'], 'rc-2'],
    ['$1x is the group named 1x (empty)', spec({ alphabetical: {} }, { pattern: '^v(\\d+)$', extract: '${1}x' }), ['v1', 'v2'], 'v2'],
    ['duplicate key keeps the later tag', spec({ alphabetical: {} }, { pattern: '^(\\d+)-.*$', extract: '$1' }), ['1-b', '1-a'], '1-a'],
    ['extract semver from a prefix', spec({ semver: { range: '>=1.0.0' } }, { pattern: '^app-(?P<v>.*)$', extract: '$v' }), ['app-1.0.0', 'app-1.10.0', 'web-9.9.9'], 'app-1.10.0'],
  ])('%s', (_name, s, tags, expected) => {
    expect(selectTag(s, tags)).toEqual({ ok: true, tag: expected })
  })

  it('reports a tie that Flux would resolve at random', () => {
    const s = spec({ semver: { range: '*' } }, { pattern: '^(.*)-build\\d$', extract: '$1' })

    expect(selectTag(s, ['1.0.0-build1', 'v1.0.0-build2'])).toEqual({ ok: true, tag: 'v1.0.0-build2', tieBroken: true })
  })
})

describe('selectTag: errors', () => {
  it.each<[string, PolicySpec, string[], string]>([
    ['no kind', spec({}), ['1.0.0'], 'invalid policy: given ImagePolicyChoice object is invalid'],
    ['empty list', spec({ semver: { range: '*' } }), [], 'no tags in database'],
    ['bad order', spec({ alphabetical: { order: 'up' } }), ['a'], "invalid policy: invalid order argument provided: 'UP', must be one of: ASC, DESC"],
    ['improper range', spec({ semver: { range: 'a' } }), ['1.0.0'], 'invalid policy: improper constraint: "a"'],
    ['empty range', spec({ semver: { range: '' } }), ['1.0.0'], 'invalid policy: improper constraint: ""'],
    ['unparsable range version', spec({ semver: { range: '1x' } }), ['1.0.0'], 'invalid policy: constraint parser error'],
    ['no match', spec({ semver: { range: '>=2.0.0' } }), ['1.0.0', 'latest'], 'unable to determine latest version from provided list'],
    ['non-numeric', spec({ numerical: {} }), ['1', 'latest'], "failed to parse invalid numeric value 'latest'"],
    ['numeric with _ separators', spec({ numerical: {} }), ['1_000'], "failed to parse invalid numeric value '1_000'"],
    ['filter keeps nothing', spec({ alphabetical: {} }, { pattern: '^x', extract: '' }), ['a'], 'version list argument cannot be empty'],
  ])('%s', (_name, s, tags, error) => {
    expect(selectTag(s, tags)).toEqual({ ok: false, error })
  })

  it.each(['^(?!dev-).*', '[=', '(a', 'a\\1', '(?<=x)y'])('rejects the non-RE2 pattern %j', (pattern) => {
    const result = selectTag(spec({ alphabetical: {} }, { pattern, extract: '' }), ['a'])

    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toContain(`failed to filter tags: invalid regular expression pattern '${pattern}'`)
  })
})

describe('compareTags', () => {
  it.each<[string, PolicySpec, string, string, number | undefined]>([
    ['semver newer', spec({ semver: { range: '>=9.0.0' } }), '1.10.0', '1.9.0', 1],
    ['semver equal', spec({ semver: { range: '*' } }), 'v1.0.0', '1.0.0+x', 0],
    ['semver unparsable', spec({ semver: { range: '*' } }), 'latest', '1.0.0', undefined],
    ['alphabetical desc', spec({ alphabetical: { order: 'desc' } }), 'a', 'b', 1],
    ['numerical', spec({ numerical: {} }), '9', '10', -1],
    ['filtered out', spec({ numerical: {} }, { pattern: '^b-(\\d+)$', extract: '$1' }), 'a-1', 'b-2', undefined],
    ['extracted keys', spec({ numerical: {} }, { pattern: '^b-(\\d+)$', extract: '$1' }), 'b-10', 'b-9', 1],
  ])('%s', (_name, s, a, b, expected) => {
    expect(compareTags(s, a, b)).toBe(expected)
  })
})

describe('applyExclusionList', () => {
  it.each<[string, string[], string[] | undefined, string[]]>([
    ['default drops .sig, stored order is descending bytes', ['a', 'sha256-x.sig', 'B', 'c'], undefined, ['c', 'a', 'B']],
    ['a user list replaces the default', ['a.sig', 'dev-1', 'v1'], ['^dev-'], ['v1', 'a.sig']],
    ['an invalid pattern stores nothing', ['a'], ['(?!x)'], []],
  ])('%s', (_name, tags, list, expected) => {
    expect(applyExclusionList(tags, list)).toEqual(expected)
  })
})

describe('parseImagePolicy', () => {
  it('reads a v1 ImagePolicy', () => {
    const obj = {
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImagePolicy',
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '1.x' } }, filterTags: { pattern: '.*' } },
    }

    expect(parseImagePolicy(obj)).toEqual({
      ok: true,
      spec: { imageRepositoryRef: { name: 'web' }, policy: { semver: { range: '1.x' } }, filterTags: { pattern: '.*', extract: '' } },
    })
  })

  it.each([
    ['not an object', 'x'],
    ['another kind', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }],
    ['no repository ref', { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'x' }, spec: { policy: {} } }],
  ])('rejects %s', (_name, obj) => {
    expect(parseImagePolicy(obj).ok).toBe(false)
  })
})

import { globToRegExp } from '../gate/inspect.js'
import { selectTag } from '../images/policy/select-tag.js'
import { globMatch } from '../load/glob.js'
import { buildKustomization } from '../render/kustomize/index.js'
import { MemoryTree } from '../tree/memory-tree.js'
import { compileRe2 } from './index.js'

// Patterns that backtrack exponentially in a backtracking engine (V8's RegExp takes
// seconds to years on these inputs); with RE2 they are linear. The tests assert results:
// speed is measured in `npm run bench`, never in a test.
const evil = 'a'.repeat(28) + '!'

describe('compileRe2', () => {
  it('matches catastrophic patterns', () => {
    const c = compileRe2('^(a+)+$')
    expect(c.ok && c.re.test(evil)).toBe(false)
    expect(c.ok && c.re.test('a'.repeat(40))).toBe(true)
    const nested = compileRe2('(x+x+)+y')
    expect(nested.ok && nested.re.test('x'.repeat(5000))).toBe(false)
  })

  it("reports Go's syntax errors", () => {
    expect(compileRe2('(?=a)')).toEqual({ ok: false, error: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`' })
    expect(compileRe2('a{1001}')).toEqual({ ok: false, error: 'error parsing regexp: invalid repeat count: `{1001}`' })
  })

  it('gives named groups for ExpandString', () => {
    const c = compileRe2('^(?P<ver>[0-9]+)-(?P<sha>[a-f]+)$')
    const m = c.ok ? c.re.exec('12-abc') : null
    expect(m?.groups).toEqual({ ver: '12', sha: 'abc' })
    expect(m?.[2]).toBe('abc')
  })
})

describe('regexes from a repository run with RE2', () => {
  it('kustomize patch target selectors', () => {
    const tree = MemoryTree.fromRecord({
      'app/kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- target:\n    name: "(a+)+"\n  patch: |-\n    - op: add\n      path: /data/hit\n      value: "yes"\n',
      'app/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${evil}\ndata:\n  a: b\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aaaa\ndata:\n  a: b\n`,
    })
    const r = buildKustomization(tree, 'app')
    expect(r.diagnostics).toEqual([])
    expect(r.objects.map((o) => [o.metadata.name, (o['data'] as Record<string, string> | undefined)?.['hit']])).toEqual([
      ['aaaa', 'yes'],
      [evil, undefined],
    ])
  })

  it('an invalid selector is a located error with Go wording', () => {
    const tree = MemoryTree.fromRecord({
      'app/kustomization.yaml': 'resources:\n- cm.yaml\npatches:\n- target:\n    name: "(?=x)"\n  patch: "[]"\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    })
    const r = buildKustomization(tree, 'app')
    expect(r.diagnostics[0]).toMatchObject({ code: 'kustomize/invalid-selector', location: { file: 'app/kustomization.yaml' } })
    expect(r.diagnostics[0]?.message).toContain('invalid or unsupported Perl syntax')
  })

  it('ImagePolicy filterTags', () => {
    const spec = { policy: { alphabetical: { order: 'asc' } }, filterTags: { pattern: '^(a+)+$', extract: '' } }
    expect(selectTag(spec as never, [evil, 'aaa', 'aa'])).toEqual({ ok: true, tag: 'aaa' })
  })

  it('path globs', () => {
    const glob = 'a*'.repeat(20) + 'b'
    expect(globToRegExp(glob).test('a'.repeat(60))).toBe(false)
    expect(globToRegExp(glob).test('a'.repeat(30) + 'b')).toBe(true)
    expect(globMatch(glob, 'a'.repeat(60))).toBe(false)
    expect(globMatch(glob, 'a'.repeat(20) + 'b')).toBe(true)
  })
})

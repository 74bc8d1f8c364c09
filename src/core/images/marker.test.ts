import { markerFromSetter, parseMarker, splitImage, valueFor } from './marker.js'
import { matchesSelector } from './label-selector.js'
import { readsAsPlainString } from '../yaml/index.js'

describe('parseMarker (I-13)', () => {
  it.each([
    ['# {"$imagepolicy": "flux-system:web"}', 'flux-system:web', 'image'],
    ['#{"$imagepolicy":"flux-system:web:tag"}', 'flux-system:web', 'tag'],
    ['### {"$imagepolicy": "apps:api:name"}', 'apps:api', 'name'],
    ['# {"$imagepolicy": "apps:api:digest", "other": "x"}', 'apps:api', 'digest'],
  ])('%s', (comment, key, field) => {
    expect(parseMarker(comment)).toMatchObject({ key, field })
  })

  it.each([
    ['text after the object', '# {"$imagepolicy": "flux-system:web"} # old'],
    ['a non-string value', '# {"$imagepolicy": "flux-system:web", "n": 1}'],
    ['no namespace', '# {"$imagepolicy": "web"}'],
    ['an unknown suffix', '# {"$imagepolicy": "flux-system:web:version"}'],
    ['the old setter form', '# {"$ref": "#/definitions/io.k8s.cli.setters.web"}'],
    ['invalid JSON', "# {'$imagepolicy': 'flux-system:web'}"],
    ['not an object', '# ["$imagepolicy"]'],
  ])('is not a marker: %s', (_why, comment) => {
    expect(parseMarker(comment)).toBeUndefined()
  })

  it('keeps the setter text for commit templates', () => {
    expect(markerFromSetter('flux-system:web:tag')?.setter).toBe('flux-system:web:tag')
  })
})

describe('valueFor (I-15)', () => {
  const ref = { name: 'ghcr.io/org/web', tag: '1.2.3' }
  const pinned = { ...ref, digest: 'sha256:abc' }
  it.each([
    ['image', ref, 'ghcr.io/org/web:1.2.3'],
    ['image', pinned, 'ghcr.io/org/web:1.2.3@sha256:abc'],
    ['tag', pinned, '1.2.3'],
    ['name', pinned, 'ghcr.io/org/web'],
    ['digest', pinned, 'sha256:abc'],
    ['digest', ref, ''],
  ] as const)('%s of %o', (field, r, expected) => {
    expect(valueFor(field, r)).toBe(expected)
  })
})

describe('splitImage', () => {
  it.each([
    ['ghcr.io/org/web:1.2.3', { name: 'ghcr.io/org/web', tag: '1.2.3' }],
    ['localhost:5000/web:1.0@sha256:x', { name: 'localhost:5000/web', tag: '1.0', digest: 'sha256:x' }],
    ['localhost:5000/web', { name: 'localhost:5000/web' }],
  ])('%s', (v, expected) => {
    expect(splitImage(v)).toEqual(expected)
  })
})

describe('readsAsPlainString (I-16)', () => {
  it.each([
    ['1.2.3', true],
    ['v1', true],
    ['ghcr.io/org/web:1.2.3', true],
    ['1.10', false],
    ['20231201', false],
    ['yes', false],
    ['on', false],
    ['0755', false],
    ['1e3', false],
    ['null', false],
    ['', false],
    ['a: b', false],
    ['#x', false],
  ])('%p → %p', (v, plain) => {
    expect(readsAsPlainString(v)).toBe(plain)
  })
})

describe('matchesSelector (I-14 policySelector)', () => {
  const labels = { team: 'web', tier: 'front' }
  it.each([
    [undefined, true],
    [{}, true],
    [{ matchLabels: { team: 'web' } }, true],
    [{ matchLabels: { team: 'api' } }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'env', operator: 'Gt', values: ['1'] }] }, false],
  ])('%j → %p', (selector, expected) => {
    expect(matchesSelector(selector, labels)).toBe(expected)
  })
})

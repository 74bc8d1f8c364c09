import fc from 'fast-check'
import { imageMatches } from './images.js'

/** kustomize's IsImageMatched, as its Go source writes it: a pattern per call. */
function reference(image: string, name: string): boolean {
  const quoted = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp('^' + quoted + '(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$').test(image)
}

const PIECES = ['nginx', 'registry.example.com', ':', '/', '@', '@sha256', ':1.25', '.', '*', '+', '{', '}', '-', '_', 'a', '5000', '$', '(', ')', '|', '\\', '?', '^', '[', ']', '@sha256:abc', ' ']
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 5 }).map((p) => p.join(''))

describe('imageMatches', () => {
  it('matches as kustomize does: the name, then an optional @sha256 and an optional tag', () => {
    fc.assert(
      fc.property(text, text, fc.boolean(), (name, tail, prefixed) => {
        const image = prefixed ? name + tail : tail
        expect(imageMatches(image, name)).toBe(reference(image, name))
      }),
      { numRuns: 5000, seed: 20261206 },
    )
    expect(imageMatches('nginx:1.25', 'nginx')).toBe(true)
    expect(imageMatches('nginx@sha256:abc', 'nginx')).toBe(true)
    expect(imageMatches('nginx@sha256:a/b', 'nginx')).toBe(false)
    expect(imageMatches('nginx@sha256', 'nginx')).toBe(true)
    expect(imageMatches('nginx-extra:1', 'nginx')).toBe(false)
    expect(imageMatches('a.b:1', 'a*b')).toBe(false)
  })
})

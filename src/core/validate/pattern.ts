import { compileRe2 } from '../regex/index.js'

/**
 * Whether `value` contains a match of a schema `pattern` (unanchored, as OpenAPI and
 * kube-openapi's validator read it), or undefined when the pattern is not valid RE2: the API
 * server would have refused such a CRD, so nothing can be said about the value. Patterns come
 * from CRDs in pull requests, so they run with RE2 semantics (src/core/regex).
 */
export function patternMatches(pattern: string, value: string): boolean | undefined {
  const re = compileRe2(pattern)
  return re.ok ? re.re.test(value) : undefined
}

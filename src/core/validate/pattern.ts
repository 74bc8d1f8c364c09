import { RE2JS } from 're2js'

/**
 * Schema `pattern`s come from CRDs in pull requests, so they run with RE2 semantics (Go's
 * regexp, as the API server does): linear time, no backreferences or lookaround.
 * Compiled patterns are kept, since one pattern checks many values.
 */
const compiled = new Map<string, RE2JS | null>()

/** At most this many patterns are kept compiled; beyond it the cache starts over. */
const CACHE_LIMIT = 2000

/**
 * Whether `value` contains a match of `pattern` (unanchored, as OpenAPI and kube-openapi's
 * validator read it), or undefined when the pattern is not valid RE2: the API server would
 * have refused such a CRD, so nothing can be said about the value.
 */
export function patternMatches(pattern: string, value: string): boolean | undefined {
  let re = compiled.get(pattern)
  if (re === undefined) {
    if (compiled.size >= CACHE_LIMIT) compiled.clear()
    try {
      re = RE2JS.compile(pattern)
    } catch {
      re = null
    }
    compiled.set(pattern, re)
  }
  return re === null ? undefined : re.test(value)
}

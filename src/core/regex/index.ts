import { RE2JS } from 're2js'

/*
 * Regular expressions written in a repository (patch and replacement selectors,
 * ImagePolicy filterTags, exclusion lists, chart version filters, path globs) run with RE2
 * semantics: Go's regexp syntax, as Flux and kustomize compile them, and matching in time
 * linear in the input, so `(a+)+` cannot stall a review. re2js is a port of Go's regexp;
 * its syntax errors carry Go's wording ("error parsing regexp: ...").
 */

/** A compiled RE2 expression. */
export interface Re2 {
  /** Whether it matches anywhere in `s` (Go's MatchString). */
  test(s: string): boolean
  /** Whether it matches the whole of `s`. */
  testWhole(s: string): boolean
  /** The leftmost match with its groups (`groups` holds the named ones), or null. */
  exec(s: string): RegExpExecArray | null
}

const CACHE = new Map<string, { ok: true; re: Re2 } | { ok: false; error: string }>()

/** Compiles `pattern` as Go's regexp.Compile would; a syntax error comes back as Go's message. */
export function compileRe2(pattern: string): { ok: true; re: Re2 } | { ok: false; error: string } {
  const hit = CACHE.get(pattern)
  if (hit) return hit
  let out: { ok: true; re: Re2 } | { ok: false; error: string }
  try {
    const p = RE2JS.compile(pattern)
    out = {
      ok: true,
      re: {
        test: (s) => p.test(s),
        testWhole: (s) => p.testExact(s),
        exec: (s) => p.exec(s) as RegExpExecArray | null,
      },
    }
  } catch (e) {
    out = { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
  if (CACHE.size >= 1024) CACHE.delete(CACHE.keys().next().value as string)
  CACHE.set(pattern, out)
  return out
}

/** RE2 syntax for `text` matched literally. */
export function quoteRe2(text: string): string {
  return RE2JS.quote(text)
}

import { compileRe2 as compileGoRegexp, type Re2 } from '../../regex/index.js'
import { goExpand } from './go-expand.js'
import { byteCompare, policerFromChoice } from './policers.js'
import type { PolicySpec } from './spec.js'

/** ImageRepository's default `exclusionList`: cosign signature tags (I-2). */
export const DEFAULT_EXCLUSION_LIST: readonly string[] = Object.freeze(['^.*\\.sig$'])

/** Tags in the order an ImageRepository stores them: descending byte order (I-3). */
export function storedOrder(tags: readonly string[]): string[] {
  return [...tags].sort((a, b) => byteCompare(b, a))
}

/**
 * The ImageRepository's stored tag list (I-2, I-3): tags matching any exclusion regex
 * (unanchored Go RE2; a non-empty list replaces the default `^.*\.sig$`) dropped, the rest
 * in stored order. A pattern Go cannot compile fails the scan in Flux, which then stores
 * nothing: the result is [] (use compileExclusionList to get the error).
 */
export function applyExclusionList(tags: string[], exclusionList?: string[]): string[] {
  const compiled = compileExclusionList(exclusionList)
  if (!compiled.ok) return []
  return storedOrder(tags.filter((t) => !compiled.res.some((re) => re.test(t))))
}

/** The exclusion regexes, or Flux's error for the first that does not compile. */
export function compileExclusionList(exclusionList?: string[]): { ok: true; res: Re2[] } | { ok: false; error: string } {
  const patterns = exclusionList && exclusionList.length > 0 ? exclusionList : DEFAULT_EXCLUSION_LIST
  const res: Re2[] = []
  for (const p of patterns) {
    const r = compileGoRegexp(p)
    if (!r.ok) return { ok: false, error: `failed to compile regex ${p}: ${r.error}` }
    res.push(r.re)
  }
  return { ok: true, res }
}

type Filter = { ok: true; apply: (tag: string) => string | undefined } | { ok: false; error: string }

/** `filterTags` as a function from tag to ranking key (undefined: filtered out). */
function tagFilter(spec: PolicySpec): Filter {
  const ft = spec.filterTags
  if (!ft) return { ok: true, apply: (t) => t }
  const compiled = compileGoRegexp(ft.pattern)
  if (!compiled.ok) return { ok: false, error: `failed to filter tags: invalid regular expression pattern '${ft.pattern}': ${compiled.error}` }
  const re = compiled.re
  return {
    ok: true,
    apply(tag) {
      const m = re.exec(tag)
      if (!m) return undefined
      return ft.extract === '' ? tag : goExpand(ft.extract, m)
    },
  }
}

/** Result of selectTag; `tieBroken` is set when Flux's own answer would depend on Go map order. */
export type SelectResult = { ok: true; tag: string; tieBroken?: boolean } | { ok: false; error: string }

/**
 * The tag Flux's ImagePolicy would set as `status.latestRef.tag` (I-4 … I-9), with the
 * controller's error texts, checked in its order: policy, empty list ("no tags in
 * database"), filter pattern, then the policy's own errors.
 *
 * `tags` are the ImageRepository's stored tags (after applyExclusionList), in any order:
 * they are put in stored order first. With `filterTags`, two tags extracting the same key
 * keep the later one in stored order; equal-rank keys are resolved in stored order with
 * the policy's tie rule (semver: first wins, numerical: last wins) and reported as
 * `tieBroken`, because Flux iterates them in random map order.
 */
export function selectTag(spec: PolicySpec, tags: string[]): SelectResult {
  const policer = policerFromChoice(spec.policy)
  if (!policer.ok) return { ok: false, error: `invalid policy: ${policer.error}` }
  if (tags.length === 0) return { ok: false, error: 'no tags in database' }
  const filter = tagFilter(spec)
  if (!filter.ok) return filter
  const byKey = new Map<string, string>()
  for (const tag of storedOrder(tags)) {
    const key = filter.apply(tag)
    if (key === undefined) continue
    // Go map assignment: the later tag wins the key; re-inserting keeps the later position
    byKey.delete(key)
    byKey.set(key, tag)
  }
  const latest = policer.policer.latest([...byKey.keys()])
  if (!latest.ok) return latest
  const tag = byKey.get(latest.value)!
  return spec.filterTags && latest.tie ? { ok: true, tag, tieBroken: true } : { ok: true, tag }
}

/**
 * Compares two tags in the policy's order (after `filterTags.extract` when set): > 0 when
 * `a` would be preferred over `b`, 0 for equal rank, undefined when either cannot be
 * ranked (invalid policy, filtered out, not a version, not a number). Used to refuse
 * proposing a downgrade; the semver range is deliberately not applied.
 */
export function compareTags(spec: PolicySpec, a: string, b: string): number | undefined {
  const policer = policerFromChoice(spec.policy)
  const filter = tagFilter(spec)
  if (!policer.ok || !filter.ok) return undefined
  const ka = filter.apply(a)
  const kb = filter.apply(b)
  if (ka === undefined || kb === undefined) return undefined
  const d = policer.policer.rank(ka, kb)
  return d === undefined ? undefined : Math.sign(d)
}

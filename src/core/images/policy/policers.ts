import { goParseFloat } from './go-parse-float.js'
import { checkConstraints, compareVersions, parseConstraints, parseFluxVersion } from './masterminds/index.js'
import type { PolicyChoice } from './spec.js'

/**
 * One policy kind (style rule 3): how Flux picks the latest of a candidate list, and the
 * order behind it. `rank` compares two candidates in policy order (> 0: `a` is the later
 * choice) or is undefined when one cannot be ranked (unparsable, outside the range).
 */
export interface Policer {
  kind: 'semver' | 'alphabetical' | 'numerical'
  /** Flux's `Latest`: candidates in iteration order; error texts are Flux's. */
  latest(candidates: string[]): { ok: true; value: string; tie: boolean } | { ok: false; error: string }
  rank(a: string, b: string): number | undefined
}

const EMPTY = 'version list argument cannot be empty'

function semverPolicer(range: string): Policer | string {
  const parsed = parseConstraints(range)
  if (!parsed.ok) return parsed.error
  const cs = parsed.constraints
  return {
    kind: 'semver',
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY }
      let best: ReturnType<typeof parseFluxVersion>
      let tie = false
      for (const tag of candidates) {
        const v = parseFluxVersion(tag)
        if (!v || !checkConstraints(cs, v)) continue
        // strictly greater only: of equal versions (1.0.0+a, v1.0.0) the first one wins (I-5)
        const d = best ? compareVersions(v, best) : 1
        if (d > 0) {
          best = v
          tie = false
        } else if (d === 0) tie = true
      }
      if (!best) return { ok: false, error: 'unable to determine latest version from provided list' }
      return { ok: true, value: best.original, tie }
    },
    rank(a, b) {
      const va = parseFluxVersion(a)
      const vb = parseFluxVersion(b)
      return va && vb ? compareVersions(va, vb) : undefined
    },
  }
}

/** Go's sort.Strings order (UTF-8 bytes, which code point order matches). */
export function byteCompare(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!)
  const y = Array.from(b, (c) => c.codePointAt(0)!)
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!
  return x.length - y.length
}

function orderOf(order: string | undefined): 'ASC' | 'DESC' | string {
  const o = (order ?? '').toUpperCase()
  if (o === '' || o === 'ASC') return 'ASC'
  if (o === 'DESC') return 'DESC'
  return `invalid order argument provided: '${o}', must be one of: ASC, DESC`
}

function alphabeticalPolicer(order: 'ASC' | 'DESC'): Policer {
  const sign = order === 'ASC' ? 1 : -1
  return {
    kind: 'alphabetical',
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY }
      const best = candidates.reduce((acc, t) => (sign * byteCompare(t, acc) > 0 ? t : acc))
      return { ok: true, value: best, tie: false }
    },
    rank: (a, b) => sign * byteCompare(a, b),
  }
}

function numericalPolicer(order: 'ASC' | 'DESC'): Policer {
  return {
    kind: 'numerical',
    latest(candidates) {
      if (candidates.length === 0) return { ok: false, error: EMPTY }
      let latest = ''
      let pv = 0
      let tie = false
      for (const [i, tag] of candidates.entries()) {
        const cv = goParseFloat(tag)
        if (cv === undefined) return { ok: false, error: `failed to parse invalid numeric value '${tag}'` }
        // Flux skips only strictly worse values, so of equal values the later one wins (I-8);
        // a NaN compares false both ways and always takes over, as in Go
        if (i > 0 && ((order === 'ASC' && cv < pv) || (order === 'DESC' && cv > pv))) continue
        tie = i > 0 && cv === pv
        latest = tag
        pv = cv
      }
      return { ok: true, value: latest, tie }
    },
    rank(a, b) {
      const x = goParseFloat(a)
      const y = goParseFloat(b)
      if (x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) return undefined
      const d = x === y ? 0 : x > y ? 1 : -1
      return order === 'ASC' ? d : -d
    },
  }
}

/**
 * Flux's `PolicerFromSpec`: the first of semver → alphabetical → numerical that is set;
 * none → "given ImagePolicyChoice object is invalid". Orders are upper-cased first.
 */
export function policerFromChoice(choice: PolicyChoice): { ok: true; policer: Policer } | { ok: false; error: string } {
  if (choice.semver) {
    const p = semverPolicer(choice.semver.range)
    return typeof p === 'string' ? { ok: false, error: p } : { ok: true, policer: p }
  }
  const numerical = choice.alphabetical === undefined ? choice.numerical : undefined
  const set = choice.alphabetical ?? numerical
  if (!set) return { ok: false, error: 'given ImagePolicyChoice object is invalid' }
  const order = orderOf(set.order)
  if (order !== 'ASC' && order !== 'DESC') return { ok: false, error: order }
  return { ok: true, policer: choice.alphabetical ? alphabeticalPolicer(order) : numericalPolicer(order) }
}

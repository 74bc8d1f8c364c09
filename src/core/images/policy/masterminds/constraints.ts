import { comparePrerelease, compareVersions, newVersion, type Version } from './version.js'

/**
 * Masterminds/semver v3 constraints (`NewConstraint` + `Check`) as Flux's semver policy
 * uses them (I-6): `,` or space = AND, `||` = OR, `^ ~ ~> = != > < >= <= => =<`, x/X/*
 * wildcards, hyphen ranges. Prereleases: a version with a prerelease can only satisfy an
 * OR-alternative in which some comparator names a prerelease, and then every comparator
 * of that alternative admits prereleases (Masterminds v3.4+).
 */
export interface Constraints {
  /** OR-alternatives, each an AND-list of comparators. */
  alternatives: Comparator[][]
  /** Per alternative: does some comparator carry a prerelease? */
  containsPre: boolean[]
}

interface Comparator {
  op: string
  /** The version text as written (for messages). */
  orig: string
  con: Version
  dirty: boolean
  minorDirty: boolean
  patchDirty: boolean
}

// RE2's \s is ASCII-only; JS's is not.
const S = '[\\t\\n\\f\\r ]'
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^'
const CV =
  'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?' +
  '(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?' +
  '(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?'
const CONSTRAINT = new RegExp(`^${S}*(${OPS})${S}*(${CV})${S}*$`)
const RANGE = new RegExp(`${S}*(${CV})${S}+-${S}+(${CV})${S}*`, 'g')
const FIND = new RegExp(`(${OPS})${S}*(${CV})`, 'g')
const VALID = new RegExp(`^(${S}*(${OPS})${S}*(${CV})${S}*)((?:${S}+|,${S}*)(${OPS})${S}*(${CV})${S}*)*$`)

/** Go's %q for the ASCII-ish texts constraints are made of. */
function quote(s: string): string {
  return JSON.stringify(s)
}

/** Hyphen ranges become `>= a, <= b` before anything else is parsed. */
function rewriteRange(text: string): string {
  let out = text
  for (const m of text.matchAll(RANGE)) out = out.replace(m[0], `>= ${m[1]}, <= ${m[11]} `)
  return out
}

const isX = (s: string | undefined): boolean => s === 'x' || s === 'X' || s === '*'

function parseComparator(text: string): Comparator | string {
  const m = CONSTRAINT.exec(text)
  if (!m) return `improper constraint: ${quote(text)}`
  const [, op = '', orig = '', major = '', minor = '', patch = '', pre = ''] = m
  let ver = orig
  let dirty = false
  let minorDirty = false
  let patchDirty = false
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`
    dirty = true
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    ver = `${major}.0.0${pre}`
    dirty = minorDirty = true
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    ver = `${major}${minor}.0${pre}`
    dirty = patchDirty = true
  }
  const v = newVersion(ver)
  if (!v.ok) return 'constraint parser error'
  return { op, orig, con: v.version, dirty, minorDirty, patchDirty }
}

/** Masterminds `NewConstraint`; the error texts are Masterminds' (Flux shows them). */
export function parseConstraints(text: string): { ok: true; constraints: Constraints } | { ok: false; error: string } {
  const alternatives: Comparator[][] = []
  const containsPre: boolean[] = []
  for (const alt of rewriteRange(text).split('||')) {
    if (!VALID.test(alt)) return { ok: false, error: `improper constraint: ${quote(alt)}` }
    const parts = [...alt.matchAll(FIND)].map((m) => m[0])
    const comparators: Comparator[] = []
    for (const part of parts.length > 0 ? parts : [alt]) {
      const c = parseComparator(part)
      if (typeof c === 'string') return { ok: false, error: c }
      comparators.push(c)
    }
    alternatives.push(comparators)
    containsPre.push(comparators.some((c) => c.con.pre !== ''))
  }
  return { ok: true, constraints: { alternatives, containsPre } }
}

/** Masterminds `Constraints.Check`: true when some alternative accepts every comparator. */
export function checkConstraints(cs: Constraints, v: Version): boolean {
  return cs.alternatives.some((alt, i) => alt.every((c) => checkOne(c, v, cs.containsPre[i] === true)))
}

function checkOne(c: Comparator, v: Version, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(c, v) : compareVersions(v, c.con) === 0
    case '!=':
      return notEqual(c, v)
    case '>':
      return greaterThan(c, v)
    case '<':
      return compareVersions(v, c.con) < 0
    case '>=':
    case '=>':
      return compareVersions(v, c.con) >= 0
    case '<=':
    case '=<':
      return lessThanEqual(c, v)
    case '~':
    case '~>':
      return tilde(c, v)
    case '^':
      return caret(c, v)
    default:
      return false
  }
}

function notEqual(c: Comparator, v: Version): boolean {
  if (c.dirty) {
    if (c.con.major !== v.major) return true
    if (c.con.minor !== v.minor && !c.minorDirty) return true
    if (c.minorDirty) return false
    if (c.con.patch !== v.patch && !c.patchDirty) return true
    if (c.patchDirty) {
      if (v.pre !== '' || c.con.pre !== '') return comparePrerelease(v.pre, c.con.pre) !== 0
      return false
    }
  }
  return compareVersions(v, c.con) !== 0
}

function greaterThan(c: Comparator, v: Version): boolean {
  if (!c.dirty) return compareVersions(v, c.con) === 1
  if (v.major > c.con.major) return true
  if (v.major < c.con.major) return false
  if (c.minorDirty) return false
  if (c.patchDirty) return v.minor > c.con.minor
  return compareVersions(v, c.con) === 1
}

function lessThanEqual(c: Comparator, v: Version): boolean {
  if (!c.dirty) return compareVersions(v, c.con) <= 0
  if (v.major > c.con.major) return false
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return false
  return true
}

function tilde(c: Comparator, v: Version): boolean {
  if (compareVersions(v, c.con) < 0) return false
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true
  if (v.major !== c.con.major) return false
  if (v.minor !== c.con.minor && !c.minorDirty) return false
  return true
}

function caret(c: Comparator, v: Version): boolean {
  if (compareVersions(v, c.con) < 0) return false
  if (c.con.major > 0n || c.minorDirty) return v.major === c.con.major
  if (c.con.major === 0n && v.major > 0n) return false
  if (c.con.minor > 0n || c.patchDirty) return v.minor === c.con.minor
  if (c.con.minor === 0n && v.minor > 0n) return false
  return c.con.patch === v.patch
}

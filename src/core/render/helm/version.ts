import semver from 'semver'

/** fluxcd/pkg version.ParseVersion: optional `v`, at least major.minor.patch, leading zeros tolerated. */
export function parseChartVersion(v: string): semver.SemVer | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/.exec(v)
  if (!m) return undefined
  return semver.parse(`${Number(m[1])}.${Number(m[2])}.${Number(m[3])}${m[4] ?? ''}${m[5] ?? ''}`) ?? undefined
}

/**
 * Masterminds constraint text in node-semver syntax: `,` means AND; `1.x`, `~`, `^`, `*`
 * read the same. Masterminds lets prereleases match only when the constraint names one.
 */
function toRange(constraint: string): { range: semver.Range; pre: boolean } | undefined {
  const text = constraint.trim() === '' ? '*' : constraint.replace(/,/g, ' ')
  try {
    return { range: new semver.Range(text, { loose: true, includePrerelease: /-/.test(constraint) }), pre: /\d-[0-9A-Za-z]/.test(constraint) }
  } catch {
    return undefined
  }
}

/** One candidate version with its index `created` time (HTTP repositories). */
export interface Candidate {
  version: string
  created?: string
}

/**
 * H-3: the exact version string if offered, else the highest version matching the
 * constraint (`""`/`*` = latest stable); unparsable versions are skipped; equal versions
 * differing in build metadata are ordered by `created` (newest wins).
 */
export function chooseVersion(candidates: Candidate[], constraint: string): { version: string } | { error: string } {
  const exact = candidates.find((c) => c.version === constraint)
  if (exact) return { version: exact.version }
  const r = toRange(constraint)
  if (!r) return { error: `invalid chart version constraint '${constraint}'` }
  let best: { c: Candidate; v: semver.SemVer } | undefined
  for (const c of candidates) {
    const v = parseChartVersion(c.version)
    if (!v) continue
    if (v.prerelease.length > 0 && !r.pre) continue
    if (!r.range.test(v)) continue
    if (!best) best = { c, v }
    else {
      const cmp = semver.compare(v, best.v)
      if (cmp > 0 || (cmp === 0 && (c.created ?? '') > (best.c.created ?? ''))) best = { c, v }
    }
  }
  return best ? { version: best.c.version } : { error: `no chart version found matching '${constraint}'` }
}

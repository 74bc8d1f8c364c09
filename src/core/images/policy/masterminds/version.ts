/**
 * Semantic versions as Masterminds/semver v3 (`NewVersion` in its default coerce mode)
 * parses and orders them, plus fluxcd/pkg `version.ParseVersion` (I-5). The npm `semver`
 * package differs (leading zeros, `v`, two-part versions), so this is a separate model.
 */
export interface Version {
  major: bigint
  minor: bigint
  patch: bigint
  /** Prerelease without `-`; empty when none. */
  pre: string
  /** Build metadata without `+`; ignored by every comparison. */
  metadata: string
  /** The text as given (`Original()`), which is what Flux reports. */
  original: string
}

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/
const UINT64_MAX = (1n << 64n) - 1n

/** The errors Masterminds reports; Flux only shows them for constraints. */
export const VERSION_ERRORS = Object.freeze({
  invalid: 'invalid semantic version',
  prerelease: 'invalid prerelease string',
  metadata: 'invalid metadata string',
  segmentZero: 'version segment starts with 0',
  segment: 'error parsing version segment',
})

function segment(text: string | undefined): bigint | undefined {
  if (text === undefined || text === '') return 0n
  const n = BigInt(text.replace(/^\./, ''))
  return n > UINT64_MAX ? undefined : n
}

/** Masterminds' prerelease check: non-empty dot parts, numeric parts without leading zero. */
function prereleaseError(pre: string): string | undefined {
  for (const part of pre.split('.')) {
    if (part === '') return VERSION_ERRORS.prerelease
    if (/^[0-9]+$/.test(part)) {
      if (part.length > 1 && part.startsWith('0')) return VERSION_ERRORS.segmentZero
    } else if (!/^[0-9A-Za-z-]+$/.test(part)) return VERSION_ERRORS.prerelease
  }
  return undefined
}

function metadataError(meta: string): string | undefined {
  return meta.split('.').every((p) => /^[0-9A-Za-z-]+$/.test(p)) ? undefined : VERSION_ERRORS.metadata
}

/**
 * Masterminds `NewVersion` (coerce mode): optional `v`, missing minor/patch read as 0,
 * leading zeros accepted in major/minor/patch, not in numeric prerelease parts.
 */
export function newVersion(text: string): { ok: true; version: Version } | { ok: false; error: string } {
  const m = LOOSE.exec(text)
  if (!m) return { ok: false, error: VERSION_ERRORS.invalid }
  const major = segment(m[1])
  const minor = segment(m[2])
  const patch = segment(m[3])
  if (major === undefined || minor === undefined || patch === undefined) return { ok: false, error: VERSION_ERRORS.segment }
  const pre = m[5] ?? ''
  const metadata = m[8] ?? ''
  const err = (pre && prereleaseError(pre)) || (metadata && metadataError(metadata))
  if (err) return { ok: false, error: err }
  return { ok: true, version: { major, minor, patch, pre, metadata, original: text } }
}

/**
 * fluxcd/pkg `version.ParseVersion`: the text must contain at least two `.` (anywhere),
 * so `1.2` and `v3` are not versions for an ImagePolicy (I-5); then newVersion.
 */
export function parseFluxVersion(text: string): Version | undefined {
  if (text.split('.').length < 3) return undefined
  const r = newVersion(text)
  return r.ok ? r.version : undefined
}

function cmpBig(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0
}

const NUMERIC = /^[0-9]+$/

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0
  if (s === '') return -1
  if (o === '') return 1
  const sNum = NUMERIC.test(s) && BigInt(s) <= UINT64_MAX
  const oNum = NUMERIC.test(o) && BigInt(o) <= UINT64_MAX
  if (!sNum && !oNum) return s > o ? 1 : -1
  if (!oNum) return -1
  if (!sNum) return 1
  return BigInt(s) > BigInt(o) ? 1 : -1
}

/** Masterminds prerelease order: dot parts compared in turn, a missing part sorts first. */
export function comparePrerelease(a: string, b: string): number {
  const ap = a.split('.')
  const bp = b.split('.')
  for (let i = 0; i < Math.max(ap.length, bp.length); i++) {
    const d = comparePrePart(ap[i] ?? '', bp[i] ?? '')
    if (d !== 0) return d
  }
  return 0
}

/** Precedence order (-1, 0, 1); build metadata and the `v` prefix never count. */
export function compareVersions(a: Version, b: Version): number {
  const d = cmpBig(a.major, b.major) || cmpBig(a.minor, b.minor) || cmpBig(a.patch, b.patch)
  if (d !== 0) return d
  if (a.pre === '' && b.pre === '') return 0
  if (a.pre === '') return 1
  if (b.pre === '') return -1
  return comparePrerelease(a.pre, b.pre)
}

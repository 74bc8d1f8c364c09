import { decodeRune, RUNE_ERROR } from './bytes.js'

/**
 * The glob matcher of Flux's envsubst (fluxcd/pkg envsubst/path/match.go), a modified
 * copy of Go's path.Match, over byte strings. Differences from path.Match that users
 * see (S-8): `*` and `?` also match `/`, and a trailing `*` matches the rest outright.
 * Returns undefined for a malformed pattern (Go's ErrBadPattern).
 */
export function globMatch(pattern: string, name: string): boolean | undefined {
  outer: while (pattern.length > 0) {
    const { star, chunk, rest } = scanChunk(pattern)
    pattern = rest
    if (star && chunk === '') return true
    const first = matchChunk(chunk, name)
    // the last chunk must consume the whole name, otherwise a later star could still match
    if (first.ok && (first.rest.length === 0 || pattern.length > 0)) {
      name = first.rest
      continue
    }
    if (first.bad) return undefined
    if (star) {
      for (let i = 0; i < name.length; i++) {
        const m = matchChunk(chunk, name.slice(i + 1))
        if (m.ok) {
          if (pattern.length === 0 && m.rest.length > 0) continue
          name = m.rest
          continue outer
        }
        if (m.bad) return undefined
      }
    }
    return false
  }
  return name.length === 0
}

function scanChunk(pattern: string): { star: boolean; chunk: string; rest: string } {
  let star = false
  while (pattern.length > 0 && pattern[0] === '*') {
    pattern = pattern.slice(1)
    star = true
  }
  let inRange = false
  let i = 0
  for (; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      if (i + 1 < pattern.length) i++
    } else if (c === '[') inRange = true
    else if (c === ']') inRange = false
    else if (c === '*' && !inRange) break
  }
  return { star, chunk: pattern.slice(0, i), rest: pattern.slice(i) }
}

interface ChunkResult {
  ok: boolean
  rest: string
  bad: boolean
}

const NO: ChunkResult = { ok: false, rest: '', bad: false }
const BAD: ChunkResult = { ok: false, rest: '', bad: true }

function matchChunk(chunk: string, s: string): ChunkResult {
  while (chunk.length > 0) {
    if (s.length === 0) return NO
    const c = chunk[0]
    if (c === '[') {
      const { rune, width } = decodeRune(s, 0)
      s = s.slice(width)
      const cls = matchClass(chunk.slice(1), rune)
      if (cls === undefined) return BAD
      if (!cls.matched) return NO
      chunk = cls.rest
    } else if (c === '?') {
      s = s.slice(decodeRune(s, 0).width)
      chunk = chunk.slice(1)
    } else {
      if (c === '\\') {
        chunk = chunk.slice(1)
        if (chunk.length === 0) return BAD
      }
      if (chunk[0] !== s[0]) return NO
      s = s.slice(1)
      chunk = chunk.slice(1)
    }
  }
  return { ok: true, rest: s, bad: false }
}

/** A `[...]` class after its `[`: whether `r` matches and the pattern after `]`. */
function matchClass(chunk: string, r: number): { matched: boolean; rest: string } | undefined {
  let negated = false
  if (chunk[0] === '^') {
    negated = true
    chunk = chunk.slice(1)
  }
  let match = false
  for (let n = 0; ; n++) {
    if (chunk[0] === ']' && n > 0) return { matched: match !== negated, rest: chunk.slice(1) }
    const lo = getEsc(chunk)
    if (!lo) return undefined
    let hi = lo.rune
    chunk = lo.rest
    if (chunk[0] === '-') {
      const h = getEsc(chunk.slice(1))
      if (!h) return undefined
      hi = h.rune
      chunk = h.rest
    }
    if (lo.rune <= r && r <= hi) match = true
  }
}

function getEsc(chunk: string): { rune: number; rest: string } | undefined {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') return undefined
  if (chunk[0] === '\\') {
    chunk = chunk.slice(1)
    if (chunk.length === 0) return undefined
  }
  const { rune, width } = decodeRune(chunk, 0)
  if (rune === RUNE_ERROR && width === 1) return undefined
  const rest = chunk.slice(width)
  if (rest.length === 0) return undefined
  return { rune, rest }
}

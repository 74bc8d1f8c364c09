import { LRUCache } from 'lru-cache'
import { compileRe2, type Re2 } from '../regex/index.js'

/**
 * Go's `filepath.Match` for one path segment: `*`, `?`, `[...]` classes (with `^`/`!`
 * negation and ranges) and `\` escapes. Invalid patterns match nothing, as Go returns an error.
 */
export function globMatch(pattern: string, name: string): boolean {
  const re = globToRegExp(pattern)
  return re !== undefined && re.test(name)
}

/** Compiled patterns (from the repositories' files: bounded, least recently used first); `re` undefined: invalid. */
const cache = new LRUCache<string, { re?: Re2 }>({ max: 1024 })

function globToRegExp(pattern: string): Re2 | undefined {
  const hit = cache.get(pattern)
  if (hit) return hit.re
  let out = '^'
  let i = 0
  let valid = true
  while (i < pattern.length) {
    const c = pattern[i]!
    if (c === '*') out += '[^/]*'
    else if (c === '?') out += '[^/]'
    else if (c === '\\') {
      i++
      if (i >= pattern.length) valid = false
      else out += escape(pattern[i]!)
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2)
      if (end < 0) {
        valid = false
        break
      }
      let body = pattern.slice(i + 1, end)
      let neg = false
      if (body.startsWith('^') || body.startsWith('!')) {
        neg = true
        body = body.slice(1)
      }
      out += `[${neg ? '^' : ''}${body.replace(/[\]\\]/g, (m) => '\\' + m)}]`
      i = end
    } else out += escape(c)
    i++
  }
  // RE2: a class copied from the pattern that Go's regexp refuses makes the pattern invalid.
  const compiled = valid ? compileRe2(out + '$') : undefined
  const re = compiled?.ok ? compiled.re : undefined
  cache.set(pattern, re ? { re } : {})
  return re
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/**
 * doublestar-style match of a whole slash path: `**` as a full segment spans zero or more
 * segments; other segments match with {@link globMatch}.
 */
export function doublestarMatch(pattern: string, path: string): boolean {
  return matchSegs(pattern.split('/'), path.split('/'))
}

function matchSegs(p: string[], s: string[]): boolean {
  if (p.length === 0) return s.length === 0
  const [head, ...rest] = p
  if (head === '**') {
    for (let i = 0; i <= s.length; i++) if (matchSegs(rest, s.slice(i))) return true
    return false
  }
  if (s.length === 0) return false
  return globMatch(head!, s[0]!) && matchSegs(rest, s.slice(1))
}

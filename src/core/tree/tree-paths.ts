/** Paths inside a tree: normalized as a tree delta names them, joined without leaving the root. */

/** A path with an empty or `.` segment: a leading `/` or `./`, `//` or `/./`, a trailing `/` or `/.`, or `.` itself. */
const NOT_NORMAL = /^\.?\/|\/\.?\/|\/\.?$|^\.$/

/** `./a//b/` → `a/b`; `.` → ``. Does not resolve `..`. */
export function normalizePath(path: string): string {
  // Nearly every path a render asks for is already normal (a warm replan passes tens of
  // thousands of its questions' paths through here): one test of the whole path.
  if (!NOT_NORMAL.test(path)) return path
  return path
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')
}

/**
 * Joins `rel` onto `base` inside the tree, resolving `.` and `..`; undefined when the result
 * would leave the root.
 */
export function joinInside(base: string, rel: string): string | undefined {
  const out = rel.startsWith('/') ? [] : normalizePath(base).split('/').filter(Boolean)
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') {
      if (out.length === 0) return undefined
      out.pop()
    } else out.push(seg)
  }
  return out.join('/')
}

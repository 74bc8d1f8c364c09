import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { getOwn, setOwn } from '../../model/own.js'

/** Helm's strvals refuses list indexes above this (MaxIndex), before allocating anything. */
export const MAX_INDEX = 65_536

/**
 * Sets one value at a Helm `--set` path (`a.b[0].c`, `\.` escapes a dot), typing the text
 * as `--set` does unless it is quoted or `literal` (H-7). Returns an error message or undefined.
 */
export function setPath(root: JsonObject, path: string, raw: string, literal: boolean): string | undefined {
  const segs = parsePath(path)
  if (typeof segs === 'string') return segs
  const value = literal ? raw : typed(raw)
  let cur: JsonValue = root
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!
    const last = i === segs.length - 1
    const nextIsIndex = !last && typeof segs[i + 1] === 'number'
    if (typeof seg === 'number') {
      if (!Array.isArray(cur)) return `invalid targetPath '${path}'`
      while (cur.length <= seg) cur.push(null)
      if (last) cur[seg] = value
      else {
        if (!containerFits(cur[seg], nextIsIndex)) cur[seg] = nextIsIndex ? [] : {}
        cur = cur[seg]!
      }
      continue
    }
    if (!isJsonObject(cur)) return `invalid targetPath '${path}'`
    // Own properties only: `__proto__.x` is a key named `__proto__`, as in Helm.
    if (last) setOwn(cur, seg, value)
    else {
      let next: JsonValue | undefined = getOwn(cur, seg)
      if (!containerFits(next, nextIsIndex)) setOwn(cur, seg, (next = nextIsIndex ? [] : {}))
      cur = next!
    }
  }
  return undefined
}

function containerFits(v: JsonValue | undefined, array: boolean): boolean {
  return array ? Array.isArray(v) : isJsonObject(v)
}

function parsePath(path: string): (string | number)[] | string {
  const out: (string | number)[] = []
  let cur = ''
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!
    if (c === '\\' && i + 1 < path.length) {
      cur += path[++i]
    } else if (c === '.') {
      if (cur) out.push(cur)
      cur = ''
    } else if (c === '[') {
      const end = path.indexOf(']', i)
      const n = Number(path.slice(i + 1, end))
      if (end < 0 || !Number.isInteger(n) || n < 0) return `invalid index in targetPath '${path}'`
      if (n > MAX_INDEX) return `index of ${n} is greater than maximum supported index ${MAX_INDEX} in targetPath '${path}'`
      if (cur) out.push(cur)
      cur = ''
      out.push(n)
      i = end
    } else cur += c
  }
  if (cur) out.push(cur)
  return out.length > 0 ? out : `empty targetPath`
}

function typed(raw: string): JsonValue {
  if (raw.length >= 2 && ((raw.startsWith('"') && raw.endsWith('"')) || (raw.startsWith("'") && raw.endsWith("'")))) return raw.slice(1, -1)
  if (raw === 'true') return true
  if (raw === 'false') return false
  if (raw === 'null') return null
  if (/^-?(0|[1-9][0-9]*)$/.test(raw)) {
    const n = Number(raw)
    if (Number.isSafeInteger(n)) return n
  }
  return raw
}

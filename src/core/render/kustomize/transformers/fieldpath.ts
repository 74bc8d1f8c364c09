import { getOwn } from '../../../model/own.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'

/**
 * Splits a kyaml field path (`spec.template.spec.containers[name=app].image`,
 * `metadata.annotations.[a.b/c]`, `data.key`) into segments; `[...]` keeps its dots.
 */
export function splitFieldPath(path: string): string[] {
  const out: string[] = []
  let cur = ''
  let depth = 0
  for (let i = 0; i < path.length; i++) {
    const c = path[i] as string
    if (c === '\\' && path[i + 1] === '.') {
      cur += '.'
      i++
      continue
    }
    if (c === '[') {
      if (depth === 0 && cur !== '') {
        out.push(cur)
        cur = ''
      }
      depth++
    }
    if (c === ']') depth--
    if (c === '.' && depth === 0) {
      if (cur !== '') out.push(cur)
      cur = ''
      continue
    }
    cur += c
    if (c === ']' && depth === 0) {
      out.push(cur)
      cur = ''
    }
  }
  if (cur !== '') out.push(cur)
  return out.map((s) => (/^\[[^=\]]*\]$/.test(s) && !/^\[\d+\]$/.test(s) && s !== '[]' && s !== '[*]' ? s.slice(1, -1) : s))
}

function scalarString(v: JsonValue | undefined): string | undefined {
  if (v === undefined || v === null) return undefined
  if (typeof v === 'object') return undefined
  return String(v)
}

/** One step into `node`: a map field, `[i]` index, or `[key=value]` list element. */
export function step(node: JsonValue | undefined, seg: string): JsonValue | undefined {
  const m = /^\[(.*)\]$/.exec(seg)
  if (m) {
    const inner = m[1] as string
    if (!Array.isArray(node)) return undefined
    if (/^-?\d+$/.test(inner)) return node[Number(inner)]
    const eq = inner.indexOf('=')
    if (eq < 0) return undefined
    const k = inner.slice(0, eq), val = inner.slice(eq + 1)
    return node.find((el) => isJsonObject(el) && scalarString(getOwn(el, k)) === val)
  }
  if (isJsonObject(node)) return getOwn(node, seg)
  if (Array.isArray(node) && /^\d+$/.test(seg)) return node[Number(seg)]
  return undefined
}

/** The value at a field path, or undefined. */
export function getFieldPath(obj: JsonObject, segs: string[]): JsonValue | undefined {
  let cur: JsonValue | undefined = obj
  for (const s of segs) {
    cur = step(cur, s)
    if (cur === undefined) return undefined
  }
  return cur
}

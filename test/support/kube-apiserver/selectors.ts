/**
 * `fieldSelector` and `labelSelector` as the API server parses them. Field selectors accept any
 * dotted path here (a real server allows only a few fields per kind); label selectors support
 * `=`, `==`, `!=`, `in`, `notin`, existence and `!key`.
 */
import type { Json } from './patch.js'

type Obj = { [k: string]: Json }

function pathValue(obj: Obj, path: string): string | undefined {
  let cur: Json | undefined = obj
  for (const p of path.split('.')) {
    if (typeof cur !== 'object' || cur === null || Array.isArray(cur)) return undefined
    cur = cur[p]
  }
  return cur === undefined || cur === null ? undefined : String(cur)
}

/** A predicate for `metadata.name=web,metadata.namespace!=kube-system`. */
export function parseFieldSelector(selector: string | null): (obj: Obj) => boolean {
  if (!selector) return () => true
  const terms = selector.split(',').map((t) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(t.trim())
    if (!m) throw new Error(`invalid field selector "${t}"`)
    return { path: m[1] as string, negate: m[2] === '!=', value: m[3] as string }
  })
  return (obj) => terms.every((t) => ((pathValue(obj, t.path) ?? '') === t.value) !== t.negate)
}

function splitTerms(selector: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of selector) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur)
  return out.map((t) => t.trim())
}

function labelTerm(term: string): (labels: Record<string, string>) => boolean {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term)
  if (set) {
    const [, key = '', op, list = ''] = set
    const values = list.split(',').map((v) => v.trim())
    return (l) => (op === 'in' ? key in l && values.includes(l[key] as string) : !(key in l) || !values.includes(l[key] as string))
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term)
  if (eq) {
    const [, key = '', op, value] = eq
    return (l) => (op === '!=' ? l[key] !== value : l[key] === value)
  }
  if (term.startsWith('!')) return (l) => !(term.slice(1) in l)
  return (l) => term in l
}

/** A predicate over an object's labels for `app=web,tier in (a,b),!legacy`. */
export function parseLabelSelector(selector: string | null): (obj: Obj) => boolean {
  if (!selector) return () => true
  const terms = splitTerms(selector).map(labelTerm)
  return (obj) => {
    const meta = obj['metadata']
    const raw = typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? meta['labels'] : undefined
    const labels = (typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {}) as Record<string, string>
    return terms.every((t) => t(labels))
  }
}

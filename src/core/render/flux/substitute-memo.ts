import type { JsonValue, KubeObject } from '../../model/object.js'
import { cloneJson } from '../../model/clone.js'
import { substituteObject, type SubstituteObjectOptions, type SubstituteObjectResult as SubstituteResult } from '../../substitute/index.js'

const MAX_ENTRIES = 8192
const MAX_KEY_CHARS = 256 * 1024
const memo = new Map<string, SubstituteResult>()

/**
 * substituteObject, its full path memoized by the object's content, the variables and the
 * options: that path re-reads the object's text as YAML 1.1 (S-3), the costliest step of a
 * fleet render, and a pull request renders two mostly identical trees, so most objects
 * recur. The shortcuts (no variable, variables in simple values) cost less than a key.
 * Not memoized when a variable comes from a Secret (values stay out of long-lived memory)
 * or when the object holds values JSON cannot key (NaN, ±Infinity, -0, undefined).
 * Callers get their own copy of the object.
 */
export function substituteObjectMemo(obj: KubeObject, vars: Record<string, string>, opts: SubstituteObjectOptions, hasSecretVars: boolean): SubstituteResult {
  if (hasSecretVars) return substituteObject(obj, vars, opts)
  return substituteObject(obj, vars, opts, (full) => {
    const key = memoKey(obj, vars, opts)
    if (key === undefined) return full()
    const hit = memo.get(key)
    if (hit) return hit.ok ? { ...hit, object: cloneJson(hit.object as unknown as JsonValue) as unknown as KubeObject } : hit
    const result = full()
    if (memo.size >= MAX_ENTRIES) memo.delete(memo.keys().next().value as string)
    memo.set(key, result.ok ? { ...result, object: cloneJson(result.object as unknown as JsonValue) as unknown as KubeObject } : result)
    return result
  })
}

function memoKey(obj: KubeObject, vars: Record<string, string>, opts: SubstituteObjectOptions): string | undefined {
  let exact = true
  const text = JSON.stringify(obj, (_k, v: JsonValue | undefined) => {
    if (v === undefined || (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0)))) exact = false
    return v
  })
  if (!exact || text.length > MAX_KEY_CHARS) return undefined
  const varText = JSON.stringify(Object.entries(vars))
  const unknown = opts.unknown ? JSON.stringify(opts.unknown) : ''
  return `${opts.strict ? 1 : 0}${opts.strategy ?? ''}\u0000${varText}\u0000${unknown}\u0000${text}`
}

import { fromBytes, toBytes } from './bytes.js'
import { isDefaultOperator, lookupFunc } from './funcs.js'
import { parseTemplate, type Node } from './parse.js'

/** Options of one substitution run. */
export interface EnvsubstOptions {
  /** S-11: a variable missing from `vars` fails instead of expanding to ''. */
  strict: boolean
  /**
   * A variable missing from `vars` that may still be defined, with a value only the cluster
   * has (a substituteFrom source that is not in the repository): an expression that reads it
   * is left as written, a placeholder, instead of failing or expanding to ''.
   */
  unknown?: (name: string) => boolean
  /** Most bytes the expansion may produce; default MAX_SUBSTITUTED_BYTES. */
  maxBytes?: number
  /**
   * Variables whose values are secret: what any expression makes of one (`${S^^}`, `${S:0:6}`,
   * `${S/x/}`) is secret too, and is added to `derived` (never printed; masking reads it).
   */
  secrets?: { names: ReadonlySet<string>; derived: Set<string> }
}

/**
 * The expansion budget of one object: the API server refuses a request body above 3 MiB, so an
 * object substituted past it can never be applied, and one variable used thousands of times
 * would otherwise take all the memory there is.
 */
export const MAX_SUBSTITUTED_BYTES = 3 * 1024 * 1024

/** Result of envsubst: the substituted text (and the expressions left as placeholders), or the Go library's error message. */
export type EnvsubstResult = { ok: true; text: string; placeholders?: string[] } | { ok: false; error: string }

/** The strict-mode error text; kustomize-controller users grep for it. */
export const VAR_NOT_SET = 'variable not set (strict mode)'

class EvalError extends Error {}

/** An expression reads a variable whose value only the cluster has. */
class UnknownValue extends Error {}

/**
 * Expands `${…}` expressions in `text` exactly as Flux's envsubst fork does when
 * kustomize-controller calls `envsubst.Eval` (S-7 … S-11): `$$` outside expressions
 * becomes `$`, arguments are evaluated before the variable, lengths and offsets count
 * UTF-8 bytes. Pure; never throws for bad input.
 */
export function envsubst(text: string, vars: Record<string, string>, opts: EnvsubstOptions): EnvsubstResult {
  const parsed = parseTemplate(toBytes(text))
  if (!parsed.ok) return parsed
  const lookup = (name: string): { value: string; exists: boolean } => {
    const key = fromBytes(name)
    const exists = Object.prototype.hasOwnProperty.call(vars, key)
    if (!exists && opts.unknown?.(key)) throw new UnknownValue()
    return { value: exists ? toBytes(vars[key]!) : '', exists: exists || !opts.strict }
  }
  const budget: Budget = { left: opts.maxBytes ?? MAX_SUBSTITUTED_BYTES, max: opts.maxBytes ?? MAX_SUBSTITUTED_BYTES, ...(opts.secrets ? { secrets: opts.secrets } : {}) }
  const placeholders: string[] = []
  // Each top-level expression stands alone: one that reads an unknown value is kept as written.
  const top = (node: Node): string => {
    if (node.type === 'list') return node.nodes.map(top).join('')
    if (node.type === 'text') return charge(budget, node.value)
    try {
      return evaluate(node, lookup, budget)
    } catch (err) {
      if (!(err instanceof UnknownValue) || node.raw === undefined) throw err
      placeholders.push(fromBytes(node.raw))
      return charge(budget, node.raw)
    }
  }
  try {
    const text = fromBytes(top(parsed.root))
    return placeholders.length > 0 ? { ok: true, text, placeholders } : { ok: true, text }
  } catch (err) {
    if (err instanceof EvalError) return { ok: false, error: err.message }
    throw err
  }
}

type Lookup = (name: string) => { value: string; exists: boolean }

/** Bytes the expansion may still produce (every produced piece is charged as it is made). */
interface Budget {
  left: number
  max: number
  secrets?: EnvsubstOptions['secrets']
}

function charge(budget: Budget, piece: string): string {
  budget.left -= piece.length
  if (budget.left < 0) throw new EvalError(`the substituted text exceeds ${budget.max} bytes`)
  return piece
}

function evaluate(node: Node, lookup: Lookup, budget: Budget): string {
  switch (node.type) {
    case 'text':
      return node.value
    case 'list': {
      const parts: string[] = []
      // A function charges what it produces itself; text is charged here.
      for (const n of node.nodes) parts.push(n.type === 'text' ? charge(budget, n.value) : evaluate(n, lookup, budget))
      return parts.join('')
    }
    case 'func': {
      // S-9: arguments first, so a missing variable in a default fails even when unused
      const args = node.args.map((n) => evaluate(n, lookup, budget))
      const { value, exists } = lookup(node.param)
      if (!exists && !isDefaultOperator(node.name)) {
        throw new EvalError(`${VAR_NOT_SET}: ${JSON.stringify(fromBytes(node.param))}`)
      }
      const out = charge(budget, lookupFunc(node.name, args.length)(value, args))
      if (out !== '' && budget.secrets?.names.has(fromBytes(node.param))) budget.secrets.derived.add(fromBytes(out))
      return out
    }
  }
}

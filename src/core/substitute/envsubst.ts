import { fromBytes, toBytes } from './bytes.js'
import { isDefaultOperator, lookupFunc } from './funcs.js'
import { parseTemplate, type Node } from './parse.js'

/** Options of one substitution run. */
export interface EnvsubstOptions {
  /** S-11: a variable missing from `vars` fails instead of expanding to ''. */
  strict: boolean
}

/** Result of envsubst: the substituted text, or the Go library's error message. */
export type EnvsubstResult = { ok: true; text: string } | { ok: false; error: string }

/** The strict-mode error text; kustomize-controller users grep for it. */
export const VAR_NOT_SET = 'variable not set (strict mode)'

class EvalError extends Error {}

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
    return { value: exists ? toBytes(vars[key]!) : '', exists: exists || !opts.strict }
  }
  try {
    return { ok: true, text: fromBytes(evaluate(parsed.root, lookup)) }
  } catch (err) {
    if (err instanceof EvalError) return { ok: false, error: err.message }
    throw err
  }
}

type Lookup = (name: string) => { value: string; exists: boolean }

function evaluate(node: Node, lookup: Lookup): string {
  switch (node.type) {
    case 'text':
      return node.value
    case 'list':
      return node.nodes.map((n) => evaluate(n, lookup)).join('')
    case 'func': {
      // S-9: arguments first, so a missing variable in a default fails even when unused
      const args = node.args.map((n) => evaluate(n, lookup))
      const { value, exists } = lookup(node.param)
      if (!exists && !isDefaultOperator(node.name)) {
        throw new EvalError(`${VAR_NOT_SET}: ${JSON.stringify(fromBytes(node.param))}`)
      }
      return lookupFunc(node.name, args.length)(value, args)
    }
  }
}

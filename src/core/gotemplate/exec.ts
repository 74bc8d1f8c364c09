import { FUNCS, type TemplateFunc } from './funcs.js'
import { parseTemplate, TemplateError, type Command, type Operand, type ParseOptions, type Pipe, type TemplateNode } from './parse.js'
import { formatValue, isTruthy, GoMap } from './values.js'

const BREAK = Symbol('break')
const CONTINUE = Symbol('continue')

/** How a template runs: delimiters, functions besides the built-in ones, Go's `missingkey` option. */
export interface TemplateOptions extends ParseOptions {
  /** Functions added to (or replacing) the built-in table, as Go's `Funcs`. */
  funcs?: ReadonlyMap<string, TemplateFunc>
  /** `error`: a map key that is not there fails the template (Go's `missingkey=error`). */
  missingKey?: 'zero' | 'error'
  /** Upper bound on the output length; crossing it fails the template. */
  maxOutput?: number
}

interface Run {
  funcs: ReadonlyMap<string, TemplateFunc>
  context: string
  missingKeyError: boolean
  maxOutput: number
  size: number
}

/**
 * Renders a Go text/template (the subset parse.ts reads) against `data`. Go maps are GoMap
 * instances (ranged in key order, missing keys read as the map's zero value); plain objects
 * are structs (an unknown field is an error, as Go reports it). Throws TemplateError.
 */
export function renderTemplate(src: string, data: unknown, opts: TemplateOptions = {}): string {
  const nodes = parseTemplate(src, opts)
  const out: string[] = []
  const scopes: Map<string, unknown>[] = [new Map([['$', data]])]
  const funcs = new Map<string, TemplateFunc>(Object.entries(FUNCS))
  for (const [name, fn] of opts.funcs ?? []) funcs.set(name, fn)
  const run: Run = { funcs, context: opts.context ?? 'commit message templates', missingKeyError: opts.missingKey === 'error', maxOutput: opts.maxOutput ?? 16 * 1024 * 1024, size: 0 }
  runList(nodes, data, scopes, out, run)
  return out.join('')
}

function runList(nodes: TemplateNode[], dot: unknown, scopes: Map<string, unknown>[], out: string[], run: Run): void {
  for (const node of nodes) runNode(node, dot, scopes, out, run)
}

function emit(text: string, out: string[], run: Run): void {
  run.size += text.length
  if (run.size > run.maxOutput) throw new TemplateError(`template output exceeds ${run.maxOutput} characters`)
  out.push(text)
}

function runNode(node: TemplateNode, dot: unknown, scopes: Map<string, unknown>[], out: string[], run: Run): void {
  switch (node.type) {
    case 'text':
      emit(node.text, out, run)
      return
    case 'action': {
      const v = evalPipe(node.pipe, dot, scopes, run)
      if (!node.pipe.decl) emit(formatValue(v), out, run)
      return
    }
    case 'break':
      throw BREAK
    case 'continue':
      throw CONTINUE
    case 'if':
    case 'with': {
      scopes.push(new Map())
      try {
        const v = evalPipe(node.pipe, dot, scopes, run)
        if (isTruthy(v)) runList(node.body, node.type === 'with' ? v : dot, scopes, out, run)
        else runList(node.else, dot, scopes, out, run)
      } finally {
        scopes.pop()
      }
      return
    }
    case 'range':
      runRange(node, dot, scopes, out, run)
  }
}

function runRange(node: Extract<TemplateNode, { type: 'range' }>, dot: unknown, scopes: Map<string, unknown>[], out: string[], run: Run): void {
  const value = evalPipe({ cmds: node.pipe.cmds }, dot, scopes, run)
  const entries = rangeEntries(value)
  if (entries.length === 0) {
    runList(node.else, dot, scopes, out, run)
    return
  }
  const names = node.pipe.decl?.names ?? []
  for (const [key, item] of entries) {
    const frame = new Map<string, unknown>()
    if (names.length === 1) frame.set(names[0]!, item)
    if (names.length === 2) {
      frame.set(names[0]!, key)
      frame.set(names[1]!, item)
    }
    scopes.push(frame)
    try {
      runList(node.body, item, scopes, out, run)
    } catch (signal) {
      if (signal === BREAK) break
      if (signal !== CONTINUE) throw signal
    } finally {
      scopes.pop()
    }
  }
}

function rangeEntries(value: unknown): [unknown, unknown][] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.map((v, i) => [i, v])
  if (value instanceof GoMap) return value.sortedEntries()
  if (typeof value === 'number' && Number.isInteger(value)) return Array.from({ length: Math.max(0, value) }, (_, i) => [i, i])
  throw new TemplateError(`range can't iterate over ${formatValue(value)}`)
}

function evalPipe(pipe: Pipe, dot: unknown, scopes: Map<string, unknown>[], run: Run): unknown {
  let value: unknown
  let piped = false
  for (const cmd of pipe.cmds) {
    value = evalCommand(cmd, dot, scopes, piped ? [value] : [], run)
    piped = true
  }
  if (pipe.decl) {
    for (const name of pipe.decl.names) {
      if (pipe.decl.assign) assignVar(scopes, name, value)
      else scopes[scopes.length - 1]!.set(name, value)
    }
  }
  return value
}

function evalCommand(cmd: Command, dot: unknown, scopes: Map<string, unknown>[], piped: unknown[], run: Run): unknown {
  const [head, ...args] = cmd
  if (head!.kind === 'func' && !head!.path?.length) {
    const fn = funcOf(head!.name, run)
    return fn(...args.map((a) => evalOperand(a, dot, scopes, run)), ...piped)
  }
  if (args.length > 0 || piped.length > 0) throw new TemplateError(`can't give arguments to a non-function value`)
  return evalOperand(head!, dot, scopes, run)
}

function funcOf(name: string, run: Run): TemplateFunc {
  const fn = run.funcs.get(name)
  if (!fn) throw new TemplateError(`function "${name}" is not supported in ${run.context}`)
  return fn
}

function evalOperand(op: Operand, dot: unknown, scopes: Map<string, unknown>[], run: Run): unknown {
  switch (op.kind) {
    case 'lit':
      return op.value
    case 'func':
      return walkPath(funcOf(op.name, run)(), op.path ?? [], run)
    case 'pipe':
      return walkPath(evalPipe(op.pipe, dot, scopes, run), op.path, run)
    case 'field':
      return walkPath(op.base === 'dot' ? dot : lookupVar(scopes, op.base), op.path, run)
  }
}

function walkPath(start: unknown, path: string[], run: Run): unknown {
  let v = start
  for (const name of path) {
    if (v instanceof GoMap) {
      if (run.missingKeyError && !v.has(name)) throw new TemplateError(`map has no entry for key "${name}"`)
      v = v.lookup(name)
    } else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      if (!Object.hasOwn(v, name)) throw new TemplateError(`can't evaluate field ${name}`)
      v = (v as Record<string, unknown>)[name]
    } else throw new TemplateError(`can't evaluate field ${name} in ${v === undefined || v === null ? 'a nil value' : `type ${typeof v}`}`)
  }
  return v
}

function lookupVar(scopes: Map<string, unknown>[], name: string): unknown {
  for (let i = scopes.length - 1; i >= 0; i--) if (scopes[i]!.has(name)) return scopes[i]!.get(name)
  throw new TemplateError(`undefined variable: ${name}`)
}

function assignVar(scopes: Map<string, unknown>[], name: string, value: unknown): void {
  for (let i = scopes.length - 1; i >= 0; i--) {
    if (scopes[i]!.has(name)) {
      scopes[i]!.set(name, value)
      return
    }
  }
  throw new TemplateError(`undefined variable: ${name}`)
}

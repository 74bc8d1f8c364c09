import { FUNCS } from './funcs.js'
import { parseTemplate, TemplateError, type Command, type Operand, type Pipe, type TemplateNode } from './parse.js'
import { formatValue, isTruthy, GoMap } from './values.js'

const BREAK = Symbol('break')
const CONTINUE = Symbol('continue')

/**
 * Renders a Go text/template (the subset parse.ts reads) against `data`. Go maps are GoMap
 * instances (ranged in key order, missing keys read as the map's zero value); plain objects
 * are structs (an unknown field is an error, as Go reports it). Throws TemplateError.
 */
export function renderTemplate(src: string, data: unknown): string {
  const nodes = parseTemplate(src)
  const out: string[] = []
  const scopes: Map<string, unknown>[] = [new Map([['$', data]])]
  runList(nodes, data, scopes, out)
  return out.join('')
}

function runList(nodes: TemplateNode[], dot: unknown, scopes: Map<string, unknown>[], out: string[]): void {
  for (const node of nodes) runNode(node, dot, scopes, out)
}

function runNode(node: TemplateNode, dot: unknown, scopes: Map<string, unknown>[], out: string[]): void {
  switch (node.type) {
    case 'text':
      out.push(node.text)
      return
    case 'action': {
      const v = evalPipe(node.pipe, dot, scopes)
      if (!node.pipe.decl) out.push(formatValue(v))
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
        const v = evalPipe(node.pipe, dot, scopes)
        if (isTruthy(v)) runList(node.body, node.type === 'with' ? v : dot, scopes, out)
        else runList(node.else, dot, scopes, out)
      } finally {
        scopes.pop()
      }
      return
    }
    case 'range':
      runRange(node, dot, scopes, out)
  }
}

function runRange(node: Extract<TemplateNode, { type: 'range' }>, dot: unknown, scopes: Map<string, unknown>[], out: string[]): void {
  const value = evalPipe({ cmds: node.pipe.cmds }, dot, scopes)
  const entries = rangeEntries(value)
  if (entries.length === 0) {
    runList(node.else, dot, scopes, out)
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
      runList(node.body, item, scopes, out)
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

function evalPipe(pipe: Pipe, dot: unknown, scopes: Map<string, unknown>[]): unknown {
  let value: unknown
  let piped = false
  for (const cmd of pipe.cmds) {
    value = evalCommand(cmd, dot, scopes, piped ? [value] : [])
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

function evalCommand(cmd: Command, dot: unknown, scopes: Map<string, unknown>[], piped: unknown[]): unknown {
  const [head, ...args] = cmd
  if (head!.kind === 'func') {
    const fn = FUNCS[head!.name]
    if (!fn) throw new TemplateError(`function "${head!.name}" is not supported in commit message templates`)
    return fn(...args.map((a) => evalOperand(a, dot, scopes)), ...piped)
  }
  if (args.length > 0 || piped.length > 0) throw new TemplateError(`can't give arguments to a non-function value`)
  return evalOperand(head!, dot, scopes)
}

function evalOperand(op: Operand, dot: unknown, scopes: Map<string, unknown>[]): unknown {
  switch (op.kind) {
    case 'lit':
      return op.value
    case 'func': {
      const fn = FUNCS[op.name]
      if (!fn) throw new TemplateError(`function "${op.name}" is not supported in commit message templates`)
      return fn()
    }
    case 'pipe':
      return walkPath(evalPipe(op.pipe, dot, scopes), op.path)
    case 'field':
      return walkPath(op.base === 'dot' ? dot : lookupVar(scopes, op.base), op.path)
  }
}

function walkPath(start: unknown, path: string[]): unknown {
  let v = start
  for (const name of path) {
    if (v instanceof GoMap) v = v.lookup(name)
    else if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
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

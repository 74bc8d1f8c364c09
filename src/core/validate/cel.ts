import { Environment, type ParseResult } from '@marcbachmann/cel-js'
import { isJsonObject, type JsonValue } from '../model/object.js'
import type { Schema, SchemaRule } from './types.js'

/**
 * `x-kubernetes-validations` rules are CEL; @marcbachmann/cel-js evaluates them (a CEL
 * interpreter is far more than this project should own). Only what the API server would decide
 * the same way is reported: a rule that does not parse, calls a Kubernetes CEL library this
 * evaluator lacks, or fails to evaluate is not judged.
 */
const env = new Environment({ homogeneousAggregateLiterals: false, limits: { maxAstNodes: 2000, maxDepth: 64 } }).registerVariable('self', 'dyn')

const compiled = new Map<string, ParseResult | null>()
const CACHE_LIMIT = 2000

/** Values larger than this (as JSON) are not evaluated: a rule over them could run for long. */
export const RULE_VALUE_BUDGET = 64 * 1024

/** The outcome of one rule on one value. */
export type RuleOutcome = 'pass' | 'fail' | 'not-judged' | 'over-budget'

function compile(rule: string): ParseResult | null {
  let fn = compiled.get(rule)
  if (fn !== undefined) return fn
  if (compiled.size >= CACHE_LIMIT) compiled.clear()
  try {
    fn = env.parse(rule)
  } catch {
    fn = null
  }
  compiled.set(rule, fn)
  return fn
}

/**
 * Rules from a pull request's CRDs that this evaluator could not judge as the API server does:
 * a transition rule (needs the live object), or a regex (`matches`, `find`), which would run
 * with JavaScript rather than RE2 semantics.
 */
function unsafe(rule: string): boolean {
  return /\boldSelf\b|\bmatches\s*\(|\bfind(All)?\s*\(/.test(rule)
}

/** CEL sees integer fields as int (JSON numbers would be doubles). */
function celValue(v: JsonValue, schema: Schema | undefined): unknown {
  if (typeof v === 'number' && Number.isInteger(v) && (schema?.type === 'integer' || schema?.intOrString)) return BigInt(v)
  if (Array.isArray(v)) return v.map((x) => celValue(x, schema?.items))
  if (isJsonObject(v)) {
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const [k, x] of Object.entries(v)) {
      const sub = schema?.properties?.[k] ?? (typeof schema?.additionalProperties === 'object' ? schema.additionalProperties : undefined)
      out[k] = celValue(x, sub)
    }
    return out
  }
  return v
}

/** Evaluates one rule with `self` bound to `value` (which `schema` describes). */
export function evaluateRule(rule: SchemaRule, value: JsonValue, schema: Schema): RuleOutcome {
  if (schema.untrustedRules && unsafe(rule.rule)) return 'not-judged'
  // A transition rule only runs on update, against the live object, which a render does not have.
  if (/\boldSelf\b/.test(rule.rule)) return 'not-judged'
  const fn = compile(rule.rule)
  if (!fn) return 'not-judged'
  if (JSON.stringify(value).length > RULE_VALUE_BUDGET) return 'over-budget'
  try {
    const result: unknown = fn({ self: celValue(value, schema) })
    return result === true ? 'pass' : result === false ? 'fail' : 'not-judged'
  } catch {
    return 'not-judged'
  }
}

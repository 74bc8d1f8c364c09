export { evaluateGate } from './evaluate.js'
export { parseGateConfig, defaultGateConfig } from './config.js'
export { GATE_RULES, GATE_RULE_IDS } from './registry.js'
export type { Approval, Finding, GateConfig, GateInput, GateRule, PolicyLevel, RuleContext, RuleHit, Verdict } from './types.js'

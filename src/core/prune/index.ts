export * from './plan-prune.js'
export * from './prune-rules.js'
export * from './high-risk.js'
export * from './cascade.js'

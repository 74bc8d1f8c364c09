// One masking policy (what counts as secret: policy.ts) and one way to show it (markers.ts,
// Redactor, the pair/change/object maskers). Every output path goes through this module.
export * from './markers.js'
export * from './redactor.js'
export * from './policy.js'
export * from './mask-secret.js'
export * from './mask-change.js'
export * from './mask-object.js'
export * from './mask-plan.js'

export * from './redactor.js'
export * from './secret-values.js'
export * from './mask-secret.js'
export * from './mask-change.js'

export * from './live-diff.js'
export * from './live-normalize.js'
export * from './inventory-check.js'

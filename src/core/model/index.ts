export * from './object.js'
export * from './resource-id.js'
export * from './flux-kinds.js'
export * from './render-result.js'

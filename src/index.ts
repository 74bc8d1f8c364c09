// Library façade: the core's entry points and public types. Never the adapters.
export * from './core/model/index.js'
export * from './core/diagnostics/index.js'
export type * from './ports/index.js'

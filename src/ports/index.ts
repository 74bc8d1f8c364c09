export type * from './file-tree.js'
export type * from './logger.js'
export type * from './registry.js'
export type * from './helm.js'

export type * from './file-tree.js'
export type * from './logger.js'

import type { Logger } from '../ports/logger.js'

/** A logger that drops everything (library use, tests). */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
})

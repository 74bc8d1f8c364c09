import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './io.js'

/**
 * node:util `parseArgs`, with its errors (unknown option, missing value) turned into usage
 * errors, so every command exits 2 with the same hint.
 */
export function parseOptions<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config)
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
}

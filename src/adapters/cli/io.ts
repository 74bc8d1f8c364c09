import type { ParseArgsConfig } from 'node:util'

/** What a CLI command may touch besides its arguments: its output streams and environment. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  cwd: string
  /** True when stdout is a terminal (colour allowed unless NO_COLOR is set). */
  isTty: boolean
  /** True when stderr is a terminal: progress is shown there on long runs. */
  stderrIsTty?: boolean
}

/** Exit codes every command follows: 0 success, 1 the work failed (render errors...), 2 usage. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 })

/** A usage error: the command prints its message and help hint and exits 2. */
export class UsageError extends Error {
  readonly code = 'usage'
}

/** A command's options as node:util parseArgs takes them. */
export type CliOptions = NonNullable<ParseArgsConfig['options']>

/** A CLI subcommand: parses its own argv and returns an exit code. */
export interface CliCommand {
  name: string
  summary: string
  usage: string
  /** Every option the command parses; its usage lists each one (test/render/cli-help.test.ts checks it). */
  options: CliOptions
  run(argv: string[], io: CliIo): Promise<number>
}

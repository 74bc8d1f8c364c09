/** What a CLI command may touch besides its arguments: its output streams and environment. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: Record<string, string | undefined>
  cwd: string
  /** True when stdout is a terminal (colour allowed unless NO_COLOR is set). */
  isTty: boolean
}

/** Exit codes every command follows: 0 success, 1 the work failed (render errors...), 2 usage. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2 })

/** A usage error: the command prints its message and help hint and exits 2. */
export class UsageError extends Error {
  readonly code = 'usage'
}

/** A CLI subcommand: parses its own argv and returns an exit code. */
export interface CliCommand {
  name: string
  summary: string
  usage: string
  run(argv: string[], io: CliIo): Promise<number>
}

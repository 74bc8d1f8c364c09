/** Where progress goes: stderr for the CLI, @actions/core for the Action, probot's log for the App. */
export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

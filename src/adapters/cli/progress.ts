import type { CliIo } from './io.js'

/** A run shorter than this shows no progress at all. */
export const PROGRESS_AFTER_MS = 1000

/**
 * Progress on stderr for a person at a terminal: nothing for a run that ends within a second,
 * then one line, rewritten in place, saying which step runs and for how long. Nothing at all
 * when stderr is not a terminal (a pipe, a CI log) or TERM is dumb. `done()` clears the line,
 * so the report that follows starts on a clean line.
 */
export class Progress {
  private step = ''
  private readonly started = Date.now()
  private shown = false
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(private readonly io: CliIo) {
    if (!io.stderrIsTty || io.env['TERM'] === 'dumb') return
    this.timer = setInterval(() => this.draw(), 250)
    this.timer.unref()
  }

  /** The step now running (`rendering head feature`). */
  update = (step: string): void => {
    this.step = step
    this.draw()
  }

  done(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    if (this.shown) this.io.stderr('\r\u001b[K')
    this.shown = false
  }

  private draw(): void {
    const elapsed = Date.now() - this.started
    if (!this.timer || !this.step || elapsed < PROGRESS_AFTER_MS) return
    this.io.stderr(`\r\u001b[Kfluxgate: ${this.step}… ${Math.floor(elapsed / 1000)} s`)
    this.shown = true
  }
}

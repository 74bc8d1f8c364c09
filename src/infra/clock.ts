import type { Clock } from '../ports/clock.js'

/** The process's wall clock and timers. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  after(ms: number, fn: () => void): () => void {
    const timer = setTimeout(fn, ms)
    return () => clearTimeout(timer)
  },
})

/**
 * Time, for the core: it reads no clock and sets no timer itself, so a render or a reconcile
 * wait runs the same under a test's clock as under the process's.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
  /** Calls `fn` once after `ms` milliseconds; the returned function cancels the call. */
  after(ms: number, fn: () => void): () => void
}

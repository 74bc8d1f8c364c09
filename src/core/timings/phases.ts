/**
 * Where a render's time goes (`fluxgate render --timings`, `npm run bench`): the hot paths
 * wrap themselves in `phase(name, fn)`, which costs one check while nobody records. Time is
 * counted once, in the innermost phase (a YAML parse inside substitution counts as parsing),
 * so the phases add up to at most the wall time. Only synchronous code is wrapped: it cannot
 * interleave, so the stack of open phases is exact; helm runs outside the process and is
 * timed apart (`phaseWall`), as wall time that overlaps the rest.
 */

/** One phase of a recorded render. */
export interface PhaseTiming {
  phase: string
  /** Milliseconds spent in this phase itself (not in phases it called). */
  ms: number
  calls: number
  /** Wall time that overlaps the other phases (helm processes running concurrently). */
  concurrent?: boolean
}

interface Frame {
  started: number
  inner: number
}

class PhaseRecorder {
  readonly totals = new Map<string, PhaseTiming>()
  private readonly stack: Frame[] = []

  constructor(readonly now: () => number) {}

  run<T>(name: string, fn: () => T): T {
    const frame: Frame = { started: this.now(), inner: 0 }
    this.stack.push(frame)
    try {
      return fn()
    } finally {
      this.stack.pop()
      const elapsed = this.now() - frame.started
      const parent = this.stack[this.stack.length - 1]
      if (parent) parent.inner += elapsed
      this.add(name, elapsed - frame.inner, false)
    }
  }

  add(name: string, ms: number, concurrent: boolean, calls = 1): void {
    const t = this.totals.get(name) ?? { phase: name, ms: 0, calls: 0, ...(concurrent ? { concurrent } : {}) }
    t.ms += ms
    t.calls += calls
    this.totals.set(name, t)
  }
}

let recorder: PhaseRecorder | undefined

/** Runs `fn` as part of phase `name` (only timed while a recording runs). */
export function phase<T>(name: string, fn: () => T): T {
  return recorder ? recorder.run(name, fn) : fn()
}

/** `fn` wrapped as phase `name`. */
export function timed<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => (recorder ? recorder.run(name, () => fn(...args)) : fn(...args))
}

/** Times an asynchronous step that runs outside this process (helm), as overlapping wall time. */
export async function phaseWall<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const r = recorder
  if (!r) return fn()
  const started = r.now()
  try {
    return await fn()
  } finally {
    r.add(name, r.now() - started, true)
  }
}

/**
 * Starts recording phases with `now` (milliseconds). One recording at a time: the render
 * under measurement is the only one in the process (the CLI, the benchmark).
 */
export function recordPhases(now: () => number): { stop(): PhaseTiming[] } {
  const mine = new PhaseRecorder(now)
  recorder = mine
  return {
    stop: () => {
      if (recorder === mine) recorder = undefined
      return [...mine.totals.values()].sort((a, b) => b.ms - a.ms)
    },
  }
}

/** Whether a recording runs (a render then asks its other threads for their phases). */
export function recordingPhases(): boolean {
  return recorder !== undefined
}

/**
 * Adds phases timed in another thread to the recording. Threads run side by side, so with
 * them the phases add up to more than the wall time: the sum is CPU time across threads.
 */
export function addPhases(timings: readonly PhaseTiming[]): void {
  for (const t of timings) recorder?.add(t.phase, t.ms, t.concurrent === true, t.calls)
}

import type { Clock } from '../../ports/clock.js'
import type { ClusterClient, ObjectRef, WatchSubscription } from '../../ports/cluster.js'
import type { KubeObject } from '../model/object.js'
import type { Judge, Verdict } from './verdicts.js'

/** How one wait ended: a verdict, a time-out, or the object vanished. */
export type WaitResult =
  | { state: 'verdict'; verdict: Verdict; object: KubeObject }
  | { state: 'timed-out'; last?: KubeObject }
  | { state: 'not-found' }

/** Options of one wait. */
export interface WaitOptions {
  timeoutMs: number
  /** Poll interval after the watch broke. */
  pollMs: number
  /** Told when the watch breaks and polling takes over (for logs). */
  onFallback?: (reason: string) => void
  /** Sets the deadline and poll timers. */
  clock: Clock
}

/**
 * Waits until `judge` gives a verdict on the object:
 * 1. watch the object (a watch starts with the current state, so nothing is missed);
 * 2. if the watch ends before a verdict (API server restart, proxy timeout, error), poll with
 *    GET every `pollMs` instead;
 * 3. give up at `timeoutMs` with the last state seen.
 * A DELETED event or a 404 while polling ends the wait as `not-found`.
 */
export function waitFor(cluster: ClusterClient, ref: ObjectRef, judge: Judge, opts: WaitOptions): Promise<WaitResult> {
  return new Promise<WaitResult>((resolve) => {
    let last: KubeObject | undefined
    let finished = false
    let sub: WatchSubscription | undefined
    let cancelPoll: (() => void) | undefined
    const finish = (r: WaitResult): void => {
      if (finished) return
      finished = true
      cancelDeadline()
      cancelPoll?.()
      sub?.stop()
      resolve(r)
    }
    const see = (obj: KubeObject | undefined): void => {
      if (finished) return
      if (!obj) return finish({ state: 'not-found' })
      last = obj
      const verdict = judge(obj)
      if (verdict) finish({ state: 'verdict', verdict, object: obj })
    }
    const poll = async (): Promise<void> => {
      if (finished) return
      try {
        see(await cluster.get(ref))
      } catch {
        // A failed poll is retried until the deadline; the time-out reports the last state.
      }
      if (!finished) cancelPoll = opts.clock.after(opts.pollMs, () => void poll())
    }
    const cancelDeadline = opts.clock.after(opts.timeoutMs, () => finish({ state: 'timed-out', ...(last ? { last } : {}) }))
    cluster
      .watch(ref, (e) => (e.type === 'DELETED' ? see(undefined) : e.type === 'ADDED' || e.type === 'MODIFIED' ? see(e.object) : undefined))
      .then((s) => {
        sub = s
        if (finished) s.stop()
        return s.ended
      })
      .then((err) => {
        if (finished) return
        opts.onFallback?.(err ? err.message : 'the watch was closed')
        void poll()
      })
      .catch((err: unknown) => {
        opts.onFallback?.(err instanceof Error ? err.message : String(err))
        void poll()
      })
  })
}

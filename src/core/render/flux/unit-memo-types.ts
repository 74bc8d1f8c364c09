import type { RenderCache } from '../../../ports/render-cache.js'
import type { VolatileRecords } from './volatile-records.js'

/** Options of a UnitMemo. */
export interface UnitMemoOptions {
  /** Where records outlive this memo (between runs); units that touch a Secret never go there. */
  store?: RenderCache
  /** Read records from the store, never write any (an untrusted change). */
  readOnly?: boolean
  /**
   * false: one render, where no unit is asked for twice: no result is kept, except a release
   * rendered ahead of its turn, until its turn (a 10,000-Kustomization render peaked about
   * 240 MiB higher when every result was kept). Default true: a plan asks again for the head.
   */
  retain?: boolean
  /**
   * Where records of units that read or hold a Secret outlive this memo, in memory only (a
   * warm plan worker's, for the same repository's next plan); written unless `readOnly`.
   */
  volatile?: VolatileRecords
}

/** How a memo of another thread is made like this one (UnitMemo.threadMode). */
export interface ThreadMemo {
  mode: 'once' | 'retain'
  store?: { handle: unknown; readOnly: boolean }
}

/** How a UnitMemo fared, for `--timings` and the benchmark. */
export interface UnitMemoStats {
  /** Units rendered. */
  rendered: number
  /** Units whose earlier render was reused (every question answered the same). */
  reused: number
  /** Of the reused, those read back from the RenderCache. */
  fromCache: number
  /** Records written to the RenderCache. */
  stored: number
  /** Units that cannot be reused: a HelmRelease of a remote chart. */
  uncacheable: number
  /** Trees whose whole render was reused (a FleetMemo's): none of their units is counted above. */
  wholeTrees?: number
  /** Cluster walks reused whole (a ClusterMemo's): none of their units is counted above. */
  wholeClusters?: number
}

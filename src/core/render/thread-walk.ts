import type { FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { RenderCache } from '../../ports/render-cache.js'
import type { ClusterEntry } from '../load/clusters.js'
import type { ClusterRender } from '../model/render-result.js'
import { recordPhases, type PhaseTiming } from '../timings/phases.js'
import { UnitMemo } from './flux/unit-memo.js'
import type { ThreadMemo, UnitMemoStats } from './flux/unit-memo-types.js'
import { renderClusters, type WalkOptions } from './flux/walker.js'
import { DeclaredValues } from './values/creators.js'

/**
 * The walks of one cluster that renderFleets hands to another thread (ports/threads.ts): one
 * per tree that has the cluster (`tree` indexes the trees given with the task), in order.
 * Data only: the thread reads its own copy of the trees and answers with each walk's clusters.
 * `memo` says how the task's UnitMemo behaves, as the caller's own would: none, one that keeps
 * nothing beyond a release rendered ahead (`once`, a single render), or one that keeps every
 * record for the next walk (`retain`: the head of a plan reuses its base's units); with the
 * caller's RenderCache opened in that thread, read-only when the caller's is.
 */
export interface WalkTask {
  kind: 'fluxgate/walk'
  walks: { tree: number; entry: ClusterEntry; opts: Omit<WalkOptions, 'units'> }[]
  /** The memo to walk with (UnitMemo.threadMode of the caller's), none without. */
  memo?: ThreadMemo
  /** Whether to time the phases (`--timings`). */
  timings: boolean
}

/** What a thread answers to a WalkTask. */
export interface WalkAnswer {
  /** Each walk's clusters, in the task's order. */
  clusters: ClusterRender[][]
  /** How the task's memo fared. */
  units?: UnitMemoStats
  /** Phases timed in that thread (the last task of a batch that ran side by side carries them all). */
  phases?: PhaseTiming[]
}

export function isWalkAnswer(v: unknown): v is WalkAnswer {
  return typeof v === 'object' && v !== null && Array.isArray((v as { clusters?: unknown }).clusters)
}

export function isWalkTask(v: unknown): v is WalkTask {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'fluxgate/walk' && Array.isArray((v as { walks?: unknown }).walks)
}

/**
 * The receiving side, one per thread: runs WalkTasks, each with a memo of its own that ends
 * with it (the walks that share units are in one task). Answering all walks of a cluster in
 * one message keeps what they share shared on the other side (the structured-clone algorithm
 * copies an object once per message): a head's reused units are the base's objects there too.
 */
export class ThreadWalks {
  private readonly declared = new WeakMap<FileTree, DeclaredValues>()
  private running = 0
  private recording: { stop(): PhaseTiming[] } | undefined

  /** `openStore`: a RenderCache of this thread from another thread's `threadHandle` (undefined: none). */
  constructor(
    private readonly now: () => number,
    private readonly openStore: (handle: unknown) => RenderCache | undefined = () => undefined,
  ) {}

  /** Runs a task's walks; `helm` is the runner the caller gave with it, and none runs without one. */
  async run(trees: readonly FileTree[], task: WalkTask, helm: HelmRunner | undefined): Promise<WalkAnswer> {
    const memo = task.memo
    // A store that does not open here only costs time: the walk renders what it would have read.
    const store = memo?.store ? this.openStore(memo.store.handle) : undefined
    const units = memo ? new UnitMemo({ ...(memo.mode === 'once' ? { retain: false } : {}), ...(store ? { store, readOnly: memo.store!.readOnly } : {}) }) : undefined
    if (task.timings && this.running === 0) this.recording = recordPhases(this.now)
    this.running++
    const clusters: ClusterRender[][] = []
    try {
      for (const w of task.walks) {
        const tree = trees[w.tree]
        if (!tree) throw new Error('a walk names a tree the task was not given')
        let declared = this.declared.get(tree)
        if (!declared) this.declared.set(tree, (declared = new DeclaredValues(tree)))
        clusters.push(await renderClusters(tree, w.entry, { ...w.opts, ...(units ? { units } : {}) }, helm, declared))
      }
    } finally {
      this.running--
      // Records the walks wrote are kept before the answer: the caller may prune right after it.
      await store?.settled?.()
    }
    const phases = this.phases()
    return { clusters, ...(units ? { units: { ...units.stats } } : {}), ...(phases ? { phases } : {}) }
  }

  /** Phases timed since the first of the tasks running now, once the last has ended. */
  private phases(): PhaseTiming[] | undefined {
    if (this.running > 0 || !this.recording) return undefined
    const out = this.recording.stop()
    this.recording = undefined
    return out
  }
}

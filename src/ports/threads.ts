import type { FileTree } from './file-tree.js'
import type { HelmRunner } from './helm.js'

/**
 * Other threads of this process, for work that pays to spread over the machine's cores (the
 * clusters of a fleet render). A task is data the core made and only the core reads (the
 * thread hands it to the core's runner there), so this port knows nothing of its shape; its
 * answer comes back as the structured-clone algorithm copies it (Maps and shared objects kept).
 */
export interface ThreadPool {
  /** Threads that run tasks side by side. */
  readonly size: number
  /**
   * Runs `task` with `trees` in another thread; the task names them by their index. Tasks are
   * spread over the threads by `affinity` (distinct ones in turn). undefined when a tree
   * cannot be handed to another thread (only trees held in memory can): the caller then runs
   * the task itself. Rejects when the thread fails. The task may run `helm` (in this thread,
   * asked by message), and no other: without one it runs none.
   */
  run(trees: readonly FileTree[], affinity: string, task: unknown, helm?: HelmRunner): Promise<unknown> | undefined
}

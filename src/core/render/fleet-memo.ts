import type { FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import { frozen } from '../model/frozen.js'
import type { FleetRender } from '../model/render-result.js'
import { identityOf } from '../tree/tree-delta.js'

/**
 * Whole fleet renders kept by everything they are a function of, for a process that plans the
 * same repository again (the App's warm plan worker): the tree's name (a Git tree id names
 * every path and byte), every render option, and the helm that templated its charts. A pull
 * request's next push has the same merge base, and a review asked again (a label, a re-run
 * check) has the same two trees: those sides are not walked again.
 *
 * Unlike a unit's record, which a read-set guards, nothing here depends on which questions a
 * render asked: a change of any byte is another tree, so a render made for an untrusted change
 * is as right as any other. A render that fetched a chart from a registry is never kept (what
 * a registry answers is not in the tree), nor one whose helm cannot name itself. Renders are
 * frozen to the leaves when kept: every later plan shares them.
 */
export class FleetMemo {
  private readonly kept = new Map<string, FleetRender>()

  /** `max`: fleets kept, the least recently used let go first (a plan's base and head, and the plan's before). */
  constructor(private readonly max = 4) {}

  /** The key of a tree's render with these options (RenderOptions) and helm; undefined when it cannot be kept. */
  keyOf(tree: FileTree, opts: object, helm: HelmRunner | undefined): string | undefined {
    const id = identityOf(tree)
    if (id === undefined || (helm && !helm.cacheIdentity)) return undefined
    // Maps (sources, cluster names, supplied values) as their entries: JSON would drop them.
    return JSON.stringify([id, helm?.cacheIdentity ?? '', opts], (_k, v: unknown) => (v instanceof Map ? [...(v as Map<unknown, unknown>)] : v))
  }

  get(key: string): FleetRender | undefined {
    const fleet = this.kept.get(key)
    if (fleet) {
      this.kept.delete(key)
      this.kept.set(key, fleet)
    }
    return fleet
  }

  /** Keeps a render (frozen here: the caller must not change it afterwards either). */
  set(key: string, fleet: FleetRender): void {
    this.kept.delete(key)
    this.kept.set(key, frozen(fleet))
    while (this.kept.size > this.max) this.kept.delete(this.kept.keys().next().value as string)
  }

  /** Fleets kept now. */
  get size(): number {
    return this.kept.size
  }
}

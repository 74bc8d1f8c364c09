import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import type { KubeObject } from '../../model/object.js'
import { ownerKey, type OwnerRef } from '../../model/render-result.js'
import { ownerRefOf, type OwnerState } from './owners.js'

/**
 * The owners of one cluster walk (Flux Kustomizations, HelmReleases, ResourceSets), keyed by
 * the cluster whose controllers reconcile them (their home) and `Kind/namespace/name`, with
 * the parent that applied each and the order their renders started in.
 */
export class OwnerGraph {
  private readonly byKey = new Map<string, OwnerState>()
  private readonly parentOf = new Map<OwnerState, OwnerState>()
  /**
   * Owners not yet rendered, in the order they were found. Kept as they come and go: listing
   * them from every owner at each step of the walk made a walk of n owners cost n² (a second
   * of the 10,000-Kustomization render).
   */
  private readonly waiting = new Set<OwnerState>()
  /** Owners in the order their renders started. */
  readonly order: OwnerState[] = []

  constructor(entry: OwnerState) {
    this.byKey.set(keyOf(entry.home, entry.ref), entry)
    this.waiting.add(entry)
  }

  /** The owner `ref` names in the cluster `s` is reconciled in (dependsOn). */
  find(s: OwnerState, ref: OwnerRef): OwnerState | undefined {
    return this.byKey.get(keyOf(s.home, ref))
  }

  /** Owners not yet rendered, in the order they were found (read it before the next start). */
  pending(): ReadonlySet<OwnerState> {
    return this.waiting
  }

  start(s: OwnerState): void {
    s.done = true
    this.waiting.delete(s)
    this.order.push(s)
  }

  /** `s`, its parent, and so on up to the entry. */
  ancestors(s: OwnerState): OwnerState[] {
    const out: OwnerState[] = []
    let cur: OwnerState | undefined = s
    while (cur && !out.includes(cur)) {
      out.push(cur)
      cur = this.parentOf.get(cur)
    }
    return out
  }

  /** The owner of `ref` whose home is `home`, if one was added. */
  get(home: string, ref: OwnerRef): OwnerState | undefined {
    return this.byKey.get(keyOf(home, ref))
  }

  /**
   * A Flux object `parent` applies: a new owner reconciled where the parent's objects land
   * (`targetOf` says where its own go), unless it is known already. Returns the problem when
   * it is (a cycle, or two parents declaring it), reported in `cluster` (the parent's).
   */
  addChild(obj: KubeObject, parent: OwnerState, location: SourceLocation | undefined, targetOf: (obj: KubeObject, home: string) => string, cluster: string): Diagnostic | undefined {
    const ref = ownerRefOf(obj)
    if (!ref) return undefined
    const home = parent.target
    const key = keyOf(home, ref)
    const existing = this.byKey.get(key)
    if (!existing) {
      const child: OwnerState = { ref, object: obj, parent: parent.ref, done: false, home, target: targetOf(obj, home), ...(location ? { location } : {}) }
      this.byKey.set(key, child)
      this.waiting.add(child)
      this.parentOf.set(child, parent)
      return undefined
    }
    if (existing === parent) {
      // An owner that applies its own object (the root in the folder it syncs, whatever its
      // name): legal and common, not a cycle. What it applies is what Flux reads next.
      parent.object = obj
      if (location) parent.location = location
      return undefined
    }
    const chain = this.ancestors(parent)
    const cycle = chain.includes(existing)
    const path = [...chain.slice(0, chain.indexOf(existing) + 1).reverse().map((a) => ownerKey(a.ref)), ownerKey(ref)].join(' → ')
    return {
      code: cycle ? 'render/cycle' : 'render/duplicate-owner',
      severity: cycle ? 'error' : 'warning',
      message: cycle
        ? `${ownerKey(ref)} is applied again by its descendant ${ownerKey(parent.ref)}: Kustomization cycle ${path}, not followed`
        : `${ownerKey(ref)} is declared by both ${existing.parent ? ownerKey(existing.parent) : 'the entry'} and ${ownerKey(parent.ref)}; the first one is rendered`,
      cluster,
      owner: ownerKey(parent.ref),
      ...(location ? { location } : {}),
    }
  }
}

function keyOf(home: string, ref: OwnerRef): string {
  return `${home}|${ownerKey(ref)}`
}

import { groupOf } from '../../model/resource-id.js'
import type { RenderedObject } from '../../model/render-result.js'
import type { Placed } from './walk-support.js'

/**
 * Every object a cluster walk has placed so far, with the cluster it lands in (a walk key),
 * indexed by kind and name for what later owners look up (value sources, Flux sources, CRDs).
 * An owner whose render fails takes its objects back out, from the index too.
 */
export class PlacedObjects {
  private readonly list: Placed[] = []
  private readonly keys: string[] = []
  private readonly byName = new Map<string, RenderedObject[]>()
  // Every unit asks for its cluster's CRDs and FluxInstances, and value sources for their
  // cluster's objects: scanning everything placed for each made a walk quadratic in the fleet.
  private readonly byTarget = new Map<string, RenderedObject[]>()
  /** By target, then kind (nested: a key made of both was a string built for each object placed). */
  private readonly byKind = new Map<string, Map<string, RenderedObject[]>>()

  /** Everything placed, in order. */
  get all(): readonly Placed[] {
    return this.list
  }

  /** How many objects are placed: a mark to roll back to. */
  get mark(): number {
    return this.list.length
  }

  add(r: RenderedObject, target: string): void {
    const key = `${target}|${r.object.kind}/${r.object.metadata.name}`
    this.list.push({ r, target })
    this.keys.push(key)
    push(this.byName, key, r)
    push(this.byTarget, target, r)
    let kinds = this.byKind.get(target)
    if (!kinds) this.byKind.set(target, (kinds = new Map()))
    push(kinds, r.object.kind, r)
  }

  /** Takes out everything placed after `mark`. */
  rollback(mark: number): void {
    const gone = this.list.splice(mark)
    const keys = this.keys.splice(mark)
    // Newest first: each is then the last of its target's and its kind's lists.
    for (let i = gone.length - 1; i >= 0; i--) {
      const { r, target } = gone[i]!
      const named = this.byName.get(keys[i]!)
      const at = named ? named.lastIndexOf(r) : -1
      if (at >= 0) named!.splice(at, 1)
      this.byTarget.get(target)?.pop()
      this.byKind.get(target)?.get(r.object.kind)?.pop()
    }
  }

  /** The objects placed in `target`, in order. */
  in(target: string): RenderedObject[] {
    return [...(this.byTarget.get(target) ?? [])]
  }

  /** The objects of one kind placed in `target`, in order. */
  ofKind(target: string, kind: string): readonly RenderedObject[] {
    return this.byKind.get(target)?.get(kind) ?? []
  }

  /** The objects of `kind` in `namespace` of `scope` whose API group passes `group`: one name, or every one. */
  find(group: (g: string) => boolean, kind: string, namespace: string, name: string | undefined, scope: string): RenderedObject[] {
    const pool = name === undefined ? this.ofKind(scope, kind) : (this.byName.get(`${scope}|${kind}/${name}`) ?? [])
    return pool.filter((r) => (r.object.metadata.namespace ?? 'default') === namespace && group(groupOf(r.object.apiVersion)))
  }
}

function push<K>(map: Map<K, RenderedObject[]>, key: K, r: RenderedObject): void {
  const list = map.get(key)
  if (list) list.push(r)
  else map.set(key, [r])
}

import type { KubeObject } from '../../model/object.js'
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
    const named = this.byName.get(key)
    if (named) named.push(r)
    else this.byName.set(key, [r])
  }

  /** Takes out everything placed after `mark`. */
  rollback(mark: number): void {
    const gone = this.list.splice(mark)
    const keys = this.keys.splice(mark)
    gone.forEach(({ r }, i) => {
      const named = this.byName.get(keys[i]!)
      const at = named ? named.lastIndexOf(r) : -1
      if (at >= 0) named!.splice(at, 1)
    })
  }

  /** The objects placed in `target`, in order. */
  in(target: string): RenderedObject[] {
    return this.list.filter((p) => p.target === target).map((p) => p.r)
  }

  /** True when an object placed in `target` passes `test`. */
  some(target: string, test: (o: KubeObject) => boolean): boolean {
    return this.list.some((p) => p.target === target && test(p.r.object))
  }

  /** The objects of `kind` in `namespace` of `scope` whose API group passes `group`: one name, or every one. */
  find(group: (g: string) => boolean, kind: string, namespace: string, name: string | undefined, scope: string): RenderedObject[] {
    const pool = name === undefined ? this.list.filter((p) => p.target === scope && p.r.object.kind === kind).map((p) => p.r) : (this.byName.get(`${scope}|${kind}/${name}`) ?? [])
    return pool.filter((r) => (r.object.metadata.namespace ?? 'default') === namespace && group(groupOf(r.object.apiVersion)))
  }
}

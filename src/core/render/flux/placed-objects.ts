import { groupOf } from '../../model/resource-id.js'
import type { RenderedObject } from '../../model/render-result.js'

/**
 * Objects one owner placed, with the keys the walk looks them up and compares them by: each
 * one's kind and name (`find`), and its identity in a cluster (duplicateObjects). A unit whose
 * render is reused places the block it placed before (unit-placement.ts), keys made once.
 */
export interface PlacedBlock {
  readonly records: readonly RenderedObject[]
  /** `kind\0name` of each record. */
  readonly names: readonly string[]
  /** `group/kind/namespace/name` of each record. */
  readonly ids: readonly string[]
}

export function placedBlock(records: readonly RenderedObject[]): PlacedBlock {
  return {
    records,
    names: records.map((r) => nameKey(r.object.kind, r.object.metadata.name)),
    ids: records.map(({ object: o }) => `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`),
  }
}

const nameKey = (kind: string, name: string): string => `${kind}\0${name}`

/**
 * Every object a cluster walk has placed so far, with the cluster it lands in (a walk key),
 * indexed by kind and name for what later owners look up (value sources, Flux sources, CRDs).
 * An owner whose render fails takes its objects back out, from the index too.
 */
export class PlacedObjects {
  private readonly list: { block: PlacedBlock; target: string }[] = []
  // Every unit asks for its cluster's CRDs and FluxInstances, and value sources for their
  // cluster's objects: scanning everything placed for each made a walk quadratic in the fleet.
  /** By target, then kind (nested: a key made of both was a string built for each object placed). */
  private readonly byKind = new Map<string, Map<string, RenderedObject[]>>()
  /** By target, then `kind\0name`. */
  private readonly byName = new Map<string, Map<string, RenderedObject[]>>()

  /** Everything placed, in order, a block per owner's placing. */
  get blocks(): readonly { block: PlacedBlock; target: string }[] {
    return this.list
  }

  /** How many times objects were placed: a mark to roll back to. */
  get mark(): number {
    return this.list.length
  }

  add(r: RenderedObject, target: string): void {
    this.addBlock(placedBlock([r]), target)
  }

  addBlock(block: PlacedBlock, target: string): void {
    if (block.records.length === 0) return
    this.list.push({ block, target })
    const kinds = inner(this.byKind, target)
    const names = inner(this.byName, target)
    for (let i = 0; i < block.records.length; i++) {
      const r = block.records[i]!
      push(kinds, r.object.kind, r)
      push(names, block.names[i]!, r)
    }
  }

  /** Takes out everything placed after `mark`. */
  rollback(mark: number): void {
    const gone = this.list.splice(mark)
    // Newest first: each is then the last of its kind's list.
    for (let b = gone.length - 1; b >= 0; b--) {
      const { block, target } = gone[b]!
      for (let i = block.records.length - 1; i >= 0; i--) {
        const r = block.records[i]!
        const named = this.byName.get(target)?.get(block.names[i]!)
        const at = named ? named.lastIndexOf(r) : -1
        if (at >= 0) named!.splice(at, 1)
        this.byKind.get(target)?.get(r.object.kind)?.pop()
      }
    }
  }

  /** The objects placed in `target`, in order. */
  in(target: string): RenderedObject[] {
    const out: RenderedObject[] = []
    for (const { block, target: t } of this.list) if (t === target) for (const r of block.records) out.push(r)
    return out
  }

  /** The objects of one kind placed in `target`, in order. */
  ofKind(target: string, kind: string): readonly RenderedObject[] {
    return this.byKind.get(target)?.get(kind) ?? []
  }

  /** The objects of `kind` in `namespace` of `scope` whose API group passes `group`: one name, or every one. */
  find(group: (g: string) => boolean, kind: string, namespace: string, name: string | undefined, scope: string): RenderedObject[] {
    const pool = name === undefined ? this.ofKind(scope, kind) : (this.byName.get(scope)?.get(nameKey(kind, name)) ?? [])
    return pool.filter((r) => (r.object.metadata.namespace ?? 'default') === namespace && group(groupOf(r.object.apiVersion)))
  }
}

function inner<V>(map: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = map.get(key)
  if (!m) map.set(key, (m = new Map()))
  return m
}

function push<K>(map: Map<K, RenderedObject[]>, key: K, r: RenderedObject): void {
  const list = map.get(key)
  if (list) list.push(r)
  else map.set(key, [r])
}

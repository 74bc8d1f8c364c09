import { isJsonObject } from '../model/object.js'
import type { ObjectChange } from '../model/plan.js'
import type { RenderedObject } from '../model/render-result.js'
import { displayId, idKey, resourceIdOf } from '../model/resource-id.js'

/** A deleted Namespace or CRD and the objects it takes with it. */
export interface Cascade {
  /** `Namespace/apps` or `CustomResourceDefinition/widgets.example.com`. */
  root: string
  /** idKeys of objects still in head that the deletion removes anyway. */
  survivors: string[]
}

/**
 * Applies P-12: deleting a Namespace deletes everything in it, deleting a CRD deletes every
 * object of that kind, whatever P-8/P-9 say about those objects. Removed objects caught by a
 * cascade turn into deletions (their reason says which root took them); objects still in
 * head are returned as survivors so the plan can warn. Mutates `removed` in place.
 */
export function applyCascades(removed: ObjectChange[], baseObjects: readonly RenderedObject[], headKeys: ReadonlySet<string>): Cascade[] {
  const cascades: Cascade[] = []
  for (const root of removed) {
    if (root.prune !== 'delete') continue
    const matches = cascadeMatcher(root)
    if (!matches) continue
    const label = displayId(root.id)
    const survivors: string[] = []
    for (const r of baseObjects) {
      const id = resourceIdOf(r.object)
      if (!matches(r) || idKey(id) === idKey(root.id)) continue
      const key = idKey(id)
      if (headKeys.has(key)) survivors.push(key)
    }
    for (const c of removed) {
      if (c === root || c.prune === 'delete' || !matches({ object: c.before ?? { apiVersion: c.apiVersion, kind: c.id.kind, metadata: { name: c.id.name, namespace: c.id.namespace } }, owner: c.owner })) continue
      c.prune = 'delete'
      c.pruneReason = `deleted with ${label} (P-12), although ${c.pruneReason ?? 'kept'}`
    }
    cascades.push({ root: label, survivors })
  }
  return cascades
}

function cascadeMatcher(root: ObjectChange): ((r: RenderedObject) => boolean) | undefined {
  if (root.id.group === '' && root.id.kind === 'Namespace') {
    const ns = root.id.name
    return (r) => (r.object.metadata.namespace ?? '') === ns
  }
  if (root.id.kind === 'CustomResourceDefinition' && root.before) {
    const spec = root.before['spec']
    const names = isJsonObject(spec) ? spec['names'] : undefined
    const group = isJsonObject(spec) ? spec['group'] : undefined
    const kind = isJsonObject(names) ? names['kind'] : undefined
    if (typeof group !== 'string' || typeof kind !== 'string') return undefined
    return (r) => r.object.kind === kind && r.object.apiVersion.startsWith(`${group}/`)
  }
  return undefined
}

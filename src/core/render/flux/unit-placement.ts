import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { frozen } from '../../model/frozen.js'
import type { JsonValue, KubeObject } from '../../model/object.js'
import type { EncryptedObject, OwnerRef, RenderedObject } from '../../model/render-result.js'
import { dataKeys } from '../sops.js'
import type { KustomizationRender } from './kustomization.js'
import { ownerRefOf } from './owners.js'
import { placedBlock, type PlacedBlock } from './placed-objects.js'

/** What a cluster walk places for one Flux Kustomization's render. */
export interface Placement {
  /** Its objects, each with its owner and where the engine read it. */
  block: PlacedBlock
  /** Whole-file SOPS documents, compared by file and never placed as objects. */
  encrypted: readonly EncryptedObject[]
  /** The Flux objects among them (new owners), with where each was read. */
  children: readonly { object: KubeObject; location?: SourceLocation }[]
  /** Variables left as placeholders by postBuild substitution, once each. */
  placeholders: readonly string[]
}

/** Placements of frozen renders, with the owner they were made for. */
const KEPT = new WeakMap<KustomizationRender, { owner: OwnerRef; placement: Placement }>()

/**
 * How the walk places a render for `owner`. A render reused from its record (UnitMemo) is the
 * same frozen object push after push, and so is what it places: its placement is made once
 * and shared (frozen), as the walk's records of its objects then are. Making a record for
 * every object of every unit again was a tenth of a warm replan, and most of what it kept alive.
 */
export function placementOf(r: KustomizationRender, owner: OwnerRef): Placement {
  const reused = Object.isFrozen(r)
  const kept = reused ? KEPT.get(r) : undefined
  if (kept && kept.owner.kind === owner.kind && kept.owner.namespace === owner.namespace && kept.owner.name === owner.name) return kept.placement
  const placement = place(r, owner)
  if (reused) KEPT.set(r, { owner, placement: frozen(placement) })
  return placement
}

function place(r: KustomizationRender, owner: OwnerRef): Placement {
  // Objects point where the engine read them, when the artifact came from this repository.
  const sources = r.sources ?? new Map<KubeObject, SourceLocation>()
  const records: RenderedObject[] = []
  const encrypted: EncryptedObject[] = []
  const children: { object: KubeObject; location?: SourceLocation }[] = []
  for (const pb of r.objects) {
    // Located by the object as built, before substitution: the engine read it there.
    const source = sources.get(pb.built)
    if (pb.encryptedIdentity) {
      encrypted.push({ owner, ...(source ? { source } : {}), content: pb.built as unknown as JsonValue, keys: dataKeys(pb.built) })
      continue
    }
    records.push({ object: pb.object, owner, ...(source ? { source } : {}), ...(pb.sops ? { sops: true } : {}), ...(pb.encryptedInput ? { encryptedInput: pb.encryptedInput } : {}) })
    if (ownerRefOf(pb.object)) children.push({ object: pb.object, ...(source ? { location: source } : {}) })
  }
  const placeholders = [...new Set(r.objects.flatMap((pb) => pb.placeholders ?? []))]
  return { block: placedBlock(records), encrypted, children, placeholders }
}

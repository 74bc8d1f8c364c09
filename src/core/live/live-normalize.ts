import { normalizeObject } from '../diff/normalize.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'

/**
 * Annotations the cluster side adds that are never a change: reconcile requests (R-1, written by
 * `flux reconcile` and by Fluxgate itself), kubectl's client-side-apply copy, and the revision
 * counter the Deployment controller keeps.
 */
const VOLATILE_ANNOTATION_PREFIXES = ['reconcile.fluxcd.io/', 'kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision']

/**
 * The shared normalization (src/core/diff: status, managedFields, resourceVersion, uid,
 * generation, timestamps, Flux owner labels) plus the annotations a live object carries
 * that Git never declares.
 */
export function normalizeLive(obj: KubeObject): KubeObject {
  const out = normalizeObject(obj)
  const meta = out.metadata as JsonObject
  const annotations = meta['annotations']
  if (isJsonObject(annotations)) {
    for (const k of Object.keys(annotations)) if (VOLATILE_ANNOTATION_PREFIXES.some((p) => k.startsWith(p))) delete annotations[k]
    if (Object.keys(annotations).length === 0) delete meta['annotations']
  }
  return out
}

/**
 * `applied` without the fields the base render declared and the head render drops. A dry run
 * under Fluxgate's own field manager keeps fields another manager set, but on the real apply
 * kustomize-controller owns them and removes them; this puts that removal back. Lists are
 * followed only where both renders have the same length (a changed list is replaced whole).
 */
export function dropRemovedFields(applied: KubeObject, base: KubeObject, head: KubeObject): KubeObject {
  const out = structuredClone(applied) as unknown as JsonObject
  walk(out, base as unknown as JsonObject, head as unknown as JsonObject)
  return out as unknown as KubeObject
}

function walk(target: JsonValue | undefined, base: JsonValue | undefined, head: JsonValue | undefined): void {
  if (isJsonObject(target) && isJsonObject(base) && isJsonObject(head)) {
    for (const key of Object.keys(base)) {
      if (!(key in head)) delete target[key]
      else walk(target[key], base[key], head[key])
    }
    return
  }
  if (Array.isArray(target) && Array.isArray(base) && Array.isArray(head) && base.length === head.length && target.length === head.length) {
    target.forEach((item, i) => walk(item, base[i], head[i]))
  }
}

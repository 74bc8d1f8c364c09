import { stringifyYaml12 as stringify } from '../../yaml/index.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { buildKustomization } from '../kustomize/index.js'

/** What the caller keeps beside each object through the post-renderers (its chart template). */
type Tag = string | undefined

/**
 * H-16 step 1: each `postRenderers[].kustomize` in order, as an in-memory kustomization with
 * the manifest as its only resource plus that entry's patches and images (v2beta1 legacy
 * patch fields too).
 */
export function postRender(
  objects: KubeObject[],
  spec: JsonObject,
  tags: Tag[] = [],
): { ok: boolean; objects: KubeObject[]; tags: Tag[]; diagnostics: Diagnostic[] } {
  const renderers = Array.isArray(spec['postRenderers']) ? spec['postRenderers'].filter(isJsonObject) : []
  let current = objects
  let currentTags = tags
  const diagnostics: Diagnostic[] = []
  for (const r of renderers) {
    const k = isJsonObject(r['kustomize']) ? r['kustomize'] : undefined
    if (!k) continue
    const kustomization: JsonObject = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['helm-manifest.yaml'] }
    for (const field of ['patches', 'images', 'patchesStrategicMerge', 'patchesJson6902']) {
      const v = k[field]
      if (!Array.isArray(v) || v.length === 0) continue
      kustomization[field] = field === 'patchesStrategicMerge' ? v.map((p) => (typeof p === 'string' ? p : stringify(p))) : field === 'patchesJson6902' ? v.filter(isJsonObject).map((p) => ({ ...p, patch: JSON.stringify(p['patch'] ?? []) })) : v
    }
    const docs = current.map((o) => stringify(o))
    const tree = MemoryTree.fromRecord({
      'helm-manifest.yaml': docs.join('---\n'),
      'kustomization.yaml': stringify(kustomization),
    })
    const built = buildKustomization(tree, '', { reorder: 'none', loadRestrictor: 'LoadRestrictionsNone' })
    diagnostics.push(...built.diagnostics.map((d: Diagnostic) => ({ ...d, message: `post-renderer: ${d.message}` })))
    if (!built.ok) return { ok: false, objects: [], tags: [], diagnostics }
    currentTags = followTags(docs, currentTags, built.origins ?? [])
    current = built.objects
  }
  return { ok: true, objects: current, tags: currentTags, diagnostics }
}

/**
 * The tag of each object the post-renderer built (a patch may delete objects), found by the
 * line of the manifest document the engine read it from.
 */
function followTags(docs: string[], tags: Tag[], origins: ({ line?: number } | undefined)[]): Tag[] {
  const byLine = new Map<number, Tag>()
  let line = 1
  for (const [i, d] of docs.entries()) {
    byLine.set(line, tags[i])
    line += (d.match(/\n/g)?.length ?? 0) + 1
  }
  return origins.map((o) => (o?.line !== undefined ? byLine.get(o.line) : undefined))
}

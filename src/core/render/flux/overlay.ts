import { stringifyYaml12 as stringify } from '../../yaml/index.js'
import type { FileStat, FileTree } from '../../../ports/file-tree.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { joinInside, normalizePath } from '../../tree/memory-tree.js'

/**
 * Writes the Flux Kustomization's own fields into the kustomization content, in Flux's order
 * (K-7 … K-10). Returns the new content or the error Flux would fail with.
 */
export function applyFluxOverlay(
  content: JsonObject,
  generated: boolean,
  spec: JsonObject,
  tree: FileTree,
  dir: string,
): { ok: true; content: JsonObject } | { ok: false; error: string } {
  const k: JsonObject = { ...content }
  // K-7: a user file without resources gets origin annotations (kustomize would reject it as empty).
  if (!generated && !(Array.isArray(k['resources']) && k['resources'].length > 0)) k['buildMetadata'] = ['originAnnotations']
  if (typeof spec['targetNamespace'] === 'string') k['namespace'] = spec['targetNamespace']
  if (typeof spec['namePrefix'] === 'string') k['namePrefix'] = spec['namePrefix']
  if (typeof spec['nameSuffix'] === 'string') k['nameSuffix'] = spec['nameSuffix']
  const patches = list(spec['patches'])
  if (patches.length > 0) {
    k['patches'] = [...list(k['patches']), ...patches.filter(isJsonObject).map(toKustomizePatch)]
  }
  const components = list(spec['components']).map(String)
  if (components.length > 0) {
    const kept: JsonValue[] = [...list(k['components'])]
    for (const c of components) {
      if (!isLocalRelativePath(c)) return { ok: false, error: `component path '${c}' must be local and relative` }
      const at = joinInside(dir, c)
      if (spec['ignoreMissingComponents'] === true && (at === undefined || tree.stat(at) === undefined)) continue
      kept.push(c)
    }
    if (kept.length > 0) k['components'] = kept
  }
  // K-8 step 6: legacy fields only reachable with v1beta1/v1beta2 Kustomizations.
  const psm = list(spec['patchesStrategicMerge'])
  if (psm.length > 0) k['patchesStrategicMerge'] = [...list(k['patchesStrategicMerge']), ...psm.map((p) => (typeof p === 'string' ? p : stringify(p)))]
  const pj = list(spec['patchesJson6902']).filter(isJsonObject)
  if (pj.length > 0) {
    k['patchesJson6902'] = [...list(k['patchesJson6902']), ...pj.map((p) => ({ patch: JSON.stringify(p['patch'] ?? []), ...(isJsonObject(p['target']) ? { target: p['target'] } : {}) }))]
  }
  const images = list(spec['images']).filter(isJsonObject)
  if (images.length > 0) k['images'] = mergeImages(list(k['images']).filter(isJsonObject), images)
  const bm = list(spec['buildMetadata'])
  if (bm.length > 0) k['buildMetadata'] = bm
  return { ok: true, content: k }
}

function list(v: JsonValue | undefined): JsonValue[] {
  return Array.isArray(v) ? v : []
}

function toKustomizePatch(p: JsonObject): JsonObject {
  const out: JsonObject = { patch: typeof p['patch'] === 'string' ? p['patch'] : '' }
  if (isJsonObject(p['target'])) out['target'] = p['target']
  return out
}

/** K-9 (kc ≥ 1.9.4): merge by name; newName replaces; newTag and digest replace as a pair. */
export function mergeImages(existing: JsonObject[], incoming: JsonObject[]): JsonObject[] {
  const out = existing.map((e) => ({ ...e }))
  for (const img of incoming) {
    const name = String(img['name'] ?? '')
    const hit = out.find((e) => e['name'] === name)
    const str = (key: string): string => (typeof img[key] === 'string' ? (img[key] as string) : '')
    if (!hit) {
      const entry: JsonObject = { name }
      for (const key of ['newName', 'newTag', 'digest']) if (str(key)) entry[key] = str(key)
      out.push(entry)
      continue
    }
    if (str('newName')) hit['newName'] = str('newName')
    if (str('newTag') || str('digest')) {
      setOrDelete(hit, 'newTag', str('newTag'))
      setOrDelete(hit, 'digest', str('digest'))
    }
  }
  return out
}

function setOrDelete(o: JsonObject, key: string, v: string): void {
  if (v) o[key] = v
  else delete o[key]
}

/** K-10: components must be local relative paths. */
export function isLocalRelativePath(p: string): boolean {
  if (p.startsWith('/') || p.startsWith('file://')) return false
  return !/^(git::|gh:|ssh:\/\/|https:\/\/|http:\/\/|git@|github\.com[:/])/.test(p)
}

/** A FileTree where one file is replaced (or added): the overlaid kustomization file. */
export class OverlayTree implements FileTree {
  private readonly path: string
  private readonly bytes: Uint8Array

  constructor(
    private readonly base: FileTree,
    path: string,
    content: JsonObject,
  ) {
    this.path = normalizePath(path)
    this.bytes = new TextEncoder().encode(stringify(content, { lineWidth: 0 }))
  }

  stat(path: string): FileStat | undefined {
    if (normalizePath(path) === this.path) return { type: 'file', size: this.bytes.byteLength }
    return this.base.stat(path)
  }

  readFile(path: string): Uint8Array | undefined {
    return normalizePath(path) === this.path ? this.bytes : this.base.readFile(path)
  }

  list(dir: string): string[] {
    const names = this.base.list(dir)
    const d = normalizePath(dir)
    const parent = this.path.includes('/') ? this.path.slice(0, this.path.lastIndexOf('/')) : ''
    if (parent !== d) return names
    const name = this.path.slice(parent ? parent.length + 1 : 0)
    return names.includes(name) ? names : [...names, name].sort()
  }
}

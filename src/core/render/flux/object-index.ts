import type { FileTree } from '../../../ports/file-tree.js'
import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isYamlFile, parseObjects, parseYamlDocs } from '../../load/yaml-docs.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import type { RenderCache } from '../../../ports/render-cache.js'
import { contentId, textDigest } from '../../tree/content-id.js'
import { joinInside } from '../../tree/memory-tree.js'
import { phase } from '../../timings/phases.js'
import { KUSTOMIZATION_FILES } from './generate.js'

interface Declaration extends SourceLocation {
  namespace: string
  file: string
}

/**
 * Where objects are declared in the repository, by kind and name, so rendered objects can
 * point back at a file and line. Built once per tree, lazily. Files that kustomizations use
 * as patches are declarations of last resort.
 */
export class DeclarationIndex {
  private map: Map<string, Declaration[]> | undefined
  private readonly patches = new Set<string>()

  /** `store`: where what each file declares is kept between runs (by file content), so a later run parses only new files. */
  constructor(
    private readonly tree: FileTree,
    private readonly store?: RenderCache,
  ) {}

  /**
   * The declaration of an object: same kind and name, preferring a non-patch file, then a
   * file under `dir` (the Kustomization's build directory), then the same namespace.
   */
  locate(obj: KubeObject, dir = ''): SourceLocation | undefined {
    const hits = phase('walk: declaration index', () => this.index()).get(`${obj.kind}/${obj.metadata.name}`)
    if (!hits || hits.length === 0) return undefined
    const ns = obj.metadata.namespace ?? ''
    const score = (h: Declaration): number =>
      (this.patches.has(h.file) ? 0 : 4) + (dir === '' || h.file.startsWith(dir + '/') ? 2 : 0) + (h.namespace === ns ? 1 : 0)
    let best = hits[0]!
    for (const h of hits) if (score(h) > score(best)) best = h
    return { file: best.file, ...(best.line ? { line: best.line } : {}) }
  }

  private index(): Map<string, Declaration[]> {
    if (this.map) return this.map
    const map = new Map<string, Declaration[]>()
    const walk = (dir: string): void => {
      // A Helm chart's templates are not manifests.
      if (this.tree.stat(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')?.type === 'file') return
      for (const name of this.tree.list(dir)) {
        const p = dir ? `${dir}/${name}` : name
        const st = this.tree.stat(p)
        if (st?.type === 'dir') {
          if (name !== '.git' && name !== 'node_modules') walk(p)
          continue
        }
        if (st?.type !== 'file' || (st.size ?? 0) >= 4 * 1024 * 1024) continue
        const kustomization = KUSTOMIZATION_FILES.includes(name)
        if (!kustomization && !isYamlFile(name)) continue
        const bytes = this.tree.readFile(p) ?? new Uint8Array()
        if (kustomization) {
          for (const patch of patchPaths(bytes, p, this.store)) {
            const at = joinInside(dir, patch)
            if (at !== undefined) this.patches.add(at)
          }
        }
        if (!isYamlFile(name)) continue
        for (const [key, line, namespace] of declarationsIn(bytes, p, this.store)) {
          const list = map.get(key) ?? []
          list.push({ file: p, line, namespace })
          map.set(key, list)
        }
      }
    }
    walk('')
    this.map = map
    return map
  }
}

/** One declaration of a file: `Kind/name`, line, namespace. */
type Declared = [key: string, line: number, namespace: string]

/**
 * What one file declares, remembered per file content: in this process by the buffer a tree
 * hands out (the head of a pull request shares every unchanged file with its base), between
 * runs in the RenderCache by content id. Files declaring a Secret are not kept on disk.
 */
const declared = new WeakMap<Uint8Array, Declared[]>()
const patched = new WeakMap<Uint8Array, string[]>()
const FORMAT = 1

function declarationsIn(bytes: Uint8Array, file: string, store: RenderCache | undefined): Declared[] {
  const hit = declared.get(bytes)
  if (hit) return hit
  const key = store ? textDigest(`fluxgate-declarations/${FORMAT}\u0000${contentId(bytes)}`) : ''
  let out = store ? stored(store, key, isDeclared) : undefined
  if (!out) {
    out = parseObjects(bytes, file).objects.map((o): Declared => [`${o.object.kind}/${o.object.metadata.name}`, o.line, o.object.metadata.namespace ?? ''])
    if (store && !out.some(([k]) => k.startsWith('Secret/'))) store.set(key, JSON.stringify({ key, value: out }))
  }
  declared.set(bytes, out)
  return out
}

/** The patch files a kustomization names, relative to its folder. */
function patchPaths(bytes: Uint8Array, file: string, store: RenderCache | undefined): string[] {
  const hit = patched.get(bytes)
  if (hit) return hit
  const key = store ? textDigest(`fluxgate-patch-paths/${FORMAT}\u0000${contentId(bytes)}`) : ''
  let out = store ? stored(store, key, (v) => typeof v === 'string') : undefined
  if (!out) {
    out = []
    const doc = parseYamlDocs(bytes, file).docs[0]?.value
    if (isJsonObject(doc)) {
      const paths: JsonValue[] = [
        ...(Array.isArray(doc['patches']) ? doc['patches'].filter(isJsonObject).map((p) => p['path'] ?? null) : []),
        ...(Array.isArray(doc['patchesStrategicMerge']) ? doc['patchesStrategicMerge'] : []),
        ...(Array.isArray(doc['patchesJson6902']) ? doc['patchesJson6902'].filter(isJsonObject).map((p) => p['path'] ?? null) : []),
      ]
      for (const p of paths) if (typeof p === 'string' && !p.includes('\n')) out.push(p)
    }
    store?.set(key, JSON.stringify({ key, value: out }))
  }
  patched.set(bytes, out)
  return out
}

function isDeclared(v: unknown): v is Declared {
  return Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'string'
}

/** A list kept under `key`, when it is one (written for this key, every item well-formed). */
function stored<T>(store: RenderCache, key: string, valid: (v: unknown) => v is T): T[] | undefined
function stored(store: RenderCache, key: string, valid: (v: unknown) => boolean): unknown[] | undefined {
  const text = store.get(key)
  if (text === undefined) return undefined
  try {
    const v = JSON.parse(text) as { key?: unknown; value?: unknown }
    return v.key === key && Array.isArray(v.value) && v.value.every(valid) ? v.value : undefined
  } catch {
    return undefined
  }
}

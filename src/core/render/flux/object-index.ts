import type { FileTree } from '../../../ports/file-tree.js'
import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isYamlFile, parseObjects, parseYamlDocs } from '../../load/yaml-docs.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { joinInside } from '../../tree/memory-tree.js'
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

  constructor(private readonly tree: FileTree) {}

  /**
   * The declaration of an object: same kind and name, preferring a non-patch file, then a
   * file under `dir` (the Kustomization's build directory), then the same namespace.
   */
  locate(obj: KubeObject, dir = ''): SourceLocation | undefined {
    const hits = this.index().get(`${obj.kind}/${obj.metadata.name}`)
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
          for (const patch of patchPaths(bytes, p)) {
            const at = joinInside(dir, patch)
            if (at !== undefined) this.patches.add(at)
          }
        }
        if (!isYamlFile(name)) continue
        for (const d of declarationsIn(bytes, p)) {
          const list = map.get(d.key) ?? []
          list.push({ file: p, line: d.line, namespace: d.namespace })
          map.set(d.key, list)
        }
      }
    }
    walk('')
    this.map = map
    return map
  }
}

/**
 * What one file declares, remembered per file content (the buffer a tree hands out): the
 * head of a pull request is indexed again, and shares every unchanged file with its base.
 */
const declared = new WeakMap<Uint8Array, { key: string; line: number; namespace: string }[]>()
const patched = new WeakMap<Uint8Array, string[]>()

function declarationsIn(bytes: Uint8Array, file: string): { key: string; line: number; namespace: string }[] {
  let out = declared.get(bytes)
  if (!out) {
    out = parseObjects(bytes, file).objects.map((o) => ({ key: `${o.object.kind}/${o.object.metadata.name}`, line: o.line, namespace: o.object.metadata.namespace ?? '' }))
    declared.set(bytes, out)
  }
  return out
}

/** The patch files a kustomization names, relative to its folder. */
function patchPaths(bytes: Uint8Array, file: string): string[] {
  let out = patched.get(bytes)
  if (out) return out
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
  patched.set(bytes, out)
  return out
}
import type { FileTree } from '../../../ports/file-tree.js'
import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isYamlFile, parseObjects } from '../../load/yaml-docs.js'
import type { KubeObject } from '../../model/object.js'

/**
 * Where objects are declared in the repository, by kind and name, so rendered objects can
 * point back at a file and line. Built once per tree, lazily.
 */
export class DeclarationIndex {
  private map: Map<string, (SourceLocation & { namespace: string })[]> | undefined

  constructor(private readonly tree: FileTree) {}

  /**
   * The declaration of an object: same kind and name, preferring a file under `dir` (the
   * Kustomization's build directory), then the same namespace.
   */
  locate(obj: KubeObject, dir = ''): SourceLocation | undefined {
    const hits = this.index().get(`${obj.kind}/${obj.metadata.name}`)
    if (!hits || hits.length === 0) return undefined
    const ns = obj.metadata.namespace ?? ''
    const score = (h: { file: string; namespace: string }): number => (dir === '' || h.file.startsWith(dir + '/') ? 2 : 0) + (h.namespace === ns ? 1 : 0)
    let best = hits[0]!
    for (const h of hits) if (score(h) > score(best)) best = h
    return { file: best.file, line: best.line }
  }

  private index(): Map<string, (SourceLocation & { namespace: string })[]> {
    if (this.map) return this.map
    const map = new Map<string, (SourceLocation & { namespace: string })[]>()
    const walk = (dir: string): void => {
      // A Helm chart's templates are not manifests.
      if (this.tree.stat(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')?.type === 'file') return
      for (const name of this.tree.list(dir)) {
        const p = dir ? `${dir}/${name}` : name
        const st = this.tree.stat(p)
        if (st?.type === 'dir') {
          if (name !== '.git' && name !== 'node_modules') walk(p)
        } else if (st?.type === 'file' && isYamlFile(name) && (st.size ?? 0) < 4 * 1024 * 1024) {
          for (const o of parseObjects(this.tree.readFile(p) ?? new Uint8Array(), p).objects) {
            const key = `${o.object.kind}/${o.object.metadata.name}`
            const list = map.get(key) ?? []
            list.push({ file: o.file, line: o.line, namespace: o.object.metadata.namespace ?? '' })
            map.set(key, list)
          }
        }
      }
    }
    walk('')
    this.map = map
    return map
  }
}

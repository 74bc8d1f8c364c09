import type { FileTree } from '../../../ports/file-tree.js'
import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isYamlFile, parseObjects } from '../../load/yaml-docs.js'
import type { KubeObject } from '../../model/object.js'

/**
 * Where objects are declared in the repository, by kind and name, so rendered objects can
 * point back at a file and line. Built once per tree, lazily.
 */
export class DeclarationIndex {
  private map: Map<string, SourceLocation[]> | undefined

  constructor(private readonly tree: FileTree) {}

  /** The declaration of an object: same kind and name, preferring the same namespace. */
  locate(obj: KubeObject): SourceLocation | undefined {
    const hits = this.index().get(`${obj.kind}/${obj.metadata.name}`)
    if (!hits || hits.length === 0) return undefined
    return hits[0]
  }

  private index(): Map<string, SourceLocation[]> {
    if (this.map) return this.map
    const map = new Map<string, SourceLocation[]>()
    const walk = (dir: string): void => {
      for (const name of this.tree.list(dir)) {
        const p = dir ? `${dir}/${name}` : name
        const st = this.tree.stat(p)
        if (st?.type === 'dir') {
          if (name !== '.git' && name !== 'node_modules') walk(p)
        } else if (st?.type === 'file' && isYamlFile(name) && (st.size ?? 0) < 4 * 1024 * 1024) {
          for (const o of parseObjects(this.tree.readFile(p) ?? new Uint8Array(), p).objects) {
            const key = `${o.object.kind}/${o.object.metadata.name}`
            const list = map.get(key) ?? []
            list.push({ file: o.file, line: o.line })
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

import type { FileTree } from '../../ports/file-tree.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { fluxKindOf } from '../model/flux-kinds.js'
import type { KubeObject } from '../model/object.js'
import { normalizePath } from '../tree/memory-tree.js'
import type { ClusterEntry } from './discover.js'
import { isYamlFile, parseObjects, type LocatedObject } from './yaml-docs.js'

export { discoverClusters, rootOf, type ClusterEntry, type Discovery, type DiscoveryOptions, type RootSpec } from './discover.js'

/** Every Flux object (any kind, any served version) in the YAML files under `dir`. */
export function findFluxObjects(tree: FileTree, dir: string): { objects: LocatedObject[]; diagnostics: Diagnostic[] } {
  const objects: LocatedObject[] = []
  const diagnostics: Diagnostic[] = []
  walk(tree, normalizePath(dir), (file) => {
    const bytes = tree.readFile(file)
    if (!bytes) return
    const parsed = parseObjects(bytes, file)
    diagnostics.push(...parsed.diagnostics)
    for (const o of parsed.objects) if (fluxKindOf(o.object.apiVersion, o.object.kind)) objects.push(o)
  })
  return { objects, diagnostics }
}

function walk(tree: FileTree, dir: string, onFile: (path: string) => void): void {
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    const st = tree.stat(p)
    if (st?.type === 'dir') {
      if (name !== '.git') walk(tree, p, onFile)
    } else if (st?.type === 'file' && isYamlFile(name)) onFile(p)
  }
}

/** A cluster entry for an explicit `--path`: its name is the folder's base name. */
export function clusterEntry(path: string): ClusterEntry {
  const p = normalizePath(path)
  return { name: p.split('/').pop() || p || 'root', path: p }
}

/** Entries for explicit paths; where two share a base name, each is named by its whole path. */
export function clusterEntries(paths: readonly string[]): ClusterEntry[] {
  const entries = paths.map(clusterEntry)
  const count = new Map<string, number>()
  for (const e of entries) count.set(e.name, (count.get(e.name) ?? 0) + 1)
  return entries.map((e) => ((count.get(e.name) ?? 0) > 1 ? { name: e.path || 'root', path: e.path } : e))
}

/**
 * The Kustomization `flux bootstrap` writes for a cluster (G-9): `flux-system/flux-system`,
 * source the `flux-system` GitRepository, `path: ./<entry>`, `prune: true`.
 */
export function bootstrapKustomization(entry: ClusterEntry): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'flux-system', namespace: 'flux-system' },
    spec: {
      interval: '10m0s',
      path: `./${entry.path}`,
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    },
  }
}

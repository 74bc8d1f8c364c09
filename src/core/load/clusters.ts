import type { FileTree } from '../../ports/file-tree.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { fluxKindOf } from '../model/flux-kinds.js'
import type { KubeObject } from '../model/object.js'
import { normalizePath } from '../tree/memory-tree.js'
import { isYamlFile, parseObjects, type LocatedObject } from './yaml-docs.js'

/** A cluster to render: its name and repository-relative entry path. */
export interface ClusterEntry {
  name: string
  path: string
}

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

/** Default clusters: each folder directly under `clusters/` that holds Flux objects. */
export function discoverClusters(tree: FileTree): ClusterEntry[] {
  const out: ClusterEntry[] = []
  for (const name of tree.list('clusters')) {
    const path = `clusters/${name}`
    if (tree.stat(path)?.type !== 'dir') continue
    if (hasFluxObject(tree, path)) out.push({ name, path })
  }
  return out
}

function hasFluxObject(tree: FileTree, dir: string): boolean {
  let found = false
  walk(tree, dir, (file) => {
    if (found) return
    const text = new TextDecoder().decode(tree.readFile(file) ?? new Uint8Array())
    if (!text.includes('toolkit.fluxcd.io') && !text.includes('fluxcd.io/')) return
    found = parseObjects(text, file).objects.some((o) => fluxKindOf(o.object.apiVersion, o.object.kind) !== undefined)
  })
  return found
}

/** A cluster entry for an explicit `--path`: its name is the folder's base name. */
export function clusterEntry(path: string): ClusterEntry {
  const p = normalizePath(path)
  return { name: p.split('/').pop() || p || 'root', path: p }
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

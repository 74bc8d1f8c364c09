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

/**
 * Default clusters: the folders under `clusters/` that `flux bootstrap --path` would point at.
 * A folder is an entry when it has a `flux-system` folder or Flux objects in its own files;
 * otherwise its sub-folders are searched (fleets nest `clusters/<env>/<region>`), and a folder
 * whose Flux objects sit only deeper, in no entry, is an entry itself. Names are the path
 * below `clusters/` (`staging`, `production/eu-west-1`), so they are unique.
 */
export function discoverClusters(tree: FileTree): ClusterEntry[] {
  const out: ClusterEntry[] = []
  for (const name of tree.list('clusters')) collectEntries(tree, `clusters/${name}`, 0, out)
  return out
}

const MAX_CLUSTER_DEPTH = 4

function collectEntries(tree: FileTree, path: string, depth: number, out: ClusterEntry[]): void {
  if (tree.stat(path)?.type !== 'dir' || !hasFluxObject(tree, path)) return
  if (depth >= MAX_CLUSTER_DEPTH || isBootstrapEntry(tree, path)) {
    out.push({ name: path.slice('clusters/'.length), path })
    return
  }
  const before = out.length
  for (const name of tree.list(path)) collectEntries(tree, `${path}/${name}`, depth + 1, out)
  if (out.length === before) out.push({ name: path.slice('clusters/'.length), path })
}

/** A `flux-system` folder, or a Flux object in a file directly inside `dir`. */
function isBootstrapEntry(tree: FileTree, dir: string): boolean {
  if (tree.stat(`${dir}/flux-system`)?.type === 'dir') return true
  return tree.list(dir).some((name) => {
    const file = `${dir}/${name}`
    if (tree.stat(file)?.type !== 'file' || !isYamlFile(name)) return false
    const text = new TextDecoder().decode(tree.readFile(file) ?? new Uint8Array())
    return text.includes('fluxcd.io/') && parseObjects(text, file).objects.some((o) => fluxKindOf(o.object.apiVersion, o.object.kind) !== undefined)
  })
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

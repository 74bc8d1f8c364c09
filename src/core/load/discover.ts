import type { FileTree } from '../../ports/file-tree.js'
import type { ClusterCandidate } from '../model/render-result.js'
import { isJsonObject, type KubeObject } from '../model/object.js'
import { normalizePath } from '../tree/memory-tree.js'
import { instanceSync, type FoundInstance } from './flux-instance.js'
import { sameRepository } from './repo-url.js'
import { dirOf, kustomizationPath, scanRepository, type RepoScan } from './repo-scan.js'
import type { LocatedObject } from './yaml-docs.js'

/** Where a cluster's root Kustomization is written in the repository. */
export interface RootSpec {
  /** `bootstrap`: gotk-sync.yaml; `kustomization`: another Kustomization of the entry path; `flux-instance`: a FluxInstance's sync. */
  from: 'bootstrap' | 'kustomization' | 'flux-instance'
  /** The root Kustomization as written (bootstrap, kustomization). */
  kustomization?: LocatedObject
  /** Its source object, when the repository has it. */
  source?: LocatedObject
  /** The FluxInstance whose sync is the root (flux-instance). */
  instance?: FoundInstance
}

/** A cluster to render: its name, repository-relative entry path and, when found, its root. */
export interface ClusterEntry {
  name: string
  path: string
  root?: RootSpec
}

/** What discovery found: the clusters, and every candidate it weighed with the reason. */
export interface Discovery {
  entries: ClusterEntry[]
  candidates: ClusterCandidate[]
}

/** How discovery recognises this repository's own sources. */
export interface DiscoveryOptions {
  repoUrl?: string
}

/** Folders below a `clusters/` folder are searched this deep for cluster entries. */
const MAX_CLUSTER_DEPTH = 4

/**
 * The clusters Flux syncs from this repository, found without `--path`, in three ways:
 * 1. a Flux Kustomization that applies the folder holding it (`flux bootstrap`'s gotk-sync.yaml
 *    anywhere, or a root bootstrapped with `kubectl apply -k` under another name), when its
 *    source is this repository;
 * 2. a FluxInstance (a manifest, the flux-instance chart's values in a HelmRelease, or a
 *    kustomize patch that sets its sync) whose `spec.sync.path` is a folder of this
 *    repository, whatever its URL says (a fork, a mirror, a renamed repository);
 * 3. folders under every `clusters/` folder (top level or nested) that look like a
 *    `flux bootstrap --path` target: a `flux-system` folder or Flux objects of their own.
 * A folder of (3) is rejected when a Kustomization of the repository applies it (an overlay
 * of a hub, such as a spoke's folder), when it lies inside or holds a cluster of (1)/(2), or
 * when it holds no Flux object once patch files are left out. Every candidate is reported.
 */
export function discoverClusters(tree: FileTree, opts: DiscoveryOptions = {}): Discovery {
  const scan = scanRepository(tree)
  const candidates: ClusterCandidate[] = []
  // Entry path → its root as written (undefined: a bootstrap folder whose sync is not in Git).
  const roots = new Map<string, RootSpec | undefined>()
  const rootLocations = new Map<string, ClusterCandidate>()
  const accept = (path: string, root: RootSpec | undefined, c: ClusterCandidate): void => {
    if (roots.has(path) && (roots.get(path) !== undefined || root === undefined)) return
    roots.set(path, root)
    rootLocations.set(path, c)
  }

  for (const k of scan.kustomizations) {
    const verdict = selfApplyingRoot(tree, k, scan, opts)
    if (!verdict) continue
    const c: ClusterCandidate = { path: verdict.path, accepted: verdict.root !== undefined, reason: verdict.reason, location: { file: k.file, line: k.line } }
    if (verdict.root) accept(verdict.path, verdict.root, c)
    else candidates.push(c)
  }
  for (const inst of scan.instances) {
    const sync = instanceSync(inst.object)
    if (!sync) continue
    const path = securePath(sync.path)
    const where = { file: inst.file, line: inst.line }
    const what = inst.via === 'helm-values' ? 'FluxInstance (flux-instance chart values of a HelmRelease)' : inst.via === 'patch' ? 'FluxInstance sync set by a kustomize patch' : 'FluxInstance'
    if (path !== '' && tree.stat(path)?.type !== 'dir') {
      candidates.push({ path: path || '.', accepted: false, reason: `${what} ${inst.object.metadata.name} syncs path ${sync.path}, which is not a folder of this repository`, location: where })
      continue
    }
    accept(path, { from: 'flux-instance', instance: inst }, { path, accepted: true, reason: `${what} ${inst.object.metadata.namespace ?? 'flux-system'}/${inst.object.metadata.name} syncs it (spec.sync.path)`, location: where })
  }

  // `flux bootstrap --path=X` writes X/flux-system/gotk-sync.yaml: X is a cluster even when the
  // file holds no sync objects (examples keep a placeholder, the sync being made in CI).
  for (const file of scan.bootstrapFiles) {
    const dir = dirOf(file)
    const path = dir === 'flux-system' ? '' : dir.endsWith('/flux-system') ? dir.slice(0, -'/flux-system'.length) : undefined
    if (path === undefined || roots.has(path)) continue
    accept(path, undefined, { path: path || '.', accepted: true, reason: `flux bootstrap folder (${file}); its sync objects are not in Git`, location: { file } })
  }

  const folders: { path: string; under: string }[] = []
  const rejectedFolders: ClusterCandidate[] = []
  for (const dir of scan.clustersDirs) {
    if (scan.clustersDirs.some((d) => d !== dir && dir.startsWith(d + '/'))) continue
    for (const name of tree.list(dir)) collectFolders(tree, scan, `${dir}/${name}`, dir, 0, folders, rejectedFolders)
  }
  candidates.push(...rejectedFolders)
  const heuristic: ClusterEntry[] = []
  for (const f of folders) {
    if (roots.has(f.path)) continue
    const reason = folderRejection(f.path, roots, scan)
    if (reason) {
      candidates.push({ path: f.path, accepted: false, reason })
      continue
    }
    heuristic.push({ name: f.path, path: f.path })
    candidates.push({ path: f.path, accepted: true, reason: `a folder under ${f.under}/ with ${tree.stat(`${f.path}/flux-system`)?.type === 'dir' ? 'a flux-system folder' : 'Flux objects of its own'} (no root Kustomization in Git applies it)` })
  }
  for (const c of rootLocations.values()) candidates.push(c)

  const entries = nameEntries([...[...roots].map(([path, root]) => ({ name: path, path, ...(root ? { root } : {}) })), ...heuristic])
  candidates.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : Number(b.accepted) - Number(a.accepted)))
  return { entries, candidates }
}

/** A Kustomization that applies the folder it is written in: a cluster root, or why not. */
function selfApplyingRoot(tree: FileTree, k: LocatedObject, scan: RepoScan, opts: DiscoveryOptions): { path: string; root?: RootSpec; reason: string } | undefined {
  const spec = isJsonObject(k.object['spec']) ? k.object['spec'] : {}
  const rawPath = typeof spec['path'] === 'string' ? spec['path'] : ''
  if (rawPath.includes('${')) return undefined
  const path = kustomizationPath(k.object)
  if (path !== '' && !k.file.startsWith(path + '/')) return undefined
  const ref = sourceRefOf(k.object)
  if (!ref.name) return undefined
  // Another Kustomization that applies the same folder makes this one its child (a Kustomization
  // re-applying its parent's folder), not the root of a cluster.
  const parent = scan.kustomizations.find((o) => o !== k && kustomizationPath(o.object) === path && !o.file.startsWith(path + '/'))
  if (parent) return { path: path || '.', reason: `Kustomization ${k.object.metadata.namespace ?? 'default'}/${k.object.metadata.name} applies the folder that holds it, but Kustomization ${parent.object.metadata.namespace ?? 'default'}/${parent.object.metadata.name} (${parent.file}:${parent.line}) applies that folder too: it is a child, not a root` }
  const source = findSource(scan, ref, k.file, path)
  const key = `Kustomization ${k.object.metadata.namespace ?? 'default'}/${k.object.metadata.name}`
  const from = k.file.endsWith('/gotk-sync.yaml') || k.file === 'gotk-sync.yaml' ? 'bootstrap' : 'kustomization'
  const url = source && isJsonObject(source.object['spec']) && typeof source.object['spec']['url'] === 'string' ? source.object['spec']['url'] : undefined
  const bootstrapName = ref.name === 'flux-system' && ref.namespace === 'flux-system'
  const urlOurs = url !== undefined && opts.repoUrl !== undefined && sameRepository(url, opts.repoUrl)
  // Only a Git URL can be compared with the repository's; an OCI or Bucket root is taken as ours.
  const urlOther = url !== undefined && opts.repoUrl !== undefined && !urlOurs && ref.kind === 'GitRepository'
  // The root's own source declared inside the folder it applies is the bootstrap pattern: it
  // is this repository even when the URL differs (a fork, a mirror, a renamed repository).
  const sourceInside = source !== undefined && (path === '' ? dirOf(source.file) === dirOf(k.file) : source.file.startsWith(path + '/'))
  // A Kustomization of the repository root (`path: ./`) is usually a sync of another source
  // (an OCI artifact, another repository): only the bootstrap's own, or a Git source with this
  // repository's URL, is taken for a root there.
  const ours = path === '' ? ref.kind === 'GitRepository' && (urlOurs || ((bootstrapName || from === 'bootstrap') && !urlOther && sourceInside)) : sourceInside || bootstrapName || !urlOther
  const where = path || '.'
  if (!ours) {
    return { path: where, reason: `${key} applies the folder that holds it, but its source ${ref.kind} ${ref.namespace}/${ref.name} points at ${url ?? 'another repository'}` }
  }
  if (path !== '' && tree.stat(path)?.type !== 'dir') return undefined
  return {
    path,
    root: { from, kustomization: k, ...(source ? { source } : {}) },
    reason: `${key} applies the folder that holds it (${from === 'bootstrap' ? 'flux bootstrap' : 'a root Kustomization'}, source ${ref.kind} ${ref.namespace}/${ref.name})`,
  }
}

/** Folder candidates below a `clusters/` folder (see discoverClusters). */
function collectFolders(tree: FileTree, scan: RepoScan, path: string, under: string, depth: number, out: { path: string; under: string }[], rejected: ClusterCandidate[]): void {
  if (tree.stat(path)?.type !== 'dir') return
  if (!hasFluxObject(scan, path)) {
    if (depth === 0) rejected.push({ path, accepted: false, reason: appliedBy(path, scan) ?? 'holds no Flux object (only kustomize overlays or patches)' })
    return
  }
  if (depth >= MAX_CLUSTER_DEPTH || isBootstrapEntry(tree, scan, path)) {
    out.push({ path, under })
    return
  }
  const before = out.length
  for (const name of tree.list(path)) collectFolders(tree, scan, `${path}/${name}`, under, depth + 1, out, rejected)
  if (out.length === before) out.push({ path, under })
}

function hasFluxObject(scan: RepoScan, dir: string): boolean {
  for (const d of scan.fluxDirs) if (d === dir || d.startsWith(dir + '/')) return true
  return false
}

/** A `flux-system` folder, or a Flux object in a file directly inside `dir`. */
function isBootstrapEntry(tree: FileTree, scan: RepoScan, dir: string): boolean {
  return tree.stat(`${dir}/flux-system`)?.type === 'dir' || scan.fluxDirs.has(dir)
}

function folderRejection(path: string, roots: ReadonlyMap<string, RootSpec | undefined>, scan: RepoScan): string | undefined {
  for (const r of roots.keys()) {
    if (r === '' || path.startsWith(r + '/')) return `inside cluster folder ${r || '.'}, whose root applies it`
    if (r.startsWith(path + '/')) return `holds cluster folder ${r}, found from its root`
  }
  return appliedBy(path, scan)
}

/** "applied by Kustomization …" when Kustomizations elsewhere in the repository apply `path` or folders below it. */
function appliedBy(path: string, scan: RepoScan): string | undefined {
  const by = scan.kustomizations.filter((k) => {
    if (k.file.startsWith(path + '/')) return false
    const p = kustomizationPath(k.object)
    return p !== '' && (p === path || p.startsWith(path + '/') || path.startsWith(p + '/'))
  })
  if (by.length === 0) return undefined
  const names = by.slice(0, 3).map((k) => `Kustomization ${k.object.metadata.namespace ?? 'default'}/${k.object.metadata.name} (${k.file}:${k.line})`)
  return `applied by ${names.join(', ')}${by.length > 3 ? ` and ${by.length - 3} more` : ''}: an overlay another cluster applies, not a cluster of its own`
}

/**
 * The root of an entry given by path (or found as a folder): a Kustomization in the entry
 * folder whose path is that folder (gotk-sync.yaml or another name), else a FluxInstance
 * anywhere whose sync path is that folder; undefined when nothing in Git defines it.
 */
export function rootOf(tree: FileTree, entry: ClusterEntry): RootSpec | undefined {
  if (entry.root) return entry.root
  const scan = scanRepository(tree)
  const own = scan.kustomizations.filter((k) => kustomizationPath(k.object) === entry.path && (entry.path === '' || k.file.startsWith(entry.path + '/')) && !String(isJsonObject(k.object['spec']) ? k.object['spec']['path'] : '').includes('${'))
  own.sort((a, b) => rank(a) - rank(b))
  const k = own[0]
  if (k) {
    const ref = sourceRefOf(k.object)
    const source = findSource(scan, ref, k.file, entry.path)
    return { from: k.file.endsWith('gotk-sync.yaml') ? 'bootstrap' : 'kustomization', kustomization: k, ...(source ? { source } : {}) }
  }
  const inst = scan.instances.find((i) => {
    const sync = instanceSync(i.object)
    return sync !== undefined && securePath(sync.path) === entry.path
  })
  return inst ? { from: 'flux-instance', instance: inst } : undefined
}

function rank(k: LocatedObject): number {
  return (k.object.metadata.name === 'flux-system' ? 0 : 2) + (k.file.endsWith('gotk-sync.yaml') ? 0 : 1)
}

/** The sourceRef of a Kustomization, namespace defaulted to its own (G-8). */
function sourceRefOf(ks: KubeObject): { kind: string; name: string; namespace: string } {
  const spec = isJsonObject(ks['spec']) ? ks['spec'] : {}
  const ref = isJsonObject(spec['sourceRef']) ? spec['sourceRef'] : {}
  return {
    kind: typeof ref['kind'] === 'string' ? ref['kind'] : 'GitRepository',
    name: typeof ref['name'] === 'string' ? ref['name'] : '',
    namespace: typeof ref['namespace'] === 'string' && ref['namespace'] ? ref['namespace'] : (ks.metadata.namespace ?? 'default'),
  }
}

/** The source object a root names: in the same file first, then inside the entry folder, then anywhere. */
function findSource(scan: RepoScan, ref: { kind: string; name: string; namespace: string }, file: string, path: string): LocatedObject | undefined {
  const all = scan.sources.filter((s) => s.object.kind === ref.kind && s.object.metadata.name === ref.name && (s.object.metadata.namespace ?? ref.namespace) === ref.namespace)
  return all.find((s) => s.file === file) ?? all.find((s) => path === '' || s.file.startsWith(path + '/')) ?? all[0]
}

/** Names entries by their path below the last `clusters/` (else their base name); clashes take the whole path. */
function nameEntries(entries: ClusterEntry[]): ClusterEntry[] {
  const named = entries.map((e) => ({ ...e, name: shortName(e.path) }))
  const count = new Map<string, number>()
  for (const e of named) count.set(e.name, (count.get(e.name) ?? 0) + 1)
  return named.map((e) => ((count.get(e.name) ?? 0) > 1 ? { ...e, name: e.path || 'root' } : e)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}

function shortName(path: string): string {
  const segs = path.split('/')
  const at = segs.lastIndexOf('clusters')
  if (at >= 0 && at < segs.length - 1) return segs.slice(at + 1).join('/')
  return segs[segs.length - 1] || 'root'
}

/** K-1 path joining for a sync path: `./a/` → `a`, `..` clamped at the root. */
function securePath(p: string): string {
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return normalizePath(out.join('/'))
}

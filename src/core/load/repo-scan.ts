import type { FileTree } from '../../ports/file-tree.js'
import { fluxOrOperatorKindOf, isFluxKustomization } from '../model/flux-kinds.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import { normalizePath } from '../tree/memory-tree.js'
import { treeDelta, type TreeDelta } from '../tree/tree-delta.js'
import { RecentTrees } from '../tree/recent-trees.js'
import { cloneJson } from '../model/clone.js'
import { fluxInstancesIn, type FoundInstance } from './flux-instance.js'
import { isYamlFile, type LocatedObject } from './yaml-docs.js'
import type { FileScan, InlinePatch, ScanStore } from './scan-records.js'
import { dirOf, FileScans, KUSTOMIZATION_FILES } from './file-scans.js'

export { dirOf }

const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket'])

/** Budgets of one scan: a hostile repository cannot make discovery read without end. */
const MAX_SCAN_FILES = 50_000
const MAX_SCAN_DEPTH = 24

/** Everything cluster discovery needs from a repository, read in one walk. */
export interface RepoScan {
  /** Flux Kustomizations as written (before any substitution). */
  kustomizations: LocatedObject[]
  /** GitRepository, OCIRepository and Bucket objects as written. */
  sources: LocatedObject[]
  /** FluxInstances: plain, inside a HelmRelease's values, or as a kustomize patch applies them. */
  instances: FoundInstance[]
  /** Files that a kustomization uses as patches: their documents are not objects of that folder. */
  patchFiles: ReadonlySet<string>
  /** Folders (repository paths) holding a kustomization file. */
  kustomizeDirs: ReadonlySet<string>
  /** Folders whose own files hold a Flux or Flux Operator object that is not a patch. */
  fluxDirs: ReadonlySet<string>
  /** Every file named gotk-sync.yaml (what `flux bootstrap` writes), sorted. */
  bootstrapFiles: string[]
  /** Every folder named `clusters`, shallowest first. */
  clustersDirs: string[]
  /** True when the scan stopped at a budget. */
  truncated: boolean
}

const scans = new WeakMap<FileTree, RepoScan>()

/**
 * Reads every YAML file of the repository once (Helm chart folders, `.git` and
 * `node_modules` left out) and keeps what discovery and root resolution look at. With a
 * `store`, the files' scans of a named tree are read from its record, or kept in one
 * (scan-records.ts).
 */
export function scanRepository(tree: FileTree, store?: ScanStore): RepoScan {
  const hit = scans.get(tree)
  if (hit) return hit
  const derived = derivedScan(tree, store)
  if (derived) {
    scans.set(tree, derived)
    return derived
  }
  // The walk's questions, so that a later tree can be told to answer them alike (derivedScan).
  const listed: string[] = []
  const kinds: string[] = []
  const lookup = new FileScans(tree, store)
  const scanned: [string, FileScan][] = []
  const files: string[] = []
  const clustersDirs: string[] = []
  const kustomizeDirs = new Set<string>()
  const bootstrapFiles: string[] = []
  let truncated = false
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_SCAN_DEPTH) return
    const chart = dir ? `${dir}/Chart.yaml` : 'Chart.yaml'
    kinds.push(chart)
    if (tree.stat(chart)?.type === 'file') return
    listed.push(dir)
    for (const name of tree.list(dir)) {
      if (files.length >= MAX_SCAN_FILES) {
        truncated = true
        return
      }
      const p = dir ? `${dir}/${name}` : name
      kinds.push(p)
      const st = tree.stat(p)
      if (st?.type === 'dir') {
        if (name === '.git' || name === 'node_modules') continue
        if (name === 'clusters') clustersDirs.push(p)
        walk(p, depth + 1)
      } else if (st?.type === 'file') {
        if (KUSTOMIZATION_FILES.includes(name)) kustomizeDirs.add(dir)
        if (name === 'gotk-sync.yaml') bootstrapFiles.push(p)
        if (isYamlFile(name) || name === 'Kustomization') files.push(p)
      }
    }
  }
  walk('', 0)

  const patchFiles = new Set<string>()
  const parsed: LocatedObject[] = []
  const inlinePatches: InlinePatch[] = []
  for (const file of files) {
    const bytes = tree.readFile(file)
    if (!bytes) continue
    const found = lookup.scanOf(file, bytes)
    scanned.push([file, found])
    for (const p of found.patchFiles) patchFiles.add(p)
    // Copies: the memo's values stay as read, whatever a caller does with the scan.
    for (const p of found.inlinePatches) inlinePatches.push({ ...p, patch: cloneJson(p.patch), ...(p.target ? { target: cloneJson(p.target) } : {}) })
    for (const o of found.objects) parsed.push({ ...o, object: cloneJson(o.object as unknown as JsonValue) as unknown as KubeObject })
  }

  const kustomizations: LocatedObject[] = []
  const sources: LocatedObject[] = []
  const fluxDirs = new Set<string>()
  for (const o of parsed) {
    const { apiVersion, kind } = o.object
    if (isFluxKustomization(apiVersion, kind)) kustomizations.push(o)
    if (SOURCE_KINDS.has(kind) && apiVersion.startsWith('source.toolkit.fluxcd.io/')) sources.push(o)
    if (fluxOrOperatorKindOf(apiVersion, kind) && !patchFiles.has(o.file)) fluxDirs.add(dirOf(o.file))
  }
  const instances = fluxInstancesIn(parsed, patchFiles, inlinePatches)
  // A record is written when a file had to be scanned from its bytes: none was read, or it lacked the file.
  if (!truncated) lookup.keep(scanned)
  const scan: RepoScan = { kustomizations, sources, instances, patchFiles, kustomizeDirs, fluxDirs, bootstrapFiles: bootstrapFiles.sort(), clustersDirs: clustersDirs.sort((a, b) => depthOf(a) - depthOf(b) || (a < b ? -1 : 1)), truncated }
  scans.set(tree, scan)
  if (!truncated) remember(tree, scan, { listed, kinds, scanned })
  return scan
}

/** What a scan asked of its tree: the folders it listed, the paths whose kind it looked at, and every file's scan. */
interface ScanFacts {
  listed: string[]
  kinds: string[]
  scanned: [string, FileScan][]
}

const FACTS = new WeakMap<RepoScan, ScanFacts>()

/**
 * The trees scanned last. A scan goes with its tree (`scans`): four scans held past their trees
 * cost a 10,000-Kustomization worker tens of megabytes below its memory bound.
 */
const RECENT = new RecentTrees(4)

function remember(tree: FileTree, scan: RepoScan, facts?: ScanFacts): void {
  if (facts) FACTS.set(scan, facts)
  RECENT.note(tree)
}

/**
 * The scan of a tree scanned before, when this tree answers its walk alike: the same folders
 * listed the same, the same kinds of entry, and every file that differs scanned the same (a
 * pull request's head after its base, a push after the one before: most edits change files
 * that hold no Flux object and no patch reference, such as a manifest's replicas). Then the
 * scans are equal, and the earlier one is shared (it is read, never changed, as any scan is).
 * Anything else, a file added or removed anywhere included, scans in full.
 */
function derivedScan(tree: FileTree, store: ScanStore | undefined): RepoScan | undefined {
  for (const from of RECENT.alive()) {
    const scan = scans.get(from)
    const facts = scan && FACTS.get(scan)
    if (!scan || !facts) continue
    const d = treeDelta(from, tree)
    if (!d) continue
    // A tree with a scan record (a plan's base) goes through every file, as a full scan would:
    // its record is read before any file's bytes are scanned, and a file whose bytes this
    // process has not scanned yet makes the record worth writing.
    if (d.changes && !store) {
      if (sameScan(tree, facts, d.changes)) {
        remember(tree, scan)
        return scan
      }
      continue
    }
    if (!facts.listed.every((dir) => d.unchanged('list', dir)) || !facts.kinds.every((p) => d.unchanged('kind', p))) continue
    // Each file's scan is found as a full scan finds it, so the record is read and written as a full scan would.
    const lookup = new FileScans(tree, store)
    const scanned: [string, FileScan][] = []
    for (const [file, before] of facts.scanned) {
      const bytes = tree.readFile(file)
      if (!bytes) break
      // Bytes the delta says are the earlier tree's scan as they did there; others are parsed.
      const found = lookup.scanOf(file, bytes, d.unchanged('read', file) ? before : undefined)
      if (found !== before && JSON.stringify(found) !== JSON.stringify(before)) break
      scanned.push([file, found])
    }
    if (scanned.length !== facts.scanned.length) continue
    lookup.keep(scanned)
    remember(tree, scan)
    return scan
  }
  return undefined
}

/** A scan's facts by path, for a delta that names its few changed paths (made once per scan). */
interface FactIndex {
  listed: ReadonlySet<string>
  kinds: ReadonlySet<string>
  scanned: ReadonlyMap<string, FileScan>
}

const FACT_INDEX = new WeakMap<ScanFacts, FactIndex>()

/**
 * derivedScan for a delta that names the paths it differs at (a push after the one before in
 * one reader): a listing or an entry's kind can differ only at a path that moved or is above
 * one (`shapes`), a file's scan only where its bytes changed too (`entries`), so only those of
 * the scan's thousands of paths are looked at. The same verdict as asking every path; no
 * record is read or written (the tree has no store).
 */
function sameScan(tree: FileTree, facts: ScanFacts, changes: NonNullable<TreeDelta['changes']>): boolean {
  let index = FACT_INDEX.get(facts)
  if (!index) FACT_INDEX.set(facts, (index = { listed: new Set(facts.listed), kinds: new Set(facts.kinds), scanned: new Map(facts.scanned) }))
  for (const p of changes.shapes) if (index.listed.has(p) || index.kinds.has(p)) return false
  const lookup = new FileScans(tree, undefined)
  for (const paths of [changes.entries, changes.shapes]) {
    for (const file of paths) {
      const before = index.scanned.get(file)
      if (!before) continue
      const bytes = tree.readFile(file)
      if (!bytes) return false
      const found = lookup.scanOf(file, bytes)
      if (found !== before && JSON.stringify(found) !== JSON.stringify(before)) return false
    }
  }
  return true
}

function depthOf(p: string): number {
  return p.split('/').length
}

/** `spec.path` of a Flux Kustomization as a repository folder: `./a/` → `a`, `..` clamped (K-1). */
export function kustomizationPath(ks: KubeObject): string {
  // Discovery asks it of every scanned Kustomization for each root it weighs, and a scan is
  // shared by the trees that answer alike (derivedScan): worked out once per object.
  let path = PATHS.get(ks)
  if (path === undefined) PATHS.set(ks, (path = pathOf(ks)))
  return path
}

const PATHS = new WeakMap<KubeObject, string>()

function pathOf(ks: KubeObject): string {
  const spec = isJsonObject(ks['spec']) ? ks['spec'] : {}
  const raw = typeof spec['path'] === 'string' ? spec['path'] : ''
  const out: string[] = []
  for (const seg of raw.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return normalizePath(out.join('/'))
}

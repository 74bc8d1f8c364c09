import type { FileTree } from '../../ports/file-tree.js'
import { fluxOrOperatorKindOf, isFluxKustomization } from '../model/flux-kinds.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import { joinInside, normalizePath } from '../tree/memory-tree.js'
import { treeDelta } from '../tree/tree-delta.js'
import { cloneJson } from '../model/clone.js'
import { fluxInstancesIn, type FoundInstance } from './flux-instance.js'
import { isYamlFile, parseObjects, parseYamlDocs, type LocatedObject } from './yaml-docs.js'
import { readScanRecord, scanRecordKey, writeScanRecord, type FileScan, type InlinePatch, type ScanStore } from './scan-records.js'

/** Kustomization file names, in the order kustomize looks for them. */
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

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
  const recordKey = store ? scanRecordKey(tree) : undefined
  // Read when a file's bytes are not known to this process yet (an App replan knows them all).
  let recorded: Map<string, FileScan> | undefined | null = null
  const scanned: [string, FileScan][] = []
  let fresh = 0
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
    let found = FILE_SCANS.get(bytes)?.get(file)
    if (!found && store && recordKey !== undefined) {
      if (recorded === null) recorded = readScanRecord(store, recordKey)
      found = recorded?.get(file)
      // A recorded scan stands for these bytes from now on: a head that shares them scans only what differs.
      if (found) rememberScan(bytes, file, found)
    }
    if (!found) {
      found = scanFile(bytes, file)
      rememberScan(bytes, file, found)
      fresh++
    }
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
  if (store && recordKey !== undefined && !truncated && fresh > 0) writeScanRecord(store, recordKey, scanned)
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

/** The trees scanned last (not kept alive by this list), newest first. */
const RECENT: { tree: WeakRef<FileTree>; scan: RepoScan }[] = []
const RECENT_TREES = 4

function remember(tree: FileTree, scan: RepoScan, facts?: ScanFacts): void {
  if (facts) FACTS.set(scan, facts)
  const i = RECENT.findIndex((r) => r.tree.deref() === tree)
  if (i >= 0) RECENT.splice(i, 1)
  RECENT.unshift({ tree: new WeakRef(tree), scan })
  RECENT.length = Math.min(RECENT.length, RECENT_TREES)
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
  for (const r of RECENT) {
    const from = r.tree.deref()
    const facts = FACTS.get(r.scan)
    if (!from || !facts) continue
    const d = treeDelta(from, tree)
    if (!d || !facts.listed.every((dir) => d.unchanged('list', dir)) || !facts.kinds.every((p) => d.unchanged('kind', p))) continue
    // Each file's scan is found as a full scan finds it (known bytes, then the tree's record,
    // then its bytes), so the record is read and written as a full scan would.
    const recordKey = store ? scanRecordKey(tree) : undefined
    let recorded: Map<string, FileScan> | undefined | null = null
    const scanned: [string, FileScan][] = []
    let fresh = 0
    for (const [file, before] of facts.scanned) {
      const bytes = tree.readFile(file)
      if (!bytes) break
      let found = FILE_SCANS.get(bytes)?.get(file)
      if (!found && store && recordKey !== undefined) {
        if (recorded === null) recorded = readScanRecord(store, recordKey)
        found = recorded?.get(file)
        if (found) rememberScan(bytes, file, found)
      }
      if (!found) {
        // Bytes the delta says are the same as the earlier tree's scan the same; others are parsed.
        found = d.unchanged('read', file) ? before : scanFile(bytes, file)
        rememberScan(bytes, file, found)
        fresh++
      }
      if (found !== before && JSON.stringify(found) !== JSON.stringify(before)) break
      scanned.push([file, found])
    }
    if (scanned.length !== facts.scanned.length) continue
    if (store && recordKey !== undefined && fresh > 0) writeScanRecord(store, recordKey, scanned)
    remember(tree, r.scan)
    return r.scan
  }
  return undefined
}

/**
 * Scans of files by their bytes, then path. A Git tree hands the same bytes to every tree that
 * holds the blob (src/infra/git-repo.ts), so a pull request's head is scanned at the cost of
 * the files it changed; the entries go with the trees' bytes.
 */
const FILE_SCANS = new WeakMap<Uint8Array, Map<string, FileScan>>()

function rememberScan(bytes: Uint8Array, file: string, scan: FileScan): void {
  let byPath = FILE_SCANS.get(bytes)
  if (!byPath) FILE_SCANS.set(bytes, (byPath = new Map()))
  byPath.set(file, scan)
}

/** What a file gives the scan, read from its bytes (scanRepository asks FILE_SCANS first). */
function scanFile(bytes: Uint8Array, file: string): FileScan {
  const out: FileScan = { patchFiles: [], inlinePatches: [], objects: [] }
  const base = file.slice(file.lastIndexOf('/') + 1)
  const text = new TextDecoder().decode(bytes)
  // Most files hold no patch, or no Flux object: skip parsing those. A YAML value holds a word
  // its text does not only through a double-quoted escape (`"kustomize.toolkit.fluxcd\x2eio/v1"`,
  // which Flux reads too), so a text with a backslash is always parsed.
  const escaped = text.includes('\\')
  if (KUSTOMIZATION_FILES.includes(base)) {
    const doc = escaped || text.includes('patch') ? parseYamlDocs(bytes, file).docs[0] : undefined
    if (doc && isJsonObject(doc.value)) notePatches(doc.value, file, doc.line, out.patchFiles, out.inlinePatches)
  } else if (escaped || text.includes('fluxcd.io') || text.includes('fluxcd.controlplane.io')) {
    out.objects = parseObjects(bytes, file).objects
  }
  return out
}

function depthOf(p: string): number {
  return p.split('/').length
}

/** The folder of a repository file (`''` at the root). */
export function dirOf(file: string): string {
  const i = file.lastIndexOf('/')
  return i < 0 ? '' : file.slice(0, i)
}

/** Patch files and inline patches of one kustomization file. */
function notePatches(doc: JsonObject, file: string, line: number, files: string[], inline: InlinePatch[]): void {
  const dir = dirOf(file)
  const entries: JsonValue[] = [
    ...(Array.isArray(doc['patches']) ? doc['patches'] : []),
    ...(Array.isArray(doc['patchesStrategicMerge']) ? doc['patchesStrategicMerge'] : []),
    ...(Array.isArray(doc['patchesJson6902']) ? doc['patchesJson6902'] : []),
  ]
  for (const e of entries) {
    // patchesStrategicMerge entries are file names or inline patches.
    const path = typeof e === 'string' ? (e.includes('\n') ? undefined : e) : isJsonObject(e) && typeof e['path'] === 'string' ? e['path'] : undefined
    if (path !== undefined) {
      const at = joinInside(dir, path)
      if (at !== undefined) files.push(at)
      continue
    }
    const patch = typeof e === 'string' ? e : isJsonObject(e) ? e['patch'] : undefined
    if (typeof patch === 'string') inline.push({ file, line, patch, ...(isJsonObject(e) && isJsonObject(e['target']) ? { target: e['target'] } : {}) })
  }
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

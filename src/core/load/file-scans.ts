import type { FileTree } from '../../ports/file-tree.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../model/object.js'
import { joinInside } from '../tree/memory-tree.js'
import { parseObjects, parseYamlDocs } from './yaml-docs.js'
import { readScanRecord, scanRecordKey, writeScanRecord, type FileScan, type InlinePatch, type ScanStore } from './scan-records.js'

/*
 * What each file gives a repository scan (repo-scan.ts), found once per file's bytes.
 */

/** Kustomization file names, in the order kustomize looks for them. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

/**
 * Scans of files by their bytes, then path. A Git tree hands the same bytes to every tree that
 * holds the blob (src/infra/git-repo.ts), so a pull request's head is scanned at the cost of
 * the files it changed; the entries go with the trees' bytes.
 */
const FILE_SCANS = new WeakMap<Uint8Array, Map<string, FileScan>>()

/**
 * Each file's scan, found as a scan of `tree` finds it: bytes this process scanned before, then
 * the tree's record (read once, when a file's bytes are not known yet: an App replan knows them
 * all), then `known` (a scan the caller knows the bytes give), then the bytes themselves.
 */
export class FileScans {
  private readonly recordKey: string | undefined
  private recorded: Map<string, FileScan> | undefined | null = null
  /** Files whose scan came from neither this process nor the record. */
  private fresh = 0

  constructor(
    tree: FileTree,
    private readonly store: ScanStore | undefined,
  ) {
    this.recordKey = store ? scanRecordKey(tree) : undefined
  }

  scanOf(file: string, bytes: Uint8Array, known?: FileScan): FileScan {
    let found = FILE_SCANS.get(bytes)?.get(file)
    if (!found && this.store && this.recordKey !== undefined) {
      if (this.recorded === null) this.recorded = readScanRecord(this.store, this.recordKey)
      found = this.recorded?.get(file)
      // A recorded scan stands for these bytes from now on: a head that shares them scans only what differs.
      if (found) rememberScan(bytes, file, found)
    }
    if (!found) {
      found = known ?? scanFile(bytes, file)
      rememberScan(bytes, file, found)
      this.fresh++
    }
    return found
  }

  /** A record of the tree's scans, when a file's scan had to come from elsewhere than the record (none was read, or it lacked the file). */
  keep(scanned: readonly (readonly [string, FileScan])[]): void {
    if (this.store && this.recordKey !== undefined && this.fresh > 0) writeScanRecord(this.store, this.recordKey, scanned)
  }
}

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

import type { FileTree } from '../../ports/file-tree.js'
import type { RenderCache } from '../../ports/render-cache.js'
import { isJsonObject, isKubeObject, type JsonObject, type JsonValue } from '../model/object.js'
import { textDigest } from '../tree/content-id.js'
import { identityOf } from '../tree/tree-delta.js'
import type { LocatedObject } from './yaml-docs.js'

/*
 * Discovery's per-file scans of a tree kept between runs, in the render cache beside the units'
 * records: a warm plan's base is a tree rendered before (the same Git tree id), and parsing its
 * Flux files again was most of its cluster discovery. A record is only made for a tree with a
 * name (`identityOf`: a Git tree names every byte it holds), so a record of that name holds
 * exactly the scans the tree's bytes give.
 */

/** A patch written in a kustomization file (`patches[].patch`, an inline patchesStrategicMerge entry). */
export type InlinePatch = { file: string; line: number; patch: JsonValue; target?: JsonObject }

/** What one file gives the repository scan: patches its kustomization names, or the Flux objects it holds. */
export interface FileScan {
  patchFiles: string[]
  inlinePatches: InlinePatch[]
  objects: LocatedObject[]
}

/** Bumped whenever what a scan record holds or how it is read changes: older records are then never found. */
const SCAN_FORMAT = 'fluxgate-scan 1'

/** Where scans are kept: the render cache, and whether this run may write to it (an untrusted change may not). */
export interface ScanStore {
  cache: RenderCache
  readOnly: boolean
}

/** The record key of a tree's scans; undefined for a tree without a name. */
export function scanRecordKey(tree: FileTree): string | undefined {
  const id = identityOf(tree)
  return id === undefined ? undefined : textDigest(`${SCAN_FORMAT}\u0000${id}`)
}

/** The scans a record holds, by file; undefined when there is none, or it is garbled or foreign. */
export function readScanRecord(store: ScanStore, key: string): Map<string, FileScan> | undefined {
  const v = store.cache.get(key) as { format?: unknown; key?: unknown; files?: unknown } | undefined
  if (!v || typeof v !== 'object' || v.format !== SCAN_FORMAT || v.key !== key || !Array.isArray(v.files)) return undefined
  const out = new Map<string, FileScan>()
  for (const entry of v.files as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string') return undefined
    const scan = entry[1] === null ? EMPTY : entry[1]
    if (!validScan(scan, entry[0])) return undefined
    out.set(entry[0], scan)
  }
  return out
}

/**
 * Keeps a tree's scans (every file scanned, in order). Nothing is kept when a scanned object is
 * a Secret or SOPS-encrypted, or an inline patch names a Secret: no Secret value is ever
 * written to the cache, even as the repository has it.
 */
export function writeScanRecord(store: ScanStore, key: string, scans: readonly (readonly [string, FileScan])[]): void {
  if (store.readOnly) return
  for (const [, s] of scans) {
    if (s.objects.some((o) => o.object.kind === 'Secret' || 'sops' in o.object)) return
    if (s.inlinePatches.some((p) => JSON.stringify(p.patch).includes('Secret'))) return
  }
  const files = scans.map(([file, s]) => [file, isEmpty(s) ? null : s])
  store.cache.set(key, { format: SCAN_FORMAT, key, files })
}

const EMPTY: FileScan = Object.freeze({ patchFiles: [], inlinePatches: [], objects: [] }) as unknown as FileScan

function isEmpty(s: FileScan): boolean {
  return s.patchFiles.length === 0 && s.inlinePatches.length === 0 && s.objects.length === 0
}

function validScan(v: unknown, file: string): v is FileScan {
  if (typeof v !== 'object' || v === null) return false
  const s = v as { patchFiles?: unknown; inlinePatches?: unknown; objects?: unknown }
  if (!Array.isArray(s.patchFiles) || !s.patchFiles.every((p) => typeof p === 'string')) return false
  if (!Array.isArray(s.inlinePatches) || !Array.isArray(s.objects)) return false
  const line = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0
  for (const p of s.inlinePatches as { file?: unknown; line?: unknown; patch?: unknown; target?: unknown }[]) {
    if (typeof p !== 'object' || p === null || p.file !== file || !line(p.line) || !jsonValue(p.patch)) return false
    if (p.target !== undefined && !isJsonObject(p.target)) return false
  }
  for (const o of s.objects as { object?: unknown; file?: unknown; line?: unknown }[]) {
    if (typeof o !== 'object' || o === null || o.file !== file || !line(o.line) || !isKubeObject(o.object)) return false
  }
  return true
}

function jsonValue(v: unknown): v is JsonValue {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || Array.isArray(v) || isJsonObject(v)
}

import { setOwn } from '../model/own.js'
import { parseYaml12Documents, stringifyYaml12 as stringify } from '../yaml/index.js'
import type { FileTree } from '../../ports/file-tree.js'
import { MemoryTree } from '../tree/memory-tree.js'
import { isJsonObject, type JsonObject } from '../model/object.js'
import { doublestarMatch, globMatch } from './glob.js'

/** One `spec.artifacts[].copy[]` entry of an ArtifactGenerator. */
export interface CopyOperation {
  from: string
  to: string
  exclude?: string[]
  strategy?: string
}

/**
 * Applies an ArtifactGenerator's copy operations to a virtual staging tree, as source-watcher's
 * builder does: `@alias/pattern` → `@artifact/dest`; a glob (Go fs.Glob: `**` is a plain `*`
 * within one segment) copies each match, `dir/**` strips `dir/`; a plain path is copied like
 * `cp -r` (a directory lands under its own name). Later operations overwrite earlier files;
 * `Merge` deep-merges YAML maps. Throws an Error with Flux's message on a failing operation.
 */
export function applyCopyOperations(ops: CopyOperation[], sources: Map<string, FileTree>, origins?: Map<string, { alias: string; path: string }>): MemoryTree {
  const out = new MemoryTree()
  for (const op of ops) {
    try {
      applyOne(op, sources, out, origins)
    } catch (err) {
      throw new Error(`failed to apply copy operation from '${op.from}' to '${op.to}': ${(err as Error).message}`)
    }
  }
  return out
}

type Origins = Map<string, { alias: string; path: string }> | undefined

function applyOne(op: CopyOperation, sources: Map<string, FileTree>, out: MemoryTree, origins: Origins): void {
  if (!op.from.startsWith('@')) throw new Error("source must start with '@'")
  const slash = op.from.indexOf('/')
  if (slash < 0) throw new Error("source format must be '@alias/pattern'")
  const alias = op.from.slice(1, slash)
  const pattern = op.from.slice(slash + 1)
  if (!op.to.startsWith('@artifact/')) throw new Error("destination must start with '@artifact/'")
  const dest = clean(op.to.slice('@artifact/'.length))
  const src = sources.get(alias)
  if (!src) throw new Error(`source alias '${alias}' not found`)
  if (op.strategy === 'Extract') throw new Error('the Extract strategy (tarballs) is not supported offline')
  const exclude = op.exclude ?? []
  const record = (from: string, to: string): void => void origins?.set(to, { alias, path: from })
  if (!/[*?[\]]/.test(pattern)) {
    copySingle(op, src, clean(pattern), dest, op.to.endsWith('/'), out, exclude, record)
    return
  }
  const matches = fsGlob(src, clean(pattern)).filter((m) => m !== '.' && m !== '..')
  if (matches.length === 0) throw new Error(`no files match pattern '${pattern}' in source '${alias}'`)
  const base = selectionRoot(pattern)
  const kept = matches.filter((m) => !shouldExcludePath(m, base, exclude))
  if (kept.length === 0) throw new Error(`all files matching pattern '${pattern}' in source '${alias}' were excluded`)
  for (const m of kept) copyPath(op, src, m, globDestination(clean(pattern), m, dest), out, exclude, base, record)
}

type Record_ = (from: string, to: string) => void

function copySingle(op: CopyOperation, src: FileTree, path: string, dest: string, slash: boolean, out: MemoryTree, exclude: string[], record: Record_): void {
  const st = src.stat(path)
  if (!st) throw new Error(`source '${path}' does not exist`)
  const name = path.split('/').pop() ?? path
  if (st.type === 'dir') {
    copyPath(op, src, path, join(dest, name), out, exclude, path, record)
    return
  }
  if (shouldExcludePath(path, '.', exclude)) return
  const target = slash || out.stat(dest)?.type === 'dir' ? join(dest, name) : dest
  copyPath(op, src, path, target, out, exclude, '.', record)
}

function copyPath(op: CopyOperation, src: FileTree, path: string, dest: string, out: MemoryTree, exclude: string[], base: string, record: Record_): void {
  const st = src.stat(path)
  if (st?.type === 'dir') {
    for (const name of src.list(path)) {
      const child = `${path}/${name}`
      if (shouldExcludePath(child, base, exclude)) continue
      copyPath(op, src, child, join(dest, name), out, exclude, base, record)
    }
    return
  }
  const data = src.readFile(path)
  if (!data || st?.type !== 'file') return
  const existing = out.readFile(dest)
  if (op.strategy === 'Merge' && existing) out.addFile(dest, mergeYaml(existing, data))
  else out.addFile(dest, data)
  record(path, dest)
}

function mergeYaml(base: Uint8Array, overlay: Uint8Array): string {
  return stringify(mergeMap(loadMerged(base), loadMerged(overlay)))
}

function loadMerged(bytes: Uint8Array): JsonObject {
  let out: JsonObject = {}
  for (const doc of parseYaml12Documents(new TextDecoder().decode(bytes)).docs) {
    const v = doc.value
    if (isJsonObject(v)) out = mergeMap(out, v)
  }
  return out
}

function mergeMap(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = { ...base }
  for (const [k, v] of Object.entries(overlay)) {
    const b = Object.hasOwn(out, k) ? out[k] : undefined
    setOwn(out, k, isJsonObject(v) && isJsonObject(b) ? mergeMap(b, v) : v)
  }
  return out
}

/** Go fs.Glob over a FileTree: each pattern segment matches one path segment. */
export function fsGlob(tree: FileTree, pattern: string): string[] {
  let current = ['']
  for (const seg of pattern.split('/')) {
    const next: string[] = []
    for (const dir of current) {
      if (!/[*?[\]]/.test(seg)) {
        const p = dir ? `${dir}/${seg}` : seg
        if (tree.stat(p)) next.push(p)
        continue
      }
      if (dir !== '' && tree.stat(dir)?.type !== 'dir') continue
      for (const name of tree.list(dir)) if (globMatch(seg.replaceAll('**', '*'), name)) next.push(dir ? `${dir}/${name}` : name)
    }
    current = next
  }
  return current.filter((p) => p !== '')
}

function globDestination(pattern: string, match: string, dest: string): string {
  if (pattern.endsWith('/**')) {
    const prefix = pattern.slice(0, -3)
    if (match.startsWith(prefix + '/')) return join(dest, match.slice(prefix.length + 1))
  }
  return join(dest, match)
}

function selectionRoot(pattern: string): string {
  const parts: string[] = []
  for (const p of clean(pattern).split('/')) {
    if (/[*?[\]]/.test(p)) break
    parts.push(p)
  }
  return parts.length === 0 ? '.' : parts.join('/')
}

function shouldExcludePath(path: string, base: string, patterns: string[]): boolean {
  if (patterns.length === 0) return false
  if (excluded(path, patterns)) return true
  if (base === '.' || base === '') return false
  if (!path.startsWith(base + '/')) return false
  return excluded(path.slice(base.length + 1), patterns)
}

function excluded(path: string, patterns: string[]): boolean {
  const name = path.split('/').pop() ?? path
  return patterns.some((p) => doublestarMatch(p, path) || (!p.includes('/') && doublestarMatch(p, name)))
}

function clean(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/')
}

function join(a: string, b: string): string {
  return clean(a ? `${a}/${b}` : b)
}

import type { FileTree } from '../../../ports/file-tree.js'
import { YAML_LIMITS as LIMITS, type YamlError } from '../../yaml/index.js'

/** kustomize's load restrictor: RootOnly keeps file reads inside the kustomization folder. */
export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone'

/** A build error that carries kustomize's own wording; becomes a diagnostic at the top. */
export class KustomizeError extends Error {
  /** 1-based line in `file`, when the error is about one entry of a kustomization. */
  line?: number
  /** The path the error is about when `file` is the kustomization that names it. */
  subject?: string

  constructor(
    message: string,
    readonly code: string = 'kustomize/build-failed',
    readonly file?: string,
  ) {
    super(message)
  }
}

/** A YAML reader's error about `file` (a syntax error or a crossed budget), at its line. */
export function yamlError(e: YamlError, message: string, file: string): KustomizeError {
  const err = new KustomizeError(message, e.code === 'yaml/syntax' ? 'kustomize/invalid-yaml' : e.code, file)
  if (e.line !== undefined) err.line = e.line
  return err
}

/** Prefixes a KustomizeError's message the way kustomize wraps errors on the way up. */
export function wrapError(err: unknown, prefix: string): KustomizeError {
  if (err instanceof KustomizeError) {
    const wrapped = new KustomizeError(`${prefix}: ${err.message}`, err.code, err.file)
    if (err.line !== undefined) wrapped.line = err.line
    if (err.subject !== undefined) wrapped.subject = err.subject
    return wrapped
  }
  throw err
}

/** Joins and normalizes tree paths (POSIX, no leading slash); undefined when `..` leaves the tree. */
export function joinPath(base: string, rel: string): string | undefined {
  const parts = rel.startsWith('/') ? [] : base.split('/').filter((p) => p !== '')
  for (const p of rel.split('/')) {
    if (p === '' || p === '.') continue
    if (p === '..') {
      if (parts.length === 0) return undefined
      parts.pop()
    } else parts.push(p)
  }
  return parts.join('/')
}

/** How a tree path is shown in messages: absolute, as kustomize prints it. */
export function display(path: string): string {
  return '/' + path
}

export function isUnder(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(dir + '/')
}

/** Reads files for one kustomization folder, enforcing the load restrictor. */
export class Loader {
  constructor(
    readonly tree: FileTree,
    readonly root: string,
    readonly restrictor: LoadRestrictor,
    /** Folders of the kustomizations that led here, to report cycles. */
    readonly visited: readonly string[] = [],
  ) {}

  /** Tree path of `rel` from this folder, or an error message. */
  resolve(rel: string): string {
    const p = joinPath(this.root, rel)
    if (p === undefined) throw new KustomizeError(`security; path '${rel}' leaves the repository root`, 'kustomize/outside-root')
    return p
  }

  /** A file's text, honouring the restrictor; throws KustomizeError. */
  load(rel: string): string {
    return new TextDecoder().decode(this.loadBytes(rel))
  }

  /** A file's bytes, honouring the restrictor; throws KustomizeError. */
  loadBytes(rel: string): Uint8Array {
    const path = this.resolve(rel)
    const st = this.tree.stat(path)
    if (st === undefined) {
      throw new KustomizeError(`evalsymlink failure on '${display(path)}' : lstat ${display(path)}: no such file or directory`, 'kustomize/missing-file', display(path))
    }
    if (this.restrictor === 'LoadRestrictionsRootOnly' && !isUnder(path, this.root)) {
      throw new KustomizeError(`security; file '${display(path)}' is not in or below '${display(this.root)}'`, 'kustomize/load-restricted', display(path))
    }
    if (st.type === 'dir') throw new KustomizeError(`read ${display(path)}: is a directory`, 'kustomize/missing-file', display(path))
    const bytes = this.tree.readFile(path)
    if (bytes === undefined) {
      throw new KustomizeError(`security; file '${display(path)}' is a symlink leaving the repository root`, 'kustomize/outside-root', display(path))
    }
    if (bytes.byteLength > LIMITS.maxFileBytes) throw new KustomizeError(`file '${display(path)}' is larger than ${LIMITS.maxFileBytes} bytes`, 'kustomize/too-large', display(path))
    return bytes
  }

  isDir(rel: string): boolean {
    const p = joinPath(this.root, rel)
    return p !== undefined && this.tree.stat(p)?.type === 'dir'
  }

  exists(rel: string): boolean {
    const p = joinPath(this.root, rel)
    return p !== undefined && this.tree.stat(p) !== undefined
  }

  /** A loader for a base or component folder; errors on cycles like kustomize. */
  child(rel: string): Loader {
    const path = this.resolve(rel)
    const st = this.tree.stat(path)
    if (st === undefined) {
      throw new KustomizeError(`must build at directory: not a valid directory: evalsymlink failure on '${display(path)}' : lstat ${display(path)}: no such file or directory`, 'kustomize/missing-resource', display(path))
    }
    if (st.type !== 'dir') throw new KustomizeError(`must build at directory: '${display(path)}': file is not directory`, 'kustomize/missing-resource', display(path))
    const chain = [...this.visited, this.root]
    for (const v of chain) {
      if (isUnder(v, path)) {
        throw new KustomizeError(
          `cycle detected: candidate root '${display(path)}' contains visited root '${display(v)}' (chain: ${[...chain, path].map(display).join(' -> ')})`,
          'kustomize/cycle',
          display(path),
        )
      }
    }
    return new Loader(this.tree, path, this.restrictor, chain)
  }
}

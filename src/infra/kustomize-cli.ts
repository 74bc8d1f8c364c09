import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Diagnostic } from '../core/diagnostics/diagnostic.js'
import { isKubeObject, type KubeObject } from '../core/model/object.js'
import type { KustomizeEngine, KustomizeOptions, KustomizeResult } from '../core/render/kustomize/index.js'
import { parseYamlDocuments } from '../core/yaml/index.js'
import type { FileTree } from '../ports/file-tree.js'

/** How to run the reference binary. */
export interface KustomizeCliOptions {
  /** Path of `kustomize` or `kubectl`. */
  binary: string
  /** `kustomize` runs `BIN build DIR`; `kubectl` runs `BIN kustomize DIR`. Default: guessed from the file name. */
  flavor?: 'kustomize' | 'kubectl'
  /** Milliseconds before the process is killed (default 60 s). */
  timeoutMs?: number
}

/**
 * A KustomizeEngine that runs a real `kustomize build` (or `kubectl kustomize`) on a copy
 * of the tree in a temp dir: for users who want the reference binary, and for differential
 * tests of our engine. Never required by Fluxgate itself.
 */
export class KustomizeCli implements KustomizeEngine {
  private readonly binary: string
  private readonly flavor: 'kustomize' | 'kubectl'
  private readonly timeoutMs: number

  constructor(opts: KustomizeCliOptions) {
    this.binary = opts.binary
    this.flavor = opts.flavor ?? (/kubectl[^/]*$/.test(opts.binary) ? 'kubectl' : 'kustomize')
    this.timeoutMs = opts.timeoutMs ?? 60_000
  }

  build(tree: FileTree, dir: string, opts: KustomizeOptions = {}): KustomizeResult {
    const out = this.buildText(tree, dir, opts)
    if (!out.ok) return { ok: false, objects: [], diagnostics: [out.diagnostic] }
    const objects = parseYamlDocuments(out.text).filter((d) => isKubeObject(d)) as unknown as KubeObject[]
    return { ok: true, objects, diagnostics: [] }
  }

  /** The binary's stdout as it printed it (differential tests compare these bytes). */
  buildText(tree: FileTree, dir: string, opts: KustomizeOptions = {}): { ok: true; text: string } | { ok: false; diagnostic: Diagnostic } {
    const tmp = mkdtempSync(join(tmpdir(), 'fluxgate-kustomize-'))
    try {
      copyTree(tree, '', tmp)
      const args = this.flavor === 'kubectl' ? ['kustomize'] : ['build']
      args.push('--reorder', opts.reorder ?? 'legacy', '--load-restrictor', opts.loadRestrictor ?? 'LoadRestrictionsRootOnly')
      args.push(join(tmp, dir))
      let out: string
      try {
        out = execFileSync(this.binary, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: this.timeoutMs, maxBuffer: 256 * 1024 * 1024 })
      } catch (e) {
        const err = e as { stderr?: string; message: string }
        const text = (err.stderr || err.message).split(tmp + '/').join('').split(tmp).join('').trim()
        return { ok: false, diagnostic: failure(text, dir) }
      }
      return { ok: true, text: out }
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  }
}

function failure(message: string, dir: string): Diagnostic {
  return { code: 'kustomize/build-failed', severity: 'error', message, location: { file: dir } }
}

/** Writes every file of `tree` under `dest` (in-tree symlinks are kept as links). */
function copyTree(tree: FileTree, path: string, dest: string): void {
  for (const name of tree.list(path)) {
    const p = path === '' ? name : `${path}/${name}`
    const st = tree.stat(p)
    const target = join(dest, p)
    if (st?.type === 'dir') {
      mkdirSync(target, { recursive: true })
      copyTree(tree, p, dest)
    } else if (st?.type === 'symlink' && st.target !== undefined && !st.target.startsWith('/')) {
      mkdirSync(dirname(target), { recursive: true })
      symlinkSync(st.target, target)
    } else if (st?.type === 'file') {
      const bytes = tree.readFile(p)
      if (bytes === undefined) continue
      mkdirSync(dirname(target), { recursive: true })
      writeFileSync(target, bytes)
    }
  }
}

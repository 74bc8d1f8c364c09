import type { FileStat, FileTree } from '../../ports/file-tree.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../model/object.js'
import { normalizePath } from '../tree/memory-tree.js'
import { deltaFromName, identityOf, passOver, treeDelta, type TreeDelta, type TreeQuestion } from '../tree/tree-delta.js'
import { applyCopyOperations, type CopyOperation } from './artifact-generator.js'
import { phase } from '../timings/phases.js'
import { MountTree } from './mount-tree.js'
import { sameRepository } from './repo-url.js'
import { artifactPatterns, defaultPatterns, readPatterns } from './sourceignore.js'
import { FilteredTree } from './filtered-tree.js'
import { ociRepository, type PushedArtifact } from './workflows.js'

/** A `sourceRef` / `chartRef` after defaulting its namespace. */
export interface SourceRef {
  kind: string
  name: string
  namespace: string
}

/** What a source reference resolves to for an offline render. */
export type ArtifactResult =
  /** `origin` maps an artifact path to the repository path it came from, when it came from this repository. */
  | { type: 'tree'; tree: FileTree; source: string; origin?: (path: string) => string | undefined }
  /** `severity` of the note: `warning` where the source may well carry this repository (map it with `sources:`). */
  | { type: 'external'; note: string; severity?: 'info' | 'warning' }
  | { type: 'missing'; note: string }
  | { type: 'failed'; note: string }

/** Finds Flux source objects rendered so far in the cluster. */
export interface SourceLookup {
  find(kind: string, namespace: string, name: string): KubeObject | undefined
  /** The ArtifactGenerator that produces ExternalArtifact `namespace/name`. */
  generatorFor(namespace: string, name: string): KubeObject | undefined
}

/** How sources are matched to the repository under review. */
export interface SourceOptions {
  /** The URL of the repository being rendered; GitRepositories with this URL are "this repository". */
  repoUrl?: string
  /** The branch the render stands for (a pull request's base); other branches are external (G-10). */
  branch?: string
  /**
   * The cluster's root source (the one its root Kustomization names) and its object when Git
   * has it: this repository, whatever its URL or ref says. Default: GitRepository flux-system/flux-system.
   */
  root?: { ref: SourceRef; object?: KubeObject }
  /** `Kind/namespace/name` → repository folder: sources the settings say carry this repository. */
  mapped?: ReadonlyMap<string, string>
  /** OCI artifacts this repository's workflows push from one of its folders. */
  pushed?: readonly PushedArtifact[]
}

const BOOTSTRAP: SourceRef = { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }

const MAP_HINT = 'if it carries this repository, map it with `sources:` in .github/fluxgate.yml or --source'

/** Resolves sourceRefs to artifact trees (section 8), caching each artifact. */
export class SourceResolver {
  private readonly cache = new Map<string, ArtifactResult>()
  private readonly resolving = new Set<string>()

  constructor(
    private readonly repo: FileTree,
    private readonly opts: SourceOptions,
    private readonly lookup: SourceLookup,
  ) {}

  /** The artifact tree of a source, or why there is none. */
  resolve(ref: SourceRef): ArtifactResult {
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`
    const hit = this.cache.get(key)
    if (hit) return hit
    if (this.resolving.has(key)) return { type: 'failed', note: `source cycle through ${key}` }
    this.resolving.add(key)
    try {
      const result = phase('walk: sources', () => this.resolveUncached(ref))
      if (result.type === 'tree' || result.type === 'external') this.cache.set(key, result)
      return result
    } finally {
      this.resolving.delete(key)
    }
  }

  private resolveUncached(ref: SourceRef): ArtifactResult {
    const mapped = this.opts.mapped?.get(`${ref.kind}/${ref.namespace}/${ref.name}`)
    if (mapped !== undefined) return this.folder(mapped, `${ref.kind} ${ref.namespace}/${ref.name} (mapped to ${mapped || '.'} by the settings)`)
    switch (ref.kind) {
      case 'GitRepository':
        return this.gitRepository(ref)
      case 'ExternalArtifact':
        return this.externalArtifact(ref)
      case 'OCIRepository':
      case 'Bucket':
        return this.remoteArtifact(ref)
      default:
        return { type: 'failed', note: `unsupported source kind ${ref.kind}` }
    }
  }

  private isRoot(ref: SourceRef): boolean {
    const root = this.opts.root?.ref ?? BOOTSTRAP
    return root.kind === ref.kind && root.namespace === ref.namespace && root.name === ref.name
  }

  /** A folder of this repository as an artifact, with the default ignore rules and its own .sourceignore files. */
  private folder(dir: string, source: string): ArtifactResult {
    const d = normalizePath(dir)
    if (d !== '' && this.repo.stat(d)?.type !== 'dir') return { type: 'failed', note: `${source}: ${d} is not a folder of this repository` }
    const tree = d === '' ? this.repo : subTree(this.repo, d)
    return { type: 'tree', tree: new FilteredTree(tree, artifactPatterns(tree, undefined)), source, origin: (p) => (d === '' ? p : p === '' ? d : `${d}/${p}`) }
  }

  /**
   * An OCIRepository or Bucket: the root's own source is this repository (a FluxInstance or
   * root Kustomization that syncs it from an artifact of it); an OCIRepository whose URL a
   * workflow of this repository pushes from a folder is that folder; anything else is
   * fetched from outside (G-6, G-7).
   */
  private remoteArtifact(ref: SourceRef): ArtifactResult {
    if (this.isRoot(ref)) return this.folder('', `this repository (${ref.kind} ${ref.namespace}/${ref.name}, the cluster's root source)`)
    const obj = this.lookup.find(ref.kind, ref.namespace, ref.name)
    const spec = obj && isJsonObject(obj['spec']) ? obj['spec'] : {}
    const url = typeof spec['url'] === 'string' ? spec['url'] : ''
    if (ref.kind === 'OCIRepository' && url) {
      const repo = ociRepository(url)
      const push = this.opts.pushed?.find((p) => p.repository === repo)
      if (push) return this.folder(push.path, `this repository's ${push.path || '.'} (OCIRepository ${ref.namespace}/${ref.name}, pushed by ${push.file})`)
    }
    return { type: 'external', severity: 'warning', note: `${ref.kind} ${ref.namespace}/${ref.name}${url ? ` (${url})` : ''} is fetched from outside the repository (G-6, G-7); not rendered (${MAP_HINT})` }
  }

  private gitRepository(ref: SourceRef): ArtifactResult {
    const isRoot = this.isRoot(ref)
    const obj = this.lookup.find('GitRepository', ref.namespace, ref.name) ?? (isRoot ? this.opts.root?.object : undefined)
    if (!obj) {
      if (isRoot) return { type: 'tree', tree: new FilteredTree(this.repo, artifactPatterns(this.repo, undefined)), source: 'this repository (the cluster\'s root source)', origin: (p) => p }
      return { type: 'missing', note: `GitRepository ${ref.namespace}/${ref.name} not found in the rendered fleet` }
    }
    const spec = isJsonObject(obj['spec']) ? obj['spec'] : {}
    const url = typeof spec['url'] === 'string' ? spec['url'] : ''
    // The root source is this repository whatever its URL says (a fork, a mirror, a rename).
    const ours = isRoot || (this.opts.repoUrl !== undefined && url !== '' && sameRepository(url, this.opts.repoUrl))
    if (!ours) return { type: 'external', severity: 'info', note: `GitRepository ${ref.namespace}/${ref.name} points at ${url || 'another repository'}; not rendered` }
    const otherRef = isRoot ? undefined : otherRefOf(spec, this.opts.branch)
    if (otherRef) return { type: 'external', note: `GitRepository ${ref.namespace}/${ref.name} tracks ${otherRef} of this repository, which this change does not touch (G-10); not rendered` }
    const included = this.applyIncludes(spec, ref.namespace, sparse(this.repo, spec))
    if ('note' in included) return included
    const ignore = typeof spec['ignore'] === 'string' ? spec['ignore'] : undefined
    // Includes are copied before the ignore rules load, so they are filtered too (G-5).
    return { type: 'tree', tree: new FilteredTree(included.tree, artifactPatterns(included.tree, ignore)), source: `this repository (GitRepository ${ref.namespace}/${ref.name})`, origin: included.origin }
  }

  private applyIncludes(spec: JsonObject, namespace: string, checkout: FileTree): { tree: FileTree; origin: (path: string) => string | undefined } | ArtifactResult {
    const includes = Array.isArray(spec['include']) ? spec['include'].filter(isJsonObject) : []
    if (includes.length === 0) return { tree: checkout, origin: (p) => p }
    const mounts: { at: string; tree: FileTree }[] = []
    // A file under a mount point came from the included artifact, at its fromPath.
    const origins: { at: string; from: string; origin: ((path: string) => string | undefined) | undefined }[] = []
    for (const inc of includes) {
      const repo = isJsonObject(inc['repository']) ? inc['repository'] : {}
      const name = typeof repo['name'] === 'string' ? repo['name'] : ''
      const res = this.resolve({ kind: 'GitRepository', namespace, name })
      if (res.type !== 'tree') return res.type === 'external' ? res : { type: 'failed', note: `include ${name}: ${res.note}` }
      const from = normalizePath(typeof inc['fromPath'] === 'string' ? inc['fromPath'] : '')
      const to = normalizePath(typeof inc['toPath'] === 'string' ? inc['toPath'] : name)
      const existing = this.repo.stat(to)
      if (existing && (existing.type === 'file' || this.repo.list(to).length > 0)) {
        return { type: 'failed', note: `include ${name}: toPath '${to}' already exists in the checkout (G-5)` }
      }
      mounts.push({ at: to, tree: from ? subTree(res.tree, from) : res.tree })
      origins.push({ at: to, from, origin: res.origin })
    }
    const origin = (p: string): string | undefined => {
      const m = origins.find((o) => p === o.at || p.startsWith(o.at + '/'))
      if (!m) return p
      const rest = p.slice(m.at.length + 1)
      return m.origin?.(m.from && rest ? `${m.from}/${rest}` : m.from || rest)
    }
    return { tree: new MountTree(checkout, mounts), origin }
  }

  private externalArtifact(ref: SourceRef): ArtifactResult {
    const gen = this.lookup.generatorFor(ref.namespace, ref.name)
    if (!gen) return { type: 'external', severity: 'warning', note: `ExternalArtifact ${ref.namespace}/${ref.name} has no ArtifactGenerator in this repository; not rendered (${MAP_HINT})` }
    const spec = isJsonObject(gen['spec']) ? gen['spec'] : {}
    const sources = new Map<string, FileTree>()
    const originOf = new Map<string, (p: string) => string | undefined>()
    for (const s of Array.isArray(spec['sources']) ? spec['sources'].filter(isJsonObject) : []) {
      const alias = String(s['alias'] ?? '')
      const res = this.resolve({ kind: String(s['kind'] ?? ''), name: String(s['name'] ?? ''), namespace: typeof s['namespace'] === 'string' ? s['namespace'] : ref.namespace })
      if (res.type !== 'tree') return res.type === 'external' ? { ...res, note: `ArtifactGenerator source @${alias}: ${res.note}` } : { type: 'failed', note: `ArtifactGenerator source @${alias}: ${res.note}` }
      sources.set(alias, res.tree)
      if (res.origin) originOf.set(alias, res.origin)
    }
    const artifact = (Array.isArray(spec['artifacts']) ? spec['artifacts'].filter(isJsonObject) : []).find((a) => a['name'] === ref.name)
    if (!artifact) return { type: 'missing', note: `ArtifactGenerator has no artifact ${ref.name}` }
    const ops = (Array.isArray(artifact['copy']) ? artifact['copy'].filter(isJsonObject) : []).map(toCopyOp)
    try {
      const copied = new Map<string, { alias: string; path: string }>()
      const staged = applyCopyOperations(ops, sources, copied)
      const origin = (p: string): string | undefined => {
        const hit = copied.get(p)
        if (hit) return originOf.get(hit.alias)?.(hit.path)
        // A folder: the origin of any file below it, minus the rest of that file's path.
        for (const [dest, src] of copied) {
          if (!dest.startsWith(p + '/')) continue
          const repoPath = originOf.get(src.alias)?.(src.path)
          const tail = dest.slice(p.length)
          return repoPath?.endsWith(tail) ? repoPath.slice(0, -tail.length) : undefined
        }
        return undefined
      }
      // The generated artifact is archived with the default ignore rules only.
      return { type: 'tree', tree: new FilteredTree(staged, defaultPatterns()), source: `ExternalArtifact ${ref.namespace}/${ref.name} (ArtifactGenerator ${gen.metadata.namespace ?? ''}/${gen.metadata.name})`, origin }
    } catch (err) {
      const message = (err as Error).message
      // Tarballs inside a source cannot be unpacked offline: not the change's fault.
      if (message.includes('Extract strategy')) return { type: 'external', note: message }
      return { type: 'failed', note: message }
    }
  }
}

// G-3: go-git's sparse checkout keeps only index entries under the listed directories, so
// files at the repository root do not survive either (settled UNCONFIRMED, docs/flux-rules.md).
function sparse(repo: FileTree, spec: JsonObject): FileTree {
  const dirs = Array.isArray(spec['sparseCheckout']) ? spec['sparseCheckout'].map((d) => normalizePath(String(d))).filter(Boolean) : []
  if (dirs.length === 0) return repo
  return new FilteredTree(repo, readPatterns(['/*', ...dirs.map((d) => `!/${d}/`)].join('\n'), []))
}

// G-10: only a GitRepository that follows the reviewed branch sees this tree; commit, tag,
// semver and name refs (and other branches, when the branch is known) are other revisions.
// A `name` of `refs/heads/<b>` is branch <b> (what a FluxInstance sync writes).
function otherRefOf(spec: JsonObject, branch: string | undefined): string | undefined {
  const ref = isJsonObject(spec['ref']) ? spec['ref'] : {}
  const named = typeof ref['name'] === 'string' ? /^refs\/heads\/(.+)$/.exec(ref['name'])?.[1] : undefined
  for (const key of ['commit', 'name', 'tag', 'semver']) if (typeof ref[key] === 'string' && ref[key] && !(key === 'name' && named)) return `${key} ${ref[key]}`
  const b = named ?? (typeof ref['branch'] === 'string' && ref['branch'] ? ref['branch'] : 'master')
  if (branch !== undefined && b !== branch) return `branch ${b}`
  return undefined
}

function toCopyOp(o: JsonObject): CopyOperation {
  return {
    from: String(o['from'] ?? ''),
    to: String(o['to'] ?? ''),
    ...(Array.isArray(o['exclude']) ? { exclude: o['exclude'].map(String) } : {}),
    ...(typeof o['strategy'] === 'string' ? { strategy: o['strategy'] } : {}),
  }
}

/** A view of a sub-folder of a tree as its own root. */
export function subTree(tree: FileTree, dir: string): FileTree {
  return new SubTree(tree, dir)
}

class SubTree implements FileTree {
  constructor(
    private readonly tree: FileTree,
    private readonly dir: string,
  ) {}

  private at(x: string): string {
    const p = normalizePath(x)
    return p ? `${this.dir}/${p}` : this.dir
  }

  stat(x: string): FileStat | undefined {
    return this.tree.stat(this.at(x))
  }

  readFile(x: string): Uint8Array | undefined {
    return this.tree.readFile(this.at(x))
  }

  list(x: string): string[] {
    return this.tree.list(this.at(x))
  }

  /** The same folder of two trees answers alike wherever the trees do there (tree-delta.ts). */
  deltaTo(other: FileTree): TreeDelta | undefined {
    if (!(other instanceof SubTree) || other.dir !== this.dir) return undefined
    const d = treeDelta(this.tree, other.tree)
    return d && { unchanged: (q, x) => d.unchanged(q, this.at(x)) }
  }

  /** Its tree's name and its folder (tree-delta.ts). */
  identity(): string | undefined {
    const id = identityOf(this.tree)
    return id === undefined ? undefined : `${this.namePrefix()}${id}`
  }

  /** The same folder of the tree of a name answers alike wherever the trees do there (deltaTo). */
  deltaFromName(name: string): TreeDelta | undefined {
    const prefix = this.namePrefix()
    const d = name.startsWith(prefix) ? deltaFromName(name.slice(prefix.length), this.tree) : undefined
    return d && { unchanged: (q, x) => d.unchanged(q, this.at(x)) }
  }

  private namePrefix(): string {
    return `folder ${JSON.stringify(this.dir)} of `
  }

  /** A question of the folder is its tree's question of the same path there (tree-delta.ts). */
  passOver(q: TreeQuestion, x: string): boolean {
    return passOver(this.tree, q, this.at(x))
  }
}

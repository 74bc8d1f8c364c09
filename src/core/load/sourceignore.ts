import type { FileStat, FileTree } from '../../ports/file-tree.js'
import { LRUCache } from 'lru-cache'
import { textDigest } from '../tree/content-id.js'
import { deltaFromName, identityOf, kindOf, noteDerived, passOver, treeDelta, watchedTree, type TreeDelta, type TreeQuestion } from '../tree/tree-delta.js'
import { globMatch } from './glob.js'

/**
 * Flux's ignore rules for artifacts (G-4): gitignore syntax with go-git's matcher, as
 * fluxcd/pkg sourceignore applies them when source-controller archives an artifact.
 */
export interface IgnorePattern {
  domain: string[]
  parts: string[]
  inclusion: boolean
  dirOnly: boolean
  anchored: boolean
}

const VCS = ['.git/', '.gitignore', '.gitmodules', '.gitattributes']
const DEFAULTS = [
  '*.jpg', '*.jpeg', '*.gif', '*.png', '*.wmv', '*.flv', '*.tar.gz', '*.zip',
  '.github/', '.circleci/', '.travis.yml', '.gitlab-ci.yml', 'appveyor.yml', '.drone.yml', 'cloudbuild.yaml',
  'codeship-services.yml', 'codeship-steps.yml',
  '**/.goreleaser.yml', '**/.sops.yaml', '**/.flux.yaml',
]

/** One gitignore line scoped to `domain` (the directory holding the ignore file). */
export function parsePattern(line: string, domain: string[]): IgnorePattern {
  let p = line
  let inclusion = false
  if (p.startsWith('!')) {
    inclusion = true
    p = p.slice(1)
  }
  if (!p.endsWith('\\ ')) p = p.replace(/ +$/, '')
  let dirOnly = false
  if (p.endsWith('/')) {
    dirOnly = true
    p = p.slice(0, -1)
  }
  return { domain: [...domain], parts: p.split('/'), inclusion, dirOnly, anchored: p.includes('/') }
}

/** Reads ignore-file text: `#` lines and blank lines are skipped. */
export function readPatterns(text: string, domain: string[]): IgnorePattern[] {
  return text
    .split(/\r?\n/)
    .filter((s) => !s.startsWith('#') && s.trim().length > 0)
    .map((s) => parsePattern(s, domain))
}

type MatchResult = 'none' | 'exclude' | 'include'

function matchPattern(p: IgnorePattern, path: string[], isDir: boolean): MatchResult {
  if (path.length <= p.domain.length) return 'none'
  for (let i = 0; i < p.domain.length; i++) if (path[i] !== p.domain[i]) return 'none'
  const rest = path.slice(p.domain.length)
  const ok = p.anchored ? anchoredMatch(p, rest, isDir) : simpleNameMatch(p, rest, isDir)
  if (!ok) return 'none'
  return p.inclusion ? 'include' : 'exclude'
}

function simpleNameMatch(p: IgnorePattern, path: string[], isDir: boolean): boolean {
  for (let i = 0; i < path.length; i++) {
    if (!globMatch(p.parts[0] ?? '', path[i]!)) continue
    if (p.dirOnly && !isDir && i === path.length - 1) return false
    return true
  }
  return false
}

// go-git's globMatch: `**` spans directories; a matching directory prefix matches all below it.
function anchoredMatch(p: IgnorePattern, input: string[], isDir: boolean): boolean {
  let path = input
  let matched = false
  let canTraverse = false
  for (let i = 0; i < p.parts.length; i++) {
    const part = p.parts[i]!
    if (part === '') {
      canTraverse = false
      continue
    }
    if (part === '**') {
      if (i === p.parts.length - 1) break
      canTraverse = true
      continue
    }
    if (part.includes('**')) return false
    if (path.length === 0) return false
    if (canTraverse) {
      canTraverse = false
      while (path.length > 0) {
        const e = path[0]!
        path = path.slice(1)
        if (globMatch(part, e)) {
          matched = true
          break
        } else if (path.length === 0) matched = false
      }
    } else {
      if (!globMatch(part, path[0]!)) return false
      matched = true
      path = path.slice(1)
    }
  }
  if (matched && p.dirOnly && !isDir && path.length === 0) matched = false
  return matched
}

/** The last pattern that matches decides (G-4). */
export function isIgnored(patterns: IgnorePattern[], path: string, isDir: boolean): boolean {
  const parts = path.split('/')
  for (let i = patterns.length - 1; i >= 0; i--) {
    const r = matchPattern(patterns[i]!, parts, isDir)
    if (r !== 'none') return r === 'exclude'
  }
  return false
}

/**
 * Every `.sourceignore` in the tree, root first then sub-directories depth-first in name
 * order, each scoped to its directory (G-4). `.git` is not descended into.
 */
export function loadSourceIgnore(tree: FileTree, dir = '', domain: string[] = []): IgnorePattern[] {
  const out: IgnorePattern[] = []
  const file = tree.readFile(dir ? `${dir}/.sourceignore` : '.sourceignore')
  if (file && tree.stat(dir ? `${dir}/.sourceignore` : '.sourceignore')?.type === 'file') {
    out.push(...readPatterns(new TextDecoder().decode(file), domain))
  }
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    if (name === '.git' || tree.stat(p)?.type !== 'dir') continue
    out.push(...loadSourceIgnore(tree, p, [...domain, name]))
  }
  return out
}

/**
 * The `.sourceignore` patterns of a whole tree, found once per tree: every cluster and every
 * GitRepository of a fleet asks for them, and finding them walks every folder. Trees do not
 * change while they are read (a commit, or a checkout being rendered).
 */
const patternsOf = new WeakMap<FileTree, readonly IgnorePattern[]>()

/** Trees whose patterns were found last, newest first (not kept alive by this list). */
const RECENT: WeakRef<FileTree>[] = []

/**
 * The patterns of a recent tree that `tree` differs from in named paths only, none of them a
 * `.sourceignore` (added, removed or changed): the same files, so the same patterns, without
 * searching every folder again (a tenth of an App replan of a 10,000-Kustomization fleet).
 */
function patternsLike(tree: FileTree): readonly IgnorePattern[] | undefined {
  const named = (p: string): boolean => p === '.sourceignore' || p.endsWith('/.sourceignore')
  for (const ref of RECENT) {
    const then = ref.deref()
    const found = then && patternsOf.get(then)
    const changes = found ? treeDelta(then, tree)?.changes : undefined
    if (!found || !changes) continue
    if ([...changes.entries].some(named) || [...changes.shapes].some(named)) continue
    return found
  }
  return undefined
}

function treePatterns(tree: FileTree): readonly IgnorePattern[] {
  // Found on the tree itself, not through a tree that watches a cluster's walk: the walk
  // depends on the patterns, not on every folder searched for them (tree-delta.ts noteDerived).
  const raw = watchedTree(tree)
  let found = patternsOf.get(raw)
  if (!found) {
    patternsOf.set(raw, (found = patternsLike(raw) ?? loadSourceIgnore(raw)))
    RECENT.unshift(new WeakRef(raw))
    RECENT.length = Math.min(RECENT.length, 4)
  }
  if (raw !== tree) noteDerived(tree, 'sourceignore', JSON.stringify(found), (t) => JSON.stringify(treePatterns(t)))
  return found
}

/**
 * The patterns source-controller applies to a GitRepository artifact: VCS defaults, then the
 * other defaults only when no `.sourceignore` or `spec.ignore` pattern exists (G-4), then
 * `.sourceignore` files, then spec.ignore.
 */
export function artifactPatterns(tree: FileTree, specIgnore: string | undefined, withDefaults = true): IgnorePattern[] {
  const user = [...treePatterns(tree), ...(specIgnore ? readPatterns(specIgnore, []) : [])]
  const vcs = VCS.map((p) => parsePattern(p, []))
  if (user.length > 0 || !withDefaults) return [...vcs, ...user]
  return [...vcs, ...DEFAULTS.map((p) => parsePattern(p, [])), ...user]
}

/**
 * A view of `base` without ignored files and without symlinks (artifacts keep only regular
 * files and directories, G-3). Directories stay visible while they hold a kept file.
 */
export class FilteredTree implements FileTree {
  private readonly keep: Map<string, boolean>
  private readonly kept: Map<string, boolean>
  /** The patterns as JSON: two views with the same patterns filter alike. */
  private readonly key: string

  constructor(
    private readonly base: FileTree,
    private readonly patterns: IgnorePattern[],
  ) {
    // Every cluster of a fleet, and the head of a pull request after its base, views trees
    // through the same patterns: a file's verdict depends on its path and the patterns only,
    // a folder's on the tree too, so both are shared instead of matched again per view.
    const key = JSON.stringify(patterns)
    this.key = key
    let files = FILE_VERDICTS.get(key)
    if (!files) FILE_VERDICTS.set(key, (files = new Map()))
    this.kept = files
    let byPatterns = DIR_VERDICTS.get(base)
    if (!byPatterns) DIR_VERDICTS.set(base, (byPatterns = new Map()))
    let dirs = byPatterns.get(key)
    if (!dirs) byPatterns.set(key, (dirs = new Map()))
    this.keep = dirs
  }

  stat(path: string): FileStat | undefined {
    const st = this.base.stat(path)
    if (!st || st.type === 'symlink') return undefined
    if (path === '' || path === '.') return st
    if (st.type === 'file') return this.fileKept(path) ? st : undefined
    return this.dirHasFiles(path) ? st : undefined
  }

  readFile(path: string): Uint8Array | undefined {
    return this.stat(path)?.type === 'file' ? this.base.readFile(path) : undefined
  }

  /** Why a path of the repository is not in the artifact: a symlink (G-3) or ignored (G-4). */
  droppedBecause(path: string): 'symlink' | 'ignored' | undefined {
    const kind = kindOf(this.base, path)
    if (!kind || this.keeps(path, kind)) return undefined
    return kind === 'symlink' ? 'symlink' : 'ignored'
  }

  list(dir: string): string[] {
    return this.base.list(dir).filter((name) => {
      const p = dir ? `${dir}/${name}` : name
      return this.keeps(p, kindOf(this.base, p))
    })
  }

  /** Whether the view has an entry of this kind at `path` (stat without the size). */
  private keeps(path: string, kind: FileStat['type'] | undefined): boolean {
    if (!kind || kind === 'symlink') return false
    if (path === '' || path === '.') return true
    return kind === 'file' ? this.fileKept(path) : this.dirHasFiles(path)
  }

  /**
   * The same patterns over two trees answer alike wherever the trees do (tree-delta.ts): a
   * file's verdict is its path's, a folder's is whether a file below it is kept, which only an
   * added or removed file changes.
   */
  deltaTo(other: FileTree): TreeDelta | undefined {
    return other instanceof FilteredTree && other.key === this.key ? treeDelta(this.base, other.base) : undefined
  }

  /** Its tree's name and its patterns (tree-delta.ts); asked for every record checked or kept, so made once. */
  identity(): string | undefined {
    if (this.name === null) {
      const base = identityOf(this.base)
      this.name = base === undefined ? undefined : `${this.namePrefix()}${base}`
    }
    return this.name
  }

  /** The same patterns over the tree of a name answer alike wherever the trees do (deltaTo). */
  deltaFromName(name: string): TreeDelta | undefined {
    const prefix = this.namePrefix()
    return name.startsWith(prefix) ? deltaFromName(name.slice(prefix.length), this.base) : undefined
  }

  private namePrefix(): string {
    return `filtered ${textDigest(this.key)} of `
  }

  /**
   * What a question of this view asks of its tree (tree-delta.ts `passOver`): a file's bytes
   * its stat too; a stat or ignore verdict, for a folder, whether a kept file is below it,
   * which only a file added or removed below changes (what a listing's delta says); a listing,
   * the listing below.
   */
  passOver(q: TreeQuestion, path: string): boolean {
    if (q === 'read') return passOver(this.base, 'stat', path) && passOver(this.base, 'read', path)
    if (q === 'list') return passOver(this.base, 'list', path)
    return passOver(this.base, 'stat', path) && passOver(this.base, 'list', path)
  }

  private name: string | undefined | null = null

  private fileKept(path: string): boolean {
    let k = this.kept.get(path)
    if (k === undefined) {
      k = !isIgnored(this.patterns, path, false)
      this.kept.set(path, k)
    }
    return k
  }

  // The archive walk tests every file on its own and skips excluded directories' own
  // entries only, so a directory exists in the artifact iff some file below it is kept.
  private dirHasFiles(dir: string): boolean {
    const cached = this.keep.get(dir)
    if (cached !== undefined) return cached
    let result = false
    for (const name of this.base.list(dir)) {
      const p = `${dir}/${name}`
      const kind = kindOf(this.base, p)
      if (kind === 'file' && this.fileKept(p)) result = true
      else if (kind === 'dir' && this.dirHasFiles(p)) result = true
      if (result) break
    }
    this.keep.set(dir, result)
    return result
  }
}

/** Verdicts on files by pattern set (its JSON): the few pattern sets of a run, most recent kept. */
const FILE_VERDICTS = new LRUCache<string, Map<string, boolean>>({ max: 32 })
/** Verdicts on folders by tree, then pattern set. */
const DIR_VERDICTS = new WeakMap<FileTree, Map<string, Map<string, boolean>>>()

/** VCS and default exclusions only: what an archive with no user patterns gets (G-4). */
export function defaultPatterns(): IgnorePattern[] {
  return [...VCS, ...DEFAULTS].map((p) => parsePattern(p, []))
}

import type { FileTree } from '../../ports/file-tree.js'
import { noteDerived, treeDelta, watchedTree } from '../tree/tree-delta.js'
import { globMatch } from './glob.js'
import { RecentTrees } from '../tree/recent-trees.js'

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

/** Trees whose patterns were found last. */
const RECENT = new RecentTrees(4)

/**
 * The patterns of a recent tree that `tree` differs from in named paths only, none of them a
 * `.sourceignore` (added, removed or changed): the same files, so the same patterns, without
 * searching every folder again (a tenth of an App replan of a 10,000-Kustomization fleet).
 */
function patternsLike(tree: FileTree): readonly IgnorePattern[] | undefined {
  const named = (p: string): boolean => p === '.sourceignore' || p.endsWith('/.sourceignore')
  for (const then of RECENT.alive()) {
    const found = patternsOf.get(then)
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
    RECENT.note(raw)
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

/** VCS and default exclusions only: what an archive with no user patterns gets (G-4). */
export function defaultPatterns(): IgnorePattern[] {
  return [...VCS, ...DEFAULTS].map((p) => parsePattern(p, []))
}

import type { FileStat, FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { ClusterEntry } from '../load/clusters.js'
import { frozen } from '../model/frozen.js'
import { equalBytes, normalizePath } from '../tree/memory-tree.js'
import type { ClusterRender } from '../model/render-result.js'
import { identityOf, kindOf, treeDelta, type TreeDelta, type DerivingTree, type KindTree, type TreeQuestion } from '../tree/tree-delta.js'
import { resolveRoot } from './flux/root.js'
import { askedOf, noAsked, noteAsked, type AskedPaths, type BlockPassingTree, type QuestionBlock } from '../tree/question-blocks.js'
import type { WalkOptions } from './flux/walker.js'
import type { Declaration, DeclaredLookup } from './values/creators.js'

/**
 * The tree a cluster walk reads, watched: every question the walk asks of the repository, by
 * anyone (a unit's render, the source resolver, helm's chart files), and every question a
 * unit's read-set check answered from its record without asking (tree-delta.ts `passOver`,
 * or a whole source's questions of a record at once: question-blocks.ts). It answers as the
 * tree does; its deltas and name are the tree's. Only the questions are kept, by kind: the
 * tree watched is kept with them and answers them again when a later tree is compared (a tree
 * does not change), so noting a question costs no answer.
 */
export class ClusterReads implements DerivingTree, KindTree, BlockPassingTree {
  private readonly asked: AskedPaths = noAsked()
  /** Blocks of a unit record's questions passed over (question-blocks.ts): kept whole, worked out only when compared. */
  private readonly blocks = new Set<QuestionBlock>()

  /** Values worked out from the whole tree, by name: the answer, and how to work it out in another tree. */
  private readonly derived = new Map<string, { answer: string; again: (t: FileTree) => string }>()

  constructor(readonly watched: FileTree) {}

  noteDerived(name: string, answer: string, again: (t: FileTree) => string): void {
    if (!this.derived.has(name)) this.derived.set(name, { answer, again })
  }

  // Paths are noted as a tree delta names them (normalized), so that `sameIn` can look up the
  // few paths a delta says differ instead of asking about each path noted.
  stat(path: string): FileStat | undefined {
    this.asked.stat.add(normalizePath(path))
    return this.watched.stat(path)
  }

  readFile(path: string): Uint8Array | undefined {
    this.asked.read.add(normalizePath(path))
    return this.watched.readFile(path)
  }

  list(dir: string): string[] {
    this.asked.list.add(normalizePath(dir))
    return this.watched.list(dir)
  }

  /** What kind of entry a path is, noted without its size (tree-delta.ts `kindOf`). */
  kindOf(path: string): FileStat['type'] | undefined {
    this.asked.kind.add(normalizePath(path))
    return kindOf(this.watched, path)
  }

  /** A question answered without asking is noted as asked. */
  passOver(q: TreeQuestion, path: string): boolean {
    noteAsked(this.asked, q, path)
    return true
  }

  /** So is a block of them, by the block. */
  passOverBlock(block: QuestionBlock): boolean {
    this.blocks.add(block)
    return true
  }

  identity(): string | undefined {
    return identityOf(this.watched)
  }

  /**
   * True when `now` answers every question noted here as the tree watched does, and works out
   * every value noted alike: a question the delta between the two says cannot differ is not
   * asked of either.
   */
  sameIn(now: FileTree, delta: TreeDelta): boolean {
    for (const d of this.derived.values()) if (d.again(now) !== d.answer) return false
    const then = this.watched
    // Questions found to have the same answer: blocks of many units ask about the same paths.
    const same = new Set<string>()
    const differs = (q: 'stat' | 'read' | 'list' | 'kind', path: string): boolean => {
      const k = `${q}\0${path}`
      if (same.has(k)) return false
      const d = q === 'read' ? !sameBytes(then.readFile(path), now.readFile(path)) : answerOf(then, q, path) !== answerOf(now, q, path)
      if (!d) same.add(k)
      return d
    }
    // A delta that names the paths it differs in (two trees in memory): only those are looked up
    // (a walk of 2,500 Kustomizations notes tens of thousands of questions; a push changes a few paths),
    // and only in the blocks they may reach.
    const changes = delta.changes
    if (changes) {
      const alike = (asked: AskedPaths): boolean => {
        for (const path of changes.shapes) for (const q of ['stat', 'read', 'list', 'kind'] as const) if (asked[q].has(path) && differs(q, path)) return false
        for (const path of changes.entries) for (const q of ['stat', 'read'] as const) if (asked[q].has(path) && differs(q, path)) return false
        return true
      }
      if (!alike(this.asked)) return false
      for (const b of this.blocks) if (b.mayReach(changes) && !alike(askedOf(b))) return false
      return true
    }
    for (const asked of [this.asked, ...[...this.blocks].map(askedOf)]) {
      for (const q of ['stat', 'read', 'list', 'kind'] as const) {
        for (const path of asked[q]) {
          if (!delta.unchanged(q, path) && differs(q, path)) return false
        }
      }
    }
    return true
  }
}

function answerOf(t: FileTree, q: 'stat' | 'list' | 'kind', path: string): string {
  if (q === 'list') return t.list(path).join('/')
  if (q === 'kind') return kindOf(t, path) ?? ''
  const st = t.stat(path)
  return st === undefined ? '' : `${st.type}\0${st.size ?? ''}\0${st.target ?? ''}`
}

/** The same bytes, or both missing (a file's bytes are shared by the trees of one reader). */
function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && equalBytes(a, b))
}

/** A lookup of a declared ConfigMap or Secret, and its answer as JSON. */
interface DeclaredAsk {
  kind: 'ConfigMap' | 'Secret'
  namespace: string
  name: string
  answer: string
}

/** The repository's declared ConfigMaps and Secrets, noting each lookup and its answer. */
export class WatchedDeclared implements DeclaredLookup {
  readonly asked: DeclaredAsk[] = []

  constructor(private readonly declared: DeclaredLookup) {}

  find(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Declaration[] {
    const found = this.declared.find(kind, namespace, name)
    this.asked.push({ kind, namespace, name, answer: JSON.stringify(found) })
    return found
  }
}

/** One walk of a cluster, and everything its result is a function of besides its key. */
interface ClusterRecord {
  /** The walk's questions, and the tree walked (by name: `reads.identity()`), which answers them again. */
  reads: ClusterReads
  /** The root the walk started from (resolveRoot, found from the whole repository's scan), as JSON. */
  root: string
  declared: readonly DeclaredAsk[]
  result: readonly ClusterRender[]
}

/** Walks kept per cluster key: a plan's base and head, and the push before. */
const PER_KEY = 3

/**
 * Whole cluster walks, reused where a change does not reach the cluster: a pull request that
 * edits one cluster's overlay leaves every other cluster's walk as it was, and a walk costs
 * about as much per Kustomization as checking its record (the walker places every object and
 * the plan compares each again). A walk's result is a function of the cluster entry, the walk
 * options and helm (the key), the root found for the entry, the declared ConfigMaps and Secrets
 * it looked up, and the answers to every question it asked of the tree, its units' questions
 * included whether asked or passed over (ClusterReads). A later tree that the tree delta says
 * answers every one of them alike, with the same root and declarations, gets the same result.
 *
 * A walk is kept only when nothing it did escapes that account: no chart fetched from a
 * registry (the caller checks), no HelmRelease under the `Revision` reconcile strategy (its
 * render names the commit), a tree with a name and deltas. Results are frozen and shared; they
 * hold what a render holds, Secret values included, in memory only. A record keeps the tree
 * it walked (to answer its questions again), so the memo holds at most PER_KEY trees per
 * cluster, most of them the ones a plan holds anyway (its base and head).
 */
export class ClusterMemo {
  private readonly kept = new Map<string, ClusterRecord[]>()

  /** `maxKeys`: clusters kept, the least recently used let go first. */
  constructor(private readonly maxKeys = 256) {}

  /** The key of a walk; undefined when none may be kept (a tree without a name, a helm that cannot name itself). */
  keyOf(tree: FileTree, entry: ClusterEntry, opts: Omit<WalkOptions, 'units'>, helm: HelmRunner | undefined): string | undefined {
    if (identityOf(tree) === undefined || (helm && !helm.cacheIdentity)) return undefined
    // The commit is left out: only a Revision-strategy HelmRelease reads it, and such walks are not kept.
    const { revision: _revision, ...rest } = opts
    return JSON.stringify([entry, helm?.cacheIdentity ?? '', rest], (_k, v: unknown) => (v instanceof Map ? [...(v as Map<unknown, unknown>)] : v))
  }

  /** A kept walk of `key` that `tree` answers alike, with the same root and declarations. */
  find(key: string, tree: FileTree, entry: ClusterEntry, declared: DeclaredLookup): readonly ClusterRender[] | undefined {
    const list = this.kept.get(key)
    if (!list) return undefined
    this.kept.delete(key)
    this.kept.set(key, list)
    let root: string | undefined
    for (const r of list) {
      const delta = treeDelta(r.reads.watched, tree)
      if (!delta || !r.reads.sameIn(tree, delta)) continue
      root ??= JSON.stringify(resolveRoot(tree, entry))
      if (root !== r.root) continue
      if (!r.declared.every((d) => JSON.stringify(declared.find(d.kind, d.namespace, d.name)) === d.answer)) continue
      return r.result
    }
    return undefined
  }

  /** Keeps a walk (frozen here); refused when its HelmReleases name the commit. */
  keep(key: string, tree: FileTree, entry: ClusterEntry, reads: ClusterReads, declared: WatchedDeclared, result: ClusterRender[]): void {
    const name = identityOf(tree)
    if (name === undefined) return
    if (result.some((c) => c.owners.some((o) => o.ref.kind === 'HelmRelease' && JSON.stringify(o.object).includes('Revision')))) return
    const record: ClusterRecord = { reads, root: JSON.stringify(resolveRoot(tree, entry)), declared: declared.asked, result: frozen(result) }
    const list = [record, ...(this.kept.get(key) ?? []).filter((r) => r.reads.identity() !== name)].slice(0, PER_KEY)
    this.kept.delete(key)
    this.kept.set(key, list)
    while (this.kept.size > this.maxKeys) this.kept.delete(this.kept.keys().next().value as string)
  }
}

import type { FileTree } from '../../ports/file-tree.js'
import type { TreeDelta, TreeQuestion } from './tree-delta.js'
import { normalizePath } from './tree-paths.js'

/** The paths a tree delta says questions may differ at (TreeDelta `changes`). */
export type DeltaChanges = NonNullable<TreeDelta['changes']>

/**
 * The tree questions one unit's record asked of one source, passed over as one (unit-reads.ts
 * `replay`, where the tree delta reaches none of them). A warm replan checks every record of
 * the cluster a push reaches, the delta leaves nearly all of their questions alone, and noting
 * each question of each record with the tree watched beneath (ClusterReads) was about a fifth
 * of such a replan. A block is made once per record and kept with it, so it is the same object
 * in every plan that checks the record; a view that passes it on keeps what it becomes beneath
 * with it (`blockBelow`), and ClusterReads keeps the block, not its questions. Questions are
 * worked out only for a block a later delta may reach.
 */
export interface QuestionBlock {
  /**
   * Whether a delta with these changes (paths of the block's tree) may reach a question of the
   * block: false only when its `unchanged` would say so of every question (tree-delta.ts).
   */
  mayReach(changes: DeltaChanges): boolean
  /** Every question of the block, worked out when first needed. */
  questions(): readonly (readonly [TreeQuestion, string])[]
}

/** Trees that can be told of a whole block of questions answered without asking them (tree-delta.ts `passOver`, for each). */
export interface BlockPassingTree extends FileTree {
  passOverBlock(block: QuestionBlock): boolean
}

/** Tells `t` that every question of `block` was answered without asking it; false: pass them over one by one. */
export function passOverBlock(t: FileTree, block: QuestionBlock): boolean {
  return typeof (t as Partial<BlockPassingTree>).passOverBlock === 'function' ? (t as BlockPassingTree).passOverBlock(block) : false
}

const BELOW = new WeakMap<QuestionBlock, Map<string, QuestionBlock>>()

/**
 * `block` as a view asks it of the tree beneath, made once per block and view, for a view
 * whose paths are its tree's (a filtered view): `ask` says what one question of the view asks
 * beneath, as the view's own `passOver` does, and must ask a stat or read beneath wherever the
 * view's question is a stat, read or ignore verdict (a file's bytes or size can change it), so
 * that the same changes reach the block beneath exactly when they reach this one. `view` names
 * the mapping, not the view object.
 */
export function blockBelow(block: QuestionBlock, view: string, ask: (q: TreeQuestion, path: string) => readonly (readonly [TreeQuestion, string])[]): QuestionBlock {
  let byView = BELOW.get(block)
  if (!byView) BELOW.set(block, (byView = new Map()))
  let below = byView.get(view)
  if (!below) {
    let questions: (readonly [TreeQuestion, string])[] | undefined
    below = {
      mayReach: (changes) => block.mayReach(changes),
      questions: () => (questions ??= block.questions().flatMap(([q, p]) => ask(q, p))),
    }
    byView.set(view, below)
  }
  return below
}

/** Paths questions were asked about, normalized as a tree delta names them, by the kind of question noted. */
export interface AskedPaths {
  readonly stat: Set<string>
  readonly read: Set<string>
  readonly list: Set<string>
  readonly kind: Set<string>
}

export function noAsked(): AskedPaths {
  return { stat: new Set(), read: new Set(), list: new Set(), kind: new Set() }
}

/** Notes a question in `asked`: an ignore verdict (`drop`) depends on the path's entry and what lies below it, so it is noted as a stat and a listing. */
export function noteAsked(asked: AskedPaths, q: TreeQuestion, path: string): void {
  const p = normalizePath(path)
  if (q === 'drop') {
    asked.stat.add(p)
    asked.list.add(p)
  } else asked[q].add(p)
}

const ASKED = new WeakMap<QuestionBlock, AskedPaths>()

/** A block's questions as noted paths, worked out once per block. */
export function askedOf(block: QuestionBlock): AskedPaths {
  let asked = ASKED.get(block)
  if (!asked) {
    asked = noAsked()
    for (const [q, p] of block.questions()) noteAsked(asked, q, p)
    ASKED.set(block, asked)
  }
  return asked
}

import type { TreeQuestion } from '../../tree/tree-delta.js'
import type { DeltaChanges, QuestionBlock } from '../../tree/question-blocks.js'
import { normalizePath } from '../../tree/tree-paths.js'

/** A unit record's questions as a ReadSet holds them (unit-reads.ts): a list, or packed as a RenderCache keeps them. */
export interface RecordedQuestions {
  readonly reads: readonly { readonly q: readonly string[] }[]
  readonly packed?: { readonly parts: readonly string[]; readonly arity: string; readonly answers: readonly unknown[] } | undefined
}

const BIT: ReadonlyMap<string, number> = new Map([['stat', 1], ['read', 2], ['list', 4], ['drop', 8]])
const LIST = 4

/** By a set's questions (its packed form, or its list): the same object in every plan that checks the record. */
const BLOCKS = new WeakMap<object, Map<string, QuestionBlock>>()

/**
 * A record's tree questions, a block per source (question-blocks.ts), worked out once per
 * record: a warm replan checks the same records push after push, and a push's delta reaches
 * a few of their paths. A block keeps each path asked (normalized) with a bit per kind of
 * question, to say whether a delta reaches it; its questions are read again from the record
 * only where one may.
 */
export function sourceBlocks(set: RecordedQuestions): Map<string, QuestionBlock> {
  const key = set.packed ?? set.reads
  let bySource = BLOCKS.get(key)
  if (!bySource) BLOCKS.set(key, (bySource = blocksOf(pathsOf(set), set)))
  return bySource
}

/**
 * Gives `packed` (a set as the store keeps it, made from `set`) the blocks of `set`, worked
 * out now: a record made in this process is checked in its stored form from the next plan on,
 * and working its blocks out while it is made costs less than at the next push. Each block
 * reads its questions from the stored form, so it holds no answer of the set.
 */
export function shareBlocks(set: RecordedQuestions, packed: RecordedQuestions): void {
  if (!packed.packed || BLOCKS.has(packed.packed)) return
  BLOCKS.set(packed.packed, blocksOf(pathsOf(set), packed))
}

/** Each source's paths asked (normalized), with a bit per kind of question. */
function pathsOf(set: RecordedQuestions): Map<string, Map<string, number>> {
  const paths = new Map<string, Map<string, number>>()
  forEachTreeQuestion(set, (_op, x, y, bit) => {
    let asked = paths.get(x)
    if (!asked) paths.set(x, (asked = new Map()))
    const p = normalizePath(y)
    asked.set(p, (asked.get(p) ?? 0) | bit)
  })
  return paths
}

function blocksOf(paths: Map<string, Map<string, number>>, set: RecordedQuestions): Map<string, QuestionBlock> {
  const bySource = new Map<string, QuestionBlock>()
  for (const [x, asked] of paths) {
    let questions: [TreeQuestion, string][] | undefined
    bySource.set(x, {
      mayReach: (changes) => reached(asked, changes),
      questions: () => {
        if (!questions) {
          const out: [TreeQuestion, string][] = []
          forEachTreeQuestion(set, (op, x2, y) => x2 === x && out.push([op, y]))
          questions = out
        }
        return questions
      },
    })
  }
  return bySource
}

/** Calls `fn` with each tree question of a record (a stat, read, listing or ignore verdict of a source's tree), in order. */
function forEachTreeQuestion(set: RecordedQuestions, fn: (op: TreeQuestion, x: string, y: string, bit: number) => unknown): void {
  const packed = set.packed
  const count = packed ? packed.answers.length : set.reads.length
  for (let i = 0, part = 0; i < count; i++) {
    let op: string, x: string, y: string
    if (packed) {
      const n = packed.arity.charCodeAt(i) - 48
      op = packed.parts[part]!
      x = n > 1 ? packed.parts[part + 1]! : ''
      y = n > 2 ? packed.parts[part + 2]! : ''
      part += n
    } else {
      const q = set.reads[i]!.q
      op = q[0] ?? ''
      x = q[1] ?? ''
      y = q[2] ?? ''
    }
    const bit = BIT.get(op)
    if (bit !== undefined) fn(op as TreeQuestion, x, y, bit)
  }
}

/**
 * Whether a delta that names its changes reaches any of these questions, as its `unchanged`
 * would say of each (tree-delta.ts `pathDelta`): any question about a path whose shape changed,
 * a stat, read or ignore verdict of a file whose bytes did.
 */
function reached(asked: ReadonlyMap<string, number>, changes: DeltaChanges): boolean {
  // Most pushes edit files and add none: no shapes changed, and an iterator less per check.
  if (changes.shapes.size > 0) for (const p of changes.shapes) if (asked.has(p)) return true
  for (const p of changes.entries) if (((asked.get(p) ?? 0) & ~LIST) !== 0) return true
  return false
}

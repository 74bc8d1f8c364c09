import type { FileStat, FileTree } from '../../../ports/file-tree.js'
import type { ArtifactResult, SourceRef } from '../../load/sources.js'
import type { KubeObject } from '../../model/object.js'
import { objectJson, storedAnswer, storedListAnswer } from './stored-answers.js'
import { deltaFromName, identityOf, passOver, treeDelta, type TreeDelta } from '../../tree/tree-delta.js'
import { passOverBlock } from '../../tree/question-blocks.js'
import { sourceBlocks } from './source-questions.js'
import type { ResolvedSource, SourceResolve, ValueSourceRef } from '../values/sources.js'

/**
 * One question a unit's render (a Flux Kustomization or HelmRelease) asked outside itself, with
 * the answer it got. Answers are kept exactly (text, or the bytes of a file), never as digests:
 * records live in memory for one process, and equal answers must mean equal inputs.
 * - `src ref`: the artifact a sourceRef resolves to (type and source, or why none);
 * - `origin ref path`: the repository path an artifact path came from (provenance);
 * - `stat|read|list|drop ref path`: a read of that artifact's tree;
 * - `values set ref`: what is known of a substituteFrom/valuesFrom source, asked of the
 *   resolver the render got for the objects `builts[set]` (a Kustomization's own, or none);
 * - `find kind namespace name`: a source object of the cluster (HelmRelease charts);
 * - `crds`: the CustomResourceDefinitions applied before it; `operator`: whether Flux
 *   Operator runs the target cluster.
 * A render is a pure function of its unit object, its settings (the memo's key) and these
 * answers: asked again in the order first asked, the same answers mean the same render.
 */
export interface UnitRead {
  q: string[]
  a: string | Uint8Array | readonly string[]
}

/** What a unit's render may ask of the walk; each answer is recorded or replayed. */
export interface UnitInputs {
  resolve(ref: SourceRef): ArtifactResult
  values(built: readonly KubeObject[]): SourceResolve
  findSource?(kind: string, namespace: string, name: string): KubeObject | undefined
  crds?(): KubeObject[]
  fluxOperator?(): boolean
}

/**
 * A recorded unit's questions, and the object lists its value resolvers were asked for.
 * `stored`: the answers are in their stored form (storedAnswer), as read back from a RenderCache.
 */
export interface ReadSet {
  reads: UnitRead[]
  builts: KubeObject[][]
  stored?: boolean
  /**
   * The artifact tree each sourceRef resolved to, by its key, when the answers were taken (in
   * memory only): a later check against another tree asks only what the two trees may answer
   * differently (tree-delta.ts).
   */
  trees?: Map<string, FileTree>
  /** Of a stored set: the names of those trees, where they have one (`identityOf`). */
  treeIds?: [string, string][]
  /** Of a stored set: its questions and answers, flat (`reads` is then empty). */
  packed?: PackedReads
}

/**
 * Questions and answers as a RenderCache keeps them: every question's parts in one list, how
 * many parts each has (a digit each), and the stored answers. A warm plan reads back every
 * unit's record: a record of fifty questions was a hundred and fifty small objects to make,
 * and a third of the time spent deserializing records.
 */
export interface PackedReads {
  parts: string[]
  arity: string
  answers: string[]
}

export const refKey = (r: SourceRef): string => JSON.stringify([r.kind, r.namespace, r.name])
const refOf = (key: string): SourceRef => {
  const [kind, namespace, name] = JSON.parse(key) as [string, string, string]
  return { kind, namespace, name }
}

const sourceAnswer = (r: ArtifactResult): string => JSON.stringify(r.type === 'tree' ? [r.type, r.source, r.origin !== undefined] : [r.type, r.note, r.type === 'external' ? (r.severity ?? '') : ''])
const statAnswer = (st: FileStat | undefined): string => (st === undefined ? '' : JSON.stringify([st.type, st.size ?? null, st.target ?? null]))
const valuesAnswer = (v: ResolvedSource | undefined): string => (v === undefined ? '' : JSON.stringify(v))

/** A tree that can say why a path of the repository is missing from it (FilteredTree). */
interface ExplainingTree extends FileTree {
  droppedBecause(path: string): 'symlink' | 'ignored' | undefined
}

export function explains(t: FileTree): t is ExplainingTree {
  return typeof (t as Partial<ExplainingTree>).droppedBecause === 'function'
}

/** Wraps a unit's inputs, noting every question once, in the order first asked. */
export class UnitRecorder {
  readonly set: ReadSet = { reads: [], builts: [] }
  /** Whether a Secret was asked for (substituteFrom, valuesFrom): the record then never leaves memory. */
  secretRead = false
  private readonly seen = new Set<string>()

  constructor(private readonly inputs: UnitInputs) {}

  resolve(ref: SourceRef): ArtifactResult {
    const r = this.inputs.resolve(ref)
    const key = refKey(ref)
    this.note(['src', key], sourceAnswer(r))
    if (r.type !== 'tree') return r
    if (!this.set.trees?.has(key)) (this.set.trees ??= new Map()).set(key, r.tree)
    const origin = r.origin
    return {
      ...r,
      tree: this.tree(key, r.tree),
      ...(origin
        ? {
            origin: (path: string): string | undefined => {
              const at = origin(path)
              this.note(['origin', key, path], at === undefined ? '' : `=${at}`)
              return at
            },
          }
        : {}),
    }
  }

  values(built: readonly KubeObject[]): SourceResolve {
    const resolve = this.inputs.values(built)
    return (ref) => {
      const v = resolve(ref)
      if (ref.kind === 'Secret') this.secretRead = true
      // The objects as they are when asked (a copy: the render goes on with them), so a replay
      // asks the very question a render would ask again.
      const set = String(this.set.builts.push(structuredClone([...built])) - 1)
      this.note(['values', set, JSON.stringify(ref)], valuesAnswer(v))
      return v
    }
  }

  findSource(kind: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.inputs.findSource?.(kind, namespace, name)
    this.note(['find', kind, namespace, name], objectJson(o))
    return o
  }

  crds(): KubeObject[] {
    const list = this.inputs.crds?.() ?? []
    this.note(['crds'], list.map(objectJson))
    return list
  }

  fluxOperator(): boolean {
    const on = this.inputs.fluxOperator?.() === true
    this.note(['operator'], String(on))
    return on
  }

  private tree(ref: string, t: FileTree): FileTree {
    const stat = (path: string): FileStat | undefined => {
      const st = t.stat(path)
      this.note(['stat', ref, path], statAnswer(st))
      return st
    }
    const readFile = (path: string): Uint8Array | undefined => {
      const bytes = t.readFile(path)
      this.note(['read', ref, path], bytes ?? '')
      return bytes
    }
    const list = (dir: string): string[] => {
      const names = t.list(dir)
      this.note(['list', ref, dir], [...names])
      return names
    }
    if (!explains(t)) return { stat, readFile, list }
    const droppedBecause = (path: string): 'symlink' | 'ignored' | undefined => {
      const why = t.droppedBecause(path)
      this.note(['drop', ref, path], why ?? '')
      return why
    }
    return { stat, readFile, list, droppedBecause } as ExplainingTree
  }

  private note(q: string[], a: UnitRead['a']): void {
    // Each part after its length: one key per question (a name may hold any character),
    // built in half the time of its JSON (half a million questions in a 10,000 fleet).
    let k = ''
    for (const part of q) k += `${part.length}:${part}`
    if (this.seen.has(k)) return
    this.seen.add(k)
    this.set.reads.push({ q, a })
  }
}

/** True when the same question gets the same answer, exactly. */
function same(a: UnitRead['a'], b: UnitRead['a']): boolean {
  // The same buffer: a Git tree shares a blob's bytes with every tree that holds it.
  if (a === b) return true
  if (typeof a === 'string' || typeof b === 'string') return a === b
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/**
 * Asks every recorded question again of `inputs`: true when every answer is the same.
 * A question about a path the recorded tree and the present one answer alike (`ReadSet.trees`,
 * tree-delta.ts) is not asked again: its recorded answer stands. A stored set names its trees
 * (`treeIds`): where the present tree has the same name, it stands for the recorded one.
 */
export function replay(set: ReadSet, inputs: UnitInputs): boolean {
  const trees = new Map<string, ArtifactResult>()
  const deltas = new Map<string, TreeDelta | undefined>()
  const resolvers = new Map<string, SourceResolve>()
  /** Sources none of whose tree questions the delta reaches: passed over whole, not asked. */
  const standing = new Set<string>()
  const packed = set.packed
  const count = packed ? packed.answers.length : set.reads.length
  for (let i = 0, part = 0; i < count; i++) {
    let op: string, x: string, y: string, z: string, a: UnitRead['a']
    if (packed) {
      const n = packed.arity.charCodeAt(i) - 48
      const ps = packed.parts
      op = ps[part]!
      x = n > 1 ? ps[part + 1]! : ''
      y = n > 2 ? ps[part + 2]! : ''
      z = n > 3 ? ps[part + 3]! : ''
      a = packed.answers[i]!
      part += n
    } else {
      const r = set.reads[i]!
      op = r.q[0] ?? ''
      x = r.q[1] ?? ''
      y = r.q[2] ?? ''
      z = r.q[3] ?? ''
      a = r.a
    }
    let now: UnitRead['a']
    if (op === 'src') {
      const r = inputs.resolve(refOf(x))
      trees.set(x, r)
      if (r.type === 'tree') {
        const d = deltaOf(set, x, r.tree)
        deltas.set(x, d)
        const block = d?.changes ? sourceBlocks(set).get(x) : undefined
        if (block && !block.mayReach(d!.changes!) && passOverBlock(r.tree, block)) standing.add(x)
      }
      now = sourceAnswer(r)
    } else if (op === 'stat' || op === 'read' || op === 'list' || op === 'drop' || op === 'origin') {
      // The source was asked first (recorded in order): its artifact is known by now.
      const r = trees.get(x)
      if (r?.type !== 'tree') return false
      // Answered from the record, the tree told so (a cluster walk that watches its tree
      // must learn every question of its units, asked or not).
      if (op !== 'origin' && (standing.has(x) || (deltas.get(x)?.unchanged(op, y) && passOver(r.tree, op, y)))) continue
      const t = r.tree
      if (op === 'origin') {
        const at = r.origin?.(y)
        now = at === undefined ? '' : `=${at}`
      } else if (op === 'stat') now = statAnswer(t.stat(y))
      else if (op === 'read') now = t.readFile(y) ?? ''
      else if (op === 'list') now = t.list(y)
      else now = explains(t) ? (t.droppedBecause(y) ?? '') : '\u0000'
    } else if (op === 'values') {
      const built = set.builts[Number(x)]
      if (!built) return false
      let resolve = resolvers.get(x)
      if (!resolve) resolvers.set(x, (resolve = inputs.values(built)))
      now = valuesAnswer(resolve(JSON.parse(y) as ValueSourceRef))
    } else if (op === 'find') now = objectJson(inputs.findSource?.(x, y, z))
    else if (op === 'crds') {
      const list = inputs.crds?.() ?? []
      if (set.stored) {
        if (storedListAnswer(list) !== a) return false
        continue
      }
      now = list.map(objectJson)
    }
    else if (op === 'operator') now = String(inputs.fluxOperator?.() === true)
    else return false
    if (set.stored ? storedAnswer(now) !== a : !same(now, a)) return false
  }
  return true
}

/**
 * How the tree a set's answers for `ref` came from differs from `now`. A stored set knows only
 * its tree's name: a tree of that name stands for it from then on (the set is kept in memory);
 * another tree relates itself to that name when the tree is still held (`deltaFromName`).
 */
function deltaOf(set: ReadSet, ref: string, now: FileTree): TreeDelta | undefined {
  let then = set.trees?.get(ref)
  if (!then) {
    const id = set.treeIds?.find(([r]) => r === ref)?.[1]
    if (id === undefined) return undefined
    if (identityOf(now) !== id) return deltaFromName(id, now)
    ;(set.trees ??= new Map()).set(ref, (then = now))
  }
  return treeDelta(then, now)
}

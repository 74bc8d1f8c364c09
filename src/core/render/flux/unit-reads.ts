import type { FileStat, FileTree } from '../../../ports/file-tree.js'
import type { ArtifactResult, SourceRef } from '../../load/sources.js'
import type { KubeObject } from '../../model/object.js'
import { contentId, textDigest } from '../../tree/content-id.js'

/**
 * One answer a unit's render (a Flux Kustomization or HelmRelease) got from outside itself,
 * as `[op, ...arguments, answer]`:
 * - `src ref` the artifact a sourceRef resolves to (type and source, or why none);
 * - `stat|read|list|drop ref path` a read of that artifact's tree (read: the content id);
 * - `look kind namespace name` a ConfigMap or Secret of the cluster (substituteFrom, valuesFrom);
 * - `find kind namespace name` a source object of the cluster (HelmRelease charts);
 * - `crds` the CustomResourceDefinitions applied before it.
 * Object answers are digests. A render is a pure function of its unit object and these
 * answers, so the same object with the same answers renders the same.
 */
export type UnitRead = string[]

/** What a unit's render may ask of the walk; each answer is recorded or replayed. */
export interface UnitInputs {
  resolve(ref: SourceRef): ArtifactResult
  lookup(kind: string, namespace: string, name: string): KubeObject | undefined
  findSource?(kind: string, namespace: string, name: string): KubeObject | undefined
  crds?(): KubeObject[]
}

const objectDigests = new WeakMap<KubeObject, string>()

/** Digest of an object as JSON (memoized per object: CRDs are asked for by every unit). */
export function objectDigest(o: KubeObject | undefined): string {
  if (!o) return ''
  let d = objectDigests.get(o)
  if (d === undefined) {
    d = textDigest(JSON.stringify(o))
    objectDigests.set(o, d)
  }
  return d
}

export const refKey = (r: SourceRef): string => `${r.kind}/${r.namespace}/${r.name}`

function parseRef(key: string): SourceRef {
  const [kind = '', namespace = '', ...name] = key.split('/')
  return { kind, namespace, name: name.join('/') }
}

const sourceAnswer = (r: ArtifactResult): string => `${r.type}\u0000${r.type === 'tree' ? r.source : r.note}`
const statAnswer = (st: FileStat | undefined): string => (st === undefined ? '' : `${st.type}\u0000${st.size ?? ''}\u0000${st.target ?? ''}`)
const crdsAnswer = (crds: KubeObject[]): string => (crds.length === 0 ? '' : textDigest(crds.map(objectDigest).join(',')))

/** A tree that can say why a path of the repository is missing from it (FilteredTree). */
interface ExplainingTree extends FileTree {
  droppedBecause(path: string): 'symlink' | 'ignored' | undefined
}

function explains(t: FileTree): t is ExplainingTree {
  return typeof (t as Partial<ExplainingTree>).droppedBecause === 'function'
}

/**
 * Wraps a unit's inputs, noting every answer once, in the order they were first asked.
 * `secretLookups` is set when a Secret was read (its digest must never leave memory).
 */
export class UnitRecorder {
  readonly reads: UnitRead[] = []
  secretLookups = false
  private readonly seen = new Set<string>()

  constructor(private readonly inputs: UnitInputs) {}

  resolve(ref: SourceRef): ArtifactResult {
    const r = this.inputs.resolve(ref)
    const key = refKey(ref)
    this.note(['src', key], sourceAnswer(r))
    return r.type === 'tree' ? { ...r, tree: this.tree(key, r.tree) } : r
  }

  lookup(kind: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.inputs.lookup(kind, namespace, name)
    if (kind === 'Secret') this.secretLookups = true
    this.note(['look', kind, namespace, name], objectDigest(o))
    return o
  }

  findSource(kind: string, namespace: string, name: string): KubeObject | undefined {
    const o = this.inputs.findSource?.(kind, namespace, name)
    this.note(['find', kind, namespace, name], objectDigest(o))
    return o
  }

  crds(): KubeObject[] {
    const list = this.inputs.crds?.() ?? []
    this.note(['crds'], crdsAnswer(list))
    return list
  }

  private tree(ref: string, t: FileTree): FileTree {
    const stat = (path: string): FileStat | undefined => {
      const st = t.stat(path)
      this.note(['stat', ref, path], statAnswer(st))
      return st
    }
    const readFile = (path: string): Uint8Array | undefined => {
      const bytes = t.readFile(path)
      this.note(['read', ref, path], bytes ? contentId(bytes) : '')
      return bytes
    }
    const list = (dir: string): string[] => {
      const names = t.list(dir)
      this.note(['list', ref, dir], names.join('/'))
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

  private note(args: string[], answer: string): void {
    const k = args.join('\u0000')
    if (this.seen.has(k)) return
    this.seen.add(k)
    this.reads.push([...args, answer])
  }
}

/**
 * Asks every recorded question again of `inputs`: the artifacts the sourceRefs now resolve
 * to (by ref key) when every answer is the same, undefined at the first difference.
 */
export function replay(reads: readonly UnitRead[], inputs: UnitInputs): Map<string, ArtifactResult> | undefined {
  const sources = new Map<string, ArtifactResult>()
  const treeOf = (ref: string | undefined): FileTree | undefined => {
    const s = ref === undefined ? undefined : sources.get(ref)
    return s?.type === 'tree' ? s.tree : undefined
  }
  for (const read of reads) {
    const [op, a, b, c] = read
    const answer = read[read.length - 1]
    let now: string
    switch (op) {
      case 'src': {
        const r = inputs.resolve(parseRef(a ?? ''))
        sources.set(a ?? '', r)
        now = sourceAnswer(r)
        break
      }
      case 'stat':
      case 'read':
      case 'list':
      case 'drop': {
        const t = treeOf(a)
        if (!t || b === undefined) return undefined
        if (op === 'stat') now = statAnswer(t.stat(b))
        else if (op === 'read') {
          const bytes = t.readFile(b)
          now = bytes ? contentId(bytes) : ''
        } else if (op === 'list') now = t.list(b).join('/')
        else now = explains(t) ? (t.droppedBecause(b) ?? '') : '\u0000'
        break
      }
      case 'look':
        now = objectDigest(inputs.lookup(a ?? '', b ?? '', c ?? ''))
        break
      case 'find':
        now = objectDigest(inputs.findSource?.(a ?? '', b ?? '', c ?? ''))
        break
      case 'crds':
        now = crdsAnswer(inputs.crds?.() ?? [])
        break
      default:
        return undefined
    }
    if (now !== answer) return undefined
  }
  return sources
}

const ARITY = new Map([['src', 3], ['stat', 4], ['read', 4], ['list', 4], ['drop', 4], ['look', 5], ['find', 5], ['crds', 2]])

/** True when every element is a string array of a known shape (a record read back from a cache). */
export function validReads(v: unknown): v is UnitRead[] {
  if (!Array.isArray(v)) return false
  return v.every((r) => Array.isArray(r) && r.every((x) => typeof x === 'string') && ARITY.get(r[0] as string) === r.length)
}

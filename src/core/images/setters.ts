import { CST, Composer, Parser } from '../yaml/cst.js'
import { readsAsPlainString } from '../yaml/index.js'
import { isJsonObject } from '../model/object.js'
import { parseMarker, valueFor, type LatestRef, type Marker } from './marker.js'

/** The object a changed field belongs to (Flux's ObjectIdentifier in commit templates, I-23). */
export interface ObjectIdentifier {
  apiVersion: string
  kind: string
  name: string
  namespace: string
}

/** One field a setter changed (or would change). */
export interface SetterChange {
  /** Repository-relative file. */
  file: string
  /** 1-based line of the scalar. */
  line: number
  setter: string
  /** `<namespace>:<name>` of the ImagePolicy. */
  policy: string
  field: Marker['field']
  oldValue: string
  newValue: string
  object: ObjectIdentifier
}

/** A marker whose change was refused by the caller's guard (e.g. a downgrade). */
export interface SkippedChange extends SetterChange {
  reason: string
}

/** Decides whether a computed change is made; a string refuses it with that reason. */
export type ChangeGuard = (change: SetterChange, ref: LatestRef) => true | string

/** The outcome for one file. `text` equals the input when nothing changed. */
export interface FileSetResult {
  text: string
  changes: SetterChange[]
  skipped: SkippedChange[]
  /** The file did not parse as YAML; Flux skips such files silently (I-11). */
  unparsable: boolean
}

type ScalarToken = CST.FlowScalar

/**
 * Applies image-policy setters to one YAML file (I-12…I-17). `setters` maps a policy key
 * (`<namespace>:<name>`) to its latest ref; markers naming any other policy are left alone
 * (I-14). Only the changed scalars' source is replaced, through the `yaml` CST: comments,
 * indentation, quoting of other values and every unrelated byte stay as they were. Pure.
 */
export function applySetters(text: string, file: string, setters: ReadonlyMap<string, LatestRef>, guard?: ChangeGuard): FileSetResult {
  const unchanged: FileSetResult = { text, changes: [], skipped: [], unparsable: false }
  const lines = lineStarts(text)
  const changes: SetterChange[] = []
  const skipped: SkippedChange[] = []
  const parsed = visitMarkedScalars(text, (token, m, object) => {
    const ref = setters.get(m.key)
    if (!ref) return
    const oldValue = CST.resolveAsScalar(token).value
    const newValue = valueFor(m.field, ref)
    if (oldValue === newValue) return
    const change: SetterChange = { file, line: lineOf(lines, token.offset), setter: m.setter, policy: m.key, field: m.field, oldValue, newValue, object }
    const verdict = guard ? guard(change, ref) : true
    if (verdict !== true) {
      skipped.push({ ...change, reason: verdict })
      return
    }
    writeScalar(token, newValue)
    changes.push(change)
  })
  if (!parsed) return { ...unchanged, unparsable: true }
  if (changes.length === 0) return { ...unchanged, skipped }
  return { text: parsed.map((t) => CST.stringify(t)).join(''), changes, skipped, unparsable: false }
}

/** One marked scalar as it stands in a file. */
export interface MarkedValue {
  marker: Marker
  value: string
  object: ObjectIdentifier
}

/** Every marked scalar of a YAML file with its current value; [] when it does not parse. */
export function readMarkedValues(text: string): MarkedValue[] {
  const out: MarkedValue[] = []
  visitMarkedScalars(text, (token, marker, object) => out.push({ marker, value: CST.resolveAsScalar(token).value, object }))
  return out
}

/**
 * Parses `text` to CST tokens and calls `fn` for every scalar carrying a marker, with the
 * object of its document. Returns the tokens (edits made by `fn` are kept), or undefined when
 * the text does not parse.
 */
function visitMarkedScalars(text: string, fn: (token: ScalarToken, marker: Marker, object: ObjectIdentifier) => void): CST.Token[] | undefined {
  const tokens = [...new Parser().parse(text)]
  const docs = [...new Composer().compose(tokens)]
  if (tokens.some((t) => t.type === 'error') || docs.some((d) => d.errors.length > 0)) return undefined
  let docIndex = 0
  for (const token of tokens) {
    if (token.type !== 'document') continue
    const object = objectIdOf(docs[docIndex++]?.toJS())
    // kyaml attaches comment lines above the first `- item` of a block sequence to that item,
    // but the CST keeps them in the parent key's separator: remember them per sequence.
    const firstItemHead = new Map<CST.Token, string>()
    CST.visit(token, (item, path) => {
      if (item.value?.type === 'block-seq' && item.sep) {
        const head = headComment([...item.sep.slice(item.sep.findIndex((t) => t.type === 'newline') + 1), ...(item.value.items[0]?.start ?? [])])
        if (head !== undefined) firstItemHead.set(item.value, head)
      }
      const last = path[path.length - 1]
      const parent = last?.[1] === 0 ? CST.visit.parentCollection(token, path) : undefined
      const scalar = markedScalar(item, parent ? firstItemHead.get(parent) : undefined)
      if (scalar) fn(scalar.token, scalar.marker, object)
    })
  }
  return tokens
}

/**
 * The scalar of a collection item and the marker commenting it: the trailing comment on the
 * scalar's line (I-12), or for a sequence item a single head comment line directly above the
 * `-` (kyaml reads that too; I-12 marks it unconfirmed).
 */
function markedScalar(item: CST.CollectionItem, inheritedHead: string | undefined): { token: ScalarToken; marker: Marker } | undefined {
  const value = item.value
  if (!value || !isFlowScalar(value)) return undefined
  const trailing = trailingComment(value.end ?? [])
  const fromTrailing = trailing === undefined ? undefined : parseMarker(trailing)
  if (fromTrailing) return { token: value, marker: fromTrailing }
  const head = item.key === undefined && item.sep === undefined ? (inheritedHead ?? headComment(item.start)) : undefined
  const fromHead = head === undefined ? undefined : parseMarker(head)
  return fromHead ? { token: value, marker: fromHead } : undefined
}

function isFlowScalar(t: CST.Token): t is ScalarToken {
  return t.type === 'scalar' || t.type === 'single-quoted-scalar' || t.type === 'double-quoted-scalar'
}

function trailingComment(end: CST.SourceToken[]): string | undefined {
  for (const t of end) {
    if (t.type === 'newline') return undefined
    if (t.type === 'comment') return t.source
  }
  return undefined
}

function headComment(start: CST.SourceToken[]): string | undefined {
  const ind = start.findIndex((t) => t.type === 'seq-item-ind')
  if (ind < 0) return undefined
  // A blank line between the comment and the item detaches it.
  if (start.slice(0, ind).filter((t) => t.type === 'newline').length > start.slice(0, ind).filter((t) => t.type === 'comment').length) return undefined
  const before = start.slice(0, ind).filter((t) => t.type === 'comment')
  return before.length === 1 ? before[0]!.source : undefined
}

/**
 * Replaces a scalar's value. I-16: a plain scalar whose new text would read as something other
 * than a string (YAML 1.1 `1.10`, `yes`, `0755`, `1e3` … or YAML 1.2) is double-quoted; a
 * quoted scalar keeps its quote style.
 */
function writeScalar(token: ScalarToken, value: string): void {
  if (token.type === 'scalar' && !readsAsPlainString(value)) {
    CST.setScalarValue(token, value, { type: 'QUOTE_DOUBLE' })
    return
  }
  CST.setScalarValue(token, value)
}

function objectIdOf(value: unknown): ObjectIdentifier {
  const v = isJsonObject(value) ? value : {}
  const meta = isJsonObject(v['metadata']) ? v['metadata'] : {}
  const str = (x: unknown): string => (typeof x === 'string' ? x : '')
  return { apiVersion: str(v['apiVersion']), kind: str(v['kind']), name: str(meta['name']), namespace: str(meta['namespace']) }
}

function lineStarts(text: string): number[] {
  const out = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) out.push(i + 1)
  return out
}

function lineOf(starts: number[], offset: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid]! <= offset) lo = mid
    else hi = mid - 1
  }
  return lo + 1
}

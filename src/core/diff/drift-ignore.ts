import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import type { FieldChange } from '../model/plan.js'
import { ownerKey, type ClusterRender, type OwnerRef } from '../model/render-result.js'
import { groupOf, versionOf } from '../model/resource-id.js'
import { compileRe2, type Re2 } from '../regex/index.js'
import { parseLabelSelector } from '../render/kustomize/transformers/select.js'
import { deepEqual } from './field-changes.js'

/**
 * A Kustomization's `spec.ignore` rules, compiled. kustomize-controller hands them to its
 * server-side apply as drift-ignore rules (fluxcd/pkg ssa `DriftIgnoreRules`): for an object
 * that already exists, the paths are left out of the drift comparison, and where they differ
 * the apply keeps the in-cluster value. A new object is created as written.
 */
export interface IgnoreRules {
  rules: CompiledRule[]
  /** Rules Flux would refuse (the apply fails); they ignore nothing here. */
  diagnostics: Diagnostic[]
}

interface CompiledRule {
  paths: string[][]
  matches: (obj: KubeObject) => boolean
}

/** Rules an empty `spec.ignore` yields. */
export const NO_IGNORE_RULES: IgnoreRules = Object.freeze({ rules: [], diagnostics: [] })

/**
 * Compiles `spec.ignore` of a Flux Kustomization. A target's group, version, kind, name and
 * namespace are anchored Go regular expressions (RE2 here); labelSelector and
 * annotationSelector are label-selector expressions; paths are RFC 6901 JSON pointers.
 */
export function ignoreRulesOf(kustomization: KubeObject): IgnoreRules {
  const spec = isJsonObject(kustomization['spec']) ? kustomization['spec'] : {}
  const list = Array.isArray(spec['ignore']) ? spec['ignore'] : []
  if (list.length === 0) return NO_IGNORE_RULES
  const rules: CompiledRule[] = []
  const diagnostics: Diagnostic[] = []
  const name = `${kustomization.metadata.namespace ?? 'default'}/${kustomization.metadata.name}`
  const refuse = (i: number, why: string): void => {
    diagnostics.push({ code: 'diff/invalid-ignore-rule', severity: 'error', message: `Kustomization ${name} spec.ignore[${i}]: ${why}; kustomize-controller fails the apply` })
  }
  list.forEach((raw, i) => {
    if (!isJsonObject(raw)) return refuse(i, 'not an object')
    const paths: string[][] = []
    for (const p of Array.isArray(raw['paths']) ? raw['paths'] : []) {
      const parsed = typeof p === 'string' ? parsePointer(p) : undefined
      if (!parsed) return refuse(i, `path ${JSON.stringify(p)} is not a JSON pointer`)
      paths.push(parsed)
    }
    const target = isJsonObject(raw['target']) ? raw['target'] : undefined
    const matcher = target ? compileTarget(target) : { ok: true as const, matches: () => true }
    if (!matcher.ok) return refuse(i, matcher.error)
    if (paths.length > 0) rules.push({ paths, matches: matcher.matches })
  })
  return { rules, diagnostics }
}

/**
 * The `spec.ignore` rules of each Kustomization of a cluster render, compiled once; a rule
 * Flux would refuse is an error located at its Kustomization. A HelmRelease's objects are
 * applied by Helm, which has no such rules.
 */
export function ignoreRulesByOwner(render: ClusterRender | undefined): { rulesOf: RulesOf; diagnostics: Diagnostic[] } {
  const rules = new Map<string, IgnoreRules>()
  const diagnostics: Diagnostic[] = []
  for (const o of render?.owners ?? []) {
    if (o.ref.kind !== 'Kustomization') continue
    const compiled = ignoreRulesOf(o.object)
    if (compiled.rules.length > 0) rules.set(ownerKey(o.ref), compiled)
    for (const d of compiled.diagnostics) diagnostics.push({ ...d, cluster: render!.name, owner: ownerKey(o.ref), ...(o.location ? { location: o.location } : {}) })
  }
  const rulesOf = Object.assign((owner: OwnerRef) => (rules.size === 0 ? undefined : rules.get(ownerKey(owner))), { any: rules.size > 0 })
  return { rulesOf, diagnostics }
}

/** The spec.ignore rules of an owner; `any`: whether some owner has rules. */
export type RulesOf = ((owner: OwnerRef) => IgnoreRules | undefined) & { any: boolean }

/** What spec.ignore does to one object that exists in the base and in the head. */
export interface IgnoreOutcome {
  /** The head object as the apply leaves it: ignored paths hold the base's value. */
  after: KubeObject
  /** Ignored paths whose value differs in Git (slash paths, as FieldChange writes them). */
  ignored: FieldChange[]
}

/**
 * Applies the rules to an update of an existing object: every ignored path of `head` takes
 * `base`'s value (or is removed when base has none), as the apply keeps the in-cluster value.
 * Rules are matched against the object being applied (the head render), as the SSA manager
 * matches them against its dry-run. `base`/`head` are normalized copies; `target` is the head
 * object as rendered (labels and annotations intact). Never mutates its inputs.
 */
export function applyIgnoreRules(rules: IgnoreRules, base: KubeObject, head: KubeObject, target: KubeObject): IgnoreOutcome {
  const paths = rules.rules.filter((r) => r.matches(target)).flatMap((r) => r.paths)
  if (paths.length === 0) return { after: head, ignored: [] }
  const after = structuredClone(head) as unknown as JsonObject
  const ignored: FieldChange[] = []
  for (const path of paths) {
    const b = lookup(base as unknown as JsonValue, path)
    const h = lookup(after, path)
    if (b.found === h.found && (!b.found || deepEqual(b.value, h.value))) continue
    const change: FieldChange = { path: path.map(escape).join('/') }
    if (b.found) change.before = b.value as JsonValue
    if (h.found) change.after = h.value as JsonValue
    ignored.push(change)
    if (b.found) put(after, path, structuredClone(b.value as JsonValue))
    else remove(after, path)
  }
  return { after: after as unknown as KubeObject, ignored }
}

/**
 * `/spec/replicas` → ['spec', 'replicas'] (RFC 6901 `~1`, `~0`). `''` (the whole document)
 * is refused: the JSON patch that removes it fails the apply.
 */
function parsePointer(p: string): string[] | undefined {
  if (!p.startsWith('/')) return undefined
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function escape(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}

function compileTarget(t: JsonObject): { ok: true; matches: (o: KubeObject) => boolean } | { ok: false; error: string } {
  const regexes: [string, Re2][] = []
  for (const key of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const v = t[key]
    if (typeof v !== 'string' || v === '') continue
    const c = compileRe2(`^(?:${v})$`)
    if (!c.ok) return { ok: false, error: `invalid ${key} regex: ${c.error}` }
    regexes.push([key, c.re])
  }
  const labels = typeof t['labelSelector'] === 'string' && t['labelSelector'] !== '' ? parseLabelSelector(t['labelSelector']) : undefined
  const annotations = typeof t['annotationSelector'] === 'string' && t['annotationSelector'] !== '' ? parseLabelSelector(t['annotationSelector']) : undefined
  const matches = (o: KubeObject): boolean => {
    const fields: Record<string, string> = {
      group: groupOf(o.apiVersion),
      version: versionOf(o.apiVersion),
      kind: o.kind,
      name: o.metadata.name,
      namespace: o.metadata.namespace ?? '',
    }
    if (!regexes.every(([k, re]) => re.test(fields[k] ?? ''))) return false
    if (labels && !labels(stringMap(o.metadata.labels))) return false
    if (annotations && !annotations(stringMap(o.metadata.annotations))) return false
    return true
  }
  return { ok: true, matches }
}

function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>
  if (isJsonObject(v as JsonValue)) for (const [k, x] of Object.entries(v as JsonObject)) if (typeof x === 'string') out[k] = x
  return out
}

/** A JSON pointer lookup: array segments are decimal indexes (`-N` counts from the end, as Flux's patcher allows). */
function lookup(root: JsonValue, path: string[]): { found: boolean; value?: JsonValue } {
  let node: JsonValue = root
  for (const seg of path) {
    if (Array.isArray(node)) {
      const i = index(seg, node.length)
      if (i === undefined) return { found: false }
      node = node[i] as JsonValue
    } else if (isJsonObject(node) && Object.hasOwn(node, seg)) node = node[seg] as JsonValue
    else return { found: false }
  }
  return { found: true, value: node }
}

function index(seg: string, length: number): number | undefined {
  if (!/^-?\d+$/.test(seg)) return undefined
  const n = Number(seg)
  const i = n < 0 ? length + n : n
  return i >= 0 && i < length ? i : undefined
}

/** Sets the value at `path`, creating objects on the way (the base had them). */
function put(root: JsonObject, path: string[], value: JsonValue): void {
  if (path.length === 0) return
  let node: JsonValue = root
  for (const seg of path.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = index(seg, node.length)
      if (i === undefined) return
      node = node[i] as JsonValue
      continue
    }
    if (!isJsonObject(node)) return
    const child = Object.hasOwn(node, seg) ? node[seg] : undefined
    if (isJsonObject(child) || Array.isArray(child)) node = child
    else {
      const created: JsonObject = {}
      Object.defineProperty(node, seg, { value: created, writable: true, enumerable: true, configurable: true })
      node = created
    }
  }
  const last = path[path.length - 1]!
  if (Array.isArray(node)) {
    const i = index(last, node.length)
    if (i !== undefined) node[i] = value
  } else if (isJsonObject(node)) Object.defineProperty(node, last, { value, writable: true, enumerable: true, configurable: true })
}

function remove(root: JsonObject, path: string[]): void {
  if (path.length === 0) return
  const parent = lookup(root, path.slice(0, -1))
  if (!parent.found) return
  const node = parent.value
  const last = path[path.length - 1]!
  if (Array.isArray(node)) {
    const i = index(last, node.length)
    if (i !== undefined) node.splice(i, 1)
  } else if (isJsonObject(node) && Object.hasOwn(node, last)) delete node[last]
}

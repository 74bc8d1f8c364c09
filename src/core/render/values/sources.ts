import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { suppliedFor, type ClusterValues } from '../../load/cluster-values.js'
import { decodeBase64 } from '../../model/base64.js'
import { isJsonObject, type KubeObject } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { ownerKey, type EncryptedObject, type OwnerRef, type RenderedObject } from '../../model/render-result.js'
import type { PartialSource } from '../../substitute/index.js'
import { dataKeys, needsDecryption } from '../sops.js'
import { creatorOf, type DeclaredLookup } from './creators.js'

/** A `substituteFrom` or `valuesFrom` entry: a ConfigMap or Secret in the owner's namespace. */
export interface ValueSourceRef {
  kind: 'ConfigMap' | 'Secret'
  namespace: string
  name: string
  optional: boolean
  /** valuesFrom: the key read (`valuesKey`), to prefer the encrypted file that has it. */
  key?: string
}

/** Where a source's values come from, as far as the repository tells. */
export type SourceOrigin =
  | { type: 'render' }
  | { type: 'supplied'; from: string }
  | { type: 'sops'; location?: SourceLocation }
  | { type: 'creator'; what: string; location?: SourceLocation }
  | { type: 'bootstrap'; location: SourceLocation }
  | { type: 'encrypted'; locations: SourceLocation[] }
  | { type: 'cluster' }

/** What is known of a source that exists (in the render, or assumed in the cluster). */
export interface ResolvedSource extends PartialSource {
  origin: SourceOrigin
}

/** What is known of a substituteFrom/valuesFrom source; undefined: it does not exist. */
export type SourceResolve = (ref: ValueSourceRef) => ResolvedSource | undefined

/** One source read, and what was known of it. */
export interface SourceRead {
  ref: ValueSourceRef
  resolved: ResolvedSource
}

/** Finds a ConfigMap or Secret among rendered objects. */
export type ObjectLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => KubeObject | undefined

/**
 * A resolver that knows only the objects `lookup` finds: a SOPS-encrypted one has unknown values;
 * a missing non-optional one is taken to live in the cluster with unknown keys.
 */
export function lookupOnly(lookup: ObjectLookup): SourceResolve {
  return (ref) => {
    const o = lookup(ref.kind, ref.namespace, ref.name)
    if (o) return needsDecryption(o) || Object.hasOwn(o, 'sops') ? { data: {}, unknownKeys: dataKeys(o), origin: { type: 'sops' } } : { data: dataOf(o, ref.kind), origin: { type: 'render' } }
    return ref.optional ? undefined : { data: {}, anyKey: true, origin: { type: 'cluster' } }
  }
}

/** What resolving needs to see of the cluster being walked. */
export interface ValueSourceContext {
  cluster: string
  /** The ConfigMap or Secret among the objects rendered so far. */
  rendered(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): RenderedObject | undefined
  /** Objects that may make it (ExternalSecrets, SealedSecrets…). */
  objects(): Iterable<Pick<RenderedObject, 'object' | 'source'>>
  /** Whole-file SOPS documents rendered so far. */
  encrypted(): readonly EncryptedObject[]
  /** The referencing owner and its ancestors, nearest first (their encrypted files come first). */
  owners: readonly OwnerRef[]
  supplied?: ClusterValues
  declared?: DeclaredLookup
}

/**
 * What the render can know of a `substituteFrom`/`valuesFrom` source, in this order: the object
 * in the render (its values; none when SOPS-encrypted, only its keys); values supplied for the
 * cluster (`clusterValues`); something in the render that creates it (ExternalSecret,
 * SealedSecret); a file in the repository that declares it but that no Kustomization of this
 * cluster applies (bootstrap); a whole-file SOPS object that may be it. With none of these, a
 * non-optional source is taken to live only in the cluster (Flux would otherwise fail on every
 * reconcile), and an optional one is absent, as Flux skips an optional source it cannot find.
 * Undefined means absent.
 */
export function resolveValueSource(ref: ValueSourceRef, ctx: ValueSourceContext): ResolvedSource | undefined {
  const r = ctx.rendered(ref.kind, ref.namespace, ref.name)
  if (r) {
    if (r.sops === true || needsDecryption(r.object) || Object.hasOwn(r.object, 'sops')) {
      return { data: {}, unknownKeys: dataKeys(r.object), origin: { type: 'sops', ...(r.source ? { location: r.source } : {}) } }
    }
    return { data: dataOf(r.object, ref.kind), origin: { type: 'render' } }
  }
  const s = suppliedFor(ctx.supplied, ctx.cluster, ref.kind, ref.namespace, ref.name)
  if (s) {
    const data: Record<string, string> = {}
    for (const [k, v] of s.data) setOwn(data, k, v)
    return { data, unknownKeys: s.keys, origin: { type: 'supplied', from: s.from } }
  }
  const unknown = (origin: SourceOrigin, keys?: readonly string[]): ResolvedSource => ({ data: {}, ...(keys ? { unknownKeys: keys } : { anyKey: true }), origin })
  if (ref.kind === 'Secret') {
    for (const o of ctx.objects()) {
      const c = creatorOf(o.object, ref.namespace, ref.name)
      if (c) return unknown({ type: 'creator', what: c.what, ...(o.source ? { location: o.source } : {}) }, c.keys)
    }
  }
  const declared = ctx.declared?.find(ref.kind, ref.namespace, ref.name) ?? []
  if (declared.length > 0) return unknown({ type: 'bootstrap', location: declared[0]!.location }, declared[0]!.keys)
  const encrypted = encryptedCandidates(ctx, ref)
  if (encrypted.length > 0) return unknown({ type: 'encrypted', locations: encrypted })
  return ref.optional ? undefined : unknown({ type: 'cluster' })
}

/** Whole-file SOPS documents that may be the source: the owner's and its ancestors' first, those with the key read first. */
function encryptedCandidates(ctx: ValueSourceContext, ref: ValueSourceRef): SourceLocation[] {
  const all = ctx.encrypted().filter((e) => e.source)
  const withKey = ref.key ? all.filter((e) => e.keys.includes(ref.key!)) : []
  const pool = withKey.length > 0 ? withKey : all
  const near = pool.filter((e) => ctx.owners.some((o) => ownerKey(o) === ownerKey(e.owner)))
  const chosen = near.length > 0 ? near : pool
  const seen = new Set<string>()
  return chosen.map((e) => e.source!).filter((l) => !seen.has(l.file) && seen.add(l.file)).slice(0, 3)
}

/**
 * S-4, H-7: a ConfigMap's `.data` (not binaryData); a Secret's `.data` decoded, with
 * `stringData` folded in as the API server does.
 */
export function dataOf(obj: KubeObject, kind: 'ConfigMap' | 'Secret'): Record<string, string> {
  const out: Record<string, string> = {}
  const data = isJsonObject(obj['data']) ? obj['data'] : {}
  for (const [k, v] of Object.entries(data)) setOwn(out, k, kind === 'Secret' ? decodeBase64(String(v)) : String(v))
  if (kind === 'Secret' && isJsonObject(obj['stringData'])) for (const [k, v] of Object.entries(obj['stringData'])) setOwn(out, k, String(v))
  return out
}

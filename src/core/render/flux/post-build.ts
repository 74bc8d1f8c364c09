import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { encodeBase64 } from '../../model/base64.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { cloneJson } from '../../model/clone.js'
import { applyCommonMetadata, setMeta } from '../common-metadata.js'
import { hasEncryptedIdentity, hasSopsMac, isEncryptedSecret, needsDecryption } from '../sops.js'

/** One object's substitution: the object, and the `${…}` expressions left as placeholders (values only the cluster has). */
export type SubstituteOutcome = { ok: true; object: KubeObject; placeholders?: string[] } | { ok: false; error: string }

/** What the post-build pipeline needs of the Kustomization. */
export interface PostBuildContext {
  name: string
  namespace: string
  spec: JsonObject
  /** Substitutes one object (S-1 … S-11); undefined when the Kustomization has no postBuild. */
  substitute?: (obj: KubeObject) => SubstituteOutcome
}

/** One post-built object, with whether it still holds SOPS-encrypted data (K-17). */
export interface PostBuilt {
  object: KubeObject
  sops: boolean
  /** The object as kustomize built it, before substitution: what its source file declares. */
  built: KubeObject
  /** Whether postBuild substitution ran on it (kustomize-controller then re-registers its id). */
  substituted: boolean
  /**
   * A whole-file SOPS document: its apiVersion, kind or name are ciphertext, so it is known only
   * by its file. `object` is then the document as built (no owner labels, no substitution).
   */
  encryptedIdentity?: boolean
  /** `${…}` expressions left in place because their value lives only in the cluster. */
  placeholders?: string[]
  /** A generated Secret whose generator inputs (these files) Flux decrypts before the build. */
  encryptedInput?: string[]
}

const FLUX_LABEL = 'kustomize.toolkit.fluxcd.io'

/**
 * The controller's per-object pipeline after kustomize (1.6): shape check, decryption
 * (never done here: objects are only marked), substitution, owner labels, normalisation,
 * commonMetadata. Any failure in the first steps fails the whole Kustomization (K-18).
 */
export function postBuild(
  objects: KubeObject[],
  ctx: PostBuildContext,
): ({ ok: true; objects: PostBuilt[] } | { ok: false }) & { diagnostics: Diagnostic[]; subjects: Map<Diagnostic, KubeObject>; fluxMessage?: string } {
  const diagnostics: Diagnostic[] = []
  // What kustomize-controller would report: a build failure wins over the apply's SOPS check.
  let sopsMessage: string | undefined
  // The built object each finding is about, so the walk can point at the file that declares it.
  const subjects = new Map<Diagnostic, KubeObject>()
  const about = (d: Diagnostic, obj: KubeObject): void => {
    diagnostics.push(d)
    subjects.set(d, obj)
  }
  const out: PostBuilt[] = []
  const decryption = isJsonObject(ctx.spec['decryption'])
  for (const original of objects) {
    if (!original.apiVersion || !original.kind || !original.metadata?.name) {
      diagnostics.push({ code: 'render/invalid-object', severity: 'error', message: 'failed to decode Kubernetes apiVersion, kind and name of a built object (1.6 step 1)' })
      return { ok: false, diagnostics, subjects }
    }
    let obj = original
    if (hasEncryptedIdentity(obj)) {
      // Flux decrypts it whole before anything else reads it; nothing here can, so it is set aside.
      const undecryptable = !decryption || !hasSopsMac(obj)
      if (undecryptable) {
        const why = !decryption ? 'the Kustomization has no decryption configured' : 'it carries no SOPS MAC, so Flux does not decrypt it'
        sopsMessage ??= 'apply failed: an object whose kind and name are SOPS ciphertext cannot be applied'
        about({ code: 'render/sops-not-decrypted', severity: 'error', message: `an encrypted object (identity unknown) is SOPS-encrypted whole, kind and name included, and ${why}: Flux cannot apply it, so it applies none of the Kustomization's objects (K-17)` }, obj)
      } else {
        about({ code: 'render/sops-encrypted-object', severity: 'info', message: 'encrypted object, identity unknown: its apiVersion, kind and name are SOPS ciphertext; Flux decrypts it, Fluxgate compares it by file and never decrypts it (K-17)' }, obj)
      }
      out.push({ object: original, sops: true, built: original, substituted: false, encryptedIdentity: true })
      continue
    }
    // After DecryptResource an object decrypted whole has no `sops` field left; one Flux does not
    // decrypt keeps it, and a v1 Secret that still has it fails the apply.
    const decrypted = decryption && !decryptDisabled(obj) && hasSopsMac(obj)
    const sops = needsDecryption(obj) || Object.hasOwn(obj, 'sops')
    if (isEncryptedSecret(obj) && !decrypted) {
      const flux = `Secret/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} is SOPS encrypted, configuring decryption is required for this secret to be reconciled`
      sopsMessage ??= `apply failed: ${flux}`
      about({ code: 'render/sops-not-decrypted', severity: 'error', message: `${flux}: the Kustomization has no decryption configured, so Flux applies none of its objects (K-17)` }, obj)
    } else if (sops) {
      about({ code: 'render/sops-encrypted', severity: 'info', message: `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} holds SOPS-encrypted data; compared by ciphertext, never decrypted (K-17)` }, obj)
    }
    const substituted = ctx.substitute !== undefined && !substituteDisabled(obj)
    let placeholders: string[] | undefined
    if (ctx.substitute && substituted) {
      const r = ctx.substitute(obj)
      if (!r.ok) {
        about({ code: 'substitute/failed', severity: 'error', message: `${obj.kind}/${obj.metadata.name}: ${r.error}` }, obj)
        return { ok: false, diagnostics, subjects, fluxMessage: `post build failed for '${obj.kind}/${obj.metadata.name}': ${r.error}` }
      }
      obj = r.object
      placeholders = r.placeholders
    }
    // The object substitution returned is its own copy; the object as built is copied here
    // (cloneJson: a tenth of structuredClone's time on a manifest).
    if (obj === original) obj = cloneJson(obj as unknown as JsonValue) as unknown as KubeObject
    setMeta(obj, 'labels', { [`${FLUX_LABEL}/name`]: ctx.name, [`${FLUX_LABEL}/namespace`]: ctx.namespace })
    normalize(obj)
    applyCommonMetadata(obj, ctx.spec['commonMetadata'])
    out.push({ object: obj, sops, built: original, substituted, ...(placeholders && placeholders.length > 0 ? { placeholders } : {}) })
  }
  return { ok: true, objects: out, diagnostics, subjects, ...(sopsMessage ? { fluxMessage: sopsMessage } : {}) }
}

function substituteDisabled(obj: KubeObject): boolean {
  const key = `${FLUX_LABEL}/substitute`
  return obj.metadata.labels?.[key] === 'disabled' || obj.metadata.annotations?.[key] === 'disabled'
}

function decryptDisabled(obj: KubeObject): boolean {
  return (obj.metadata.annotations?.[`${FLUX_LABEL}/decrypt`] ?? '').toLowerCase() === 'disabled'
}

/**
 * The part of the apply normalisation a diff needs (1.6 step 6): default port protocols,
 * Secret stringData folded into data, creationTimestamp and status (except on CRDs) removed.
 */
export function normalize(obj: KubeObject): void {
  delete obj.metadata['creationTimestamp']
  if (obj.kind !== 'CustomResourceDefinition') delete obj['status']
  if (obj.kind === 'Secret' && obj.apiVersion === 'v1' && isJsonObject(obj['stringData'])) {
    const data: JsonObject = isJsonObject(obj['data']) ? { ...obj['data'] } : {}
    for (const [k, v] of Object.entries(obj['stringData'])) setOwn(data, k, encodeBase64(typeof v === 'string' ? v : String(v)))
    obj['data'] = data
    delete obj['stringData']
  }
  if (obj.kind === 'Service' && obj.apiVersion === 'v1' && isJsonObject(obj['spec'])) defaultProtocols(obj['spec']['ports'])
  forEachPodSpec(obj, (pod) => {
    for (const key of ['containers', 'initContainers']) {
      const cs = pod[key]
      if (Array.isArray(cs)) for (const c of cs) if (isJsonObject(c)) defaultProtocols(c['ports'])
    }
  })
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'Pod', 'CronJob', 'ReplicationController'])

function forEachPodSpec(obj: KubeObject, fn: (pod: JsonObject) => void): void {
  if (!WORKLOADS.has(obj.kind) || !isJsonObject(obj['spec'])) return
  const spec = obj['spec']
  if (obj.kind === 'Pod') return fn(spec)
  let tmpl: JsonValue | undefined = spec['template']
  if (obj.kind === 'CronJob' && isJsonObject(spec['jobTemplate']) && isJsonObject(spec['jobTemplate']['spec'])) tmpl = spec['jobTemplate']['spec']['template']
  if (isJsonObject(tmpl) && isJsonObject(tmpl['spec'])) fn(tmpl['spec'])
}

function defaultProtocols(ports: JsonValue | undefined): void {
  if (!Array.isArray(ports)) return
  for (const p of ports) if (isJsonObject(p) && p['protocol'] === undefined) p['protocol'] = 'TCP'
}

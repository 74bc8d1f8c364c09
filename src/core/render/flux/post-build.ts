import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { decodeBase64, encodeBase64 } from '../../model/base64.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { applyCommonMetadata, setMeta } from '../common-metadata.js'

/** What the post-build pipeline needs of the Kustomization. */
export interface PostBuildContext {
  name: string
  namespace: string
  spec: JsonObject
  /** Substitutes one object (S-1 … S-11); undefined when the Kustomization has no postBuild. */
  substitute?: (obj: KubeObject) => { ok: true; object: KubeObject } | { ok: false; error: string }
}

/** One post-built object, with whether it still holds SOPS-encrypted data (K-17). */
export interface PostBuilt {
  object: KubeObject
  sops: boolean
  /** The object as kustomize built it, before substitution: what its source file declares. */
  built: KubeObject
  /** Whether postBuild substitution ran on it (kustomize-controller then re-registers its id). */
  substituted: boolean
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
    const sops = needsDecryption(obj)
    if (sops && obj.apiVersion === 'v1' && obj.kind === 'Secret' && isJsonObject(obj['sops']) && (!decryption || decryptDisabled(obj))) {
      const flux = `Secret/${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name} is SOPS encrypted, configuring decryption is required for this secret to be reconciled`
      sopsMessage ??= `apply failed: ${flux}`
      about({ code: 'render/sops-not-decrypted', severity: 'error', message: `${flux}: the Kustomization has no decryption configured, so Flux applies none of its objects (K-17)` }, obj)
    } else if (sops) {
      about({ code: 'render/sops-encrypted', severity: 'info', message: `${obj.kind} ${obj.metadata.namespace ?? ''}/${obj.metadata.name} holds SOPS-encrypted data; compared by ciphertext, never decrypted (K-17)` }, obj)
    }
    const substituted = ctx.substitute !== undefined && !substituteDisabled(obj)
    if (ctx.substitute && substituted) {
      const r = ctx.substitute(obj)
      if (!r.ok) {
        about({ code: 'substitute/failed', severity: 'error', message: `${obj.kind}/${obj.metadata.name}: ${r.error}` }, obj)
        return { ok: false, diagnostics, subjects, fluxMessage: `post build failed for '${obj.kind}/${obj.metadata.name}': ${r.error}` }
      }
      obj = r.object
    }
    obj = structuredClone(obj)
    setMeta(obj, 'labels', { [`${FLUX_LABEL}/name`]: ctx.name, [`${FLUX_LABEL}/namespace`]: ctx.namespace })
    normalize(obj)
    applyCommonMetadata(obj, ctx.spec['commonMetadata'])
    out.push({ object: obj, sops, built: original, substituted })
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

/** K-17: a top-level `sops` map with a mac, or Secret data values that look SOPS-encrypted. */
export function needsDecryption(obj: KubeObject): boolean {
  const sops = obj['sops']
  if (isJsonObject(sops) && typeof sops['mac'] === 'string' && sops['mac'] !== '') return true
  if (obj.kind !== 'Secret' || !isJsonObject(obj['data'])) return false
  return Object.values(obj['data']).some((v) => typeof v === 'string' && decodeBase64(v).startsWith('ENC['))
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

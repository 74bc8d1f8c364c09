import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { fluxKindOf, fluxOrOperatorKindOf } from '../../model/flux-kinds.js'
import type { KubeObject } from '../../model/object.js'
import { groupOf } from '../../model/resource-id.js'
import { createValidator, isBuiltinKind } from '../../validate/index.js'
import { identityErrors } from '../../validate/names.js'
import { isNamespacedKind } from '../kustomize/merge-api.js'
import type { PostBuilt } from './post-build.js'
import { timed } from '../../timings/phases.js'

/** One reason kustomize-controller would apply none of a Kustomization's objects. */
export interface ApplyFailure {
  diagnostic: Diagnostic
  /** What kustomize-controller reports (its Ready condition message). */
  fluxMessage: string
  /** The built object it is about, as its file declares it (for locating it). */
  subject: KubeObject
}

/** What the checks need besides the objects. */
export interface ApplyCheckContext {
  /** Whether the Kustomization has spec.postBuild (substitution re-registers every object's id). */
  postBuild: boolean
  /** CRDs the cluster would have when this Kustomization applies (rendered before it, and its own). */
  crds: KubeObject[]
  /**
   * Flux Operator installs this cluster's Flux (a FluxInstance): it patches the Alert and
   * Receiver CRDs so their kind enums also take FluxInstance, ResourceSet and
   * ResourceSetInputProvider (flux-operator internal/builder, notificationPatchTmpl).
   */
  fluxOperator?: boolean
}

const OPERATOR_KINDS: readonly unknown[] = ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']

/** An enum finding the operator's notification CRD patch makes valid. */
function allowedByOperator(o: KubeObject, f: { code: string; path: string }): boolean {
  if (f.code !== 'enum-mismatch' || !o.apiVersion.startsWith('notification.toolkit.fluxcd.io/')) return false
  const m = o.kind === 'Alert' ? /^spec\.eventSources\[(\d+)\]\.kind$/.exec(f.path) : o.kind === 'Receiver' ? /^spec\.resources\[(\d+)\]\.kind$/.exec(f.path) : null
  if (!m) return false
  const spec = o['spec'] as Record<string, unknown> | undefined
  const list = spec?.[o.kind === 'Alert' ? 'eventSources' : 'resources']
  const item = Array.isArray(list) ? (list[Number(m[1])] as Record<string, unknown> | undefined) : undefined
  return OPERATOR_KINDS.includes(item?.['kind'])
}

/** `Kind/namespace/name` or `Kind/name`, as fluxcd/pkg/ssa prints an object. */
function fmt(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
}

/** `Kind.group "name"`, as the API server names an object in a status error. */
function apiName(o: KubeObject): string {
  const group = groupOf(o.apiVersion)
  return `${o.kind}${group ? `.${group}` : ''} ${JSON.stringify(o.metadata.name)}`
}

/** The API server's "is invalid" message for field errors (one, or a bracketed list). */
function invalidMessage(o: KubeObject, errors: string[]): string {
  return `${fmt(o)} dry-run failed (Invalid): ${apiName(o)} is invalid: ${errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`}`
}

/**
 * kustomize's resource id equality (resid.ResId.Equals): group, version, kind and name, and the
 * effective namespace, where "" is "default" and cluster-scoped kinds have none. Kinds kustomize
 * does not know are namespaced.
 */
function idOf(o: KubeObject): string {
  const clusterScoped = isNamespacedKind(o.apiVersion, o.kind) === false
  const ns = clusterScoped ? '~cluster' : o.metadata.namespace || 'default'
  return `${o.apiVersion}|${o.kind}|${ns}|${o.metadata.name}`
}

/**
 * K-18a: with postBuild, kustomize-controller substitutes each object in build order and puts it
 * back in the resource map by its new id; an id that now matches two objects (names equal only
 * after substitution) fails the build with kustomize's "id matched N resources".
 */
function duplicateIds(objects: readonly PostBuilt[]): ApplyFailure[] {
  const current = objects.map((p) => idOf(p.built))
  for (let i = 0; i < objects.length; i++) {
    const p = objects[i]!
    if (!p.substituted) continue
    current[i] = idOf(p.object)
    const matches = current.filter((id) => id === current[i]).length
    if (matches < 2) continue
    const others = objects.filter((_, j) => j !== i && current[j] === current[i]).map((q) => q.built.metadata.name)
    const fluxMessage = `in Replace: id matched ${matches} resources`
    return [{
      subject: p.built,
      fluxMessage,
      diagnostic: {
        code: 'render/duplicate-id',
        severity: 'error',
        message: `${p.object.kind} ${fmt(p.object).slice(p.object.kind.length + 1)} (declared as ${p.built.metadata.name}) has the same id after postBuild substitution as ${others.join(', ')}: kustomize-controller fails the build with "${fluxMessage}" and applies none of the Kustomization's objects (K-18a)`,
      },
    }]
  }
  return []
}

/** K-16a: Flux does not default the namespace; the server-side dry-run cannot find the object's namespace. */
function missingNamespace(p: PostBuilt): ApplyFailure | undefined {
  const o = p.object
  if (o.metadata.namespace) return undefined
  const namespaced = fluxOrOperatorKindOf(o.apiVersion, o.kind) !== undefined || isNamespacedKind(o.apiVersion, o.kind) === true
  if (!namespaced) return undefined
  const fluxMessage = `${fmt(o)} namespace not specified: the server could not find the requested resource`
  return {
    subject: p.built,
    fluxMessage,
    diagnostic: { code: 'render/namespace-missing', severity: 'error', message: `${o.kind} ${o.metadata.name} has no namespace and the Kustomization sets no targetNamespace: Flux fails with "${fluxMessage}" and applies none of the Kustomization's objects (K-16a)` },
  }
}

/** V-1: a Flux kind in a version Flux has never served; the dry-run finds no such kind. */
function unservedFluxVersion(p: PostBuilt): ApplyFailure | undefined {
  const o = p.object
  const info = fluxKindOf(o.apiVersion, o.kind)
  const version = o.apiVersion.slice(o.apiVersion.indexOf('/') + 1)
  if (!info || info.versions.some((v) => v.version === version)) return undefined
  const served = info.versions.map((v) => v.version).join(', ')
  const fluxMessage = `${fmt(o)} dry-run failed: no matches for kind ${JSON.stringify(o.kind)} in version ${JSON.stringify(o.apiVersion)}`
  return {
    subject: p.built,
    fluxMessage,
    diagnostic: { code: 'render/unknown-api-version', severity: 'error', message: `${o.kind} ${o.metadata.name} uses ${o.apiVersion}, a version Flux does not serve (${info.group} ${o.kind}: ${served}); applying it fails with "no matches for kind", so Flux applies none of the Kustomization's objects (V-1)` },
  }
}

/** Names, namespaces, label and annotation keys and values, ConfigMap/Secret keys (apimachinery validation). */
function invalidIdentity(p: PostBuilt): ApplyFailure | undefined {
  const o = p.object
  const errors = identityErrors(o, { builtin: isBuiltinKind(o.apiVersion, o.kind) }).map((v) => v.message)
  if (errors.length === 0) return undefined
  const fluxMessage = invalidMessage(o, errors)
  return {
    subject: p.built,
    fluxMessage,
    diagnostic: { code: 'render/invalid-name', severity: 'error', message: `${fmt(o)}: ${errors.join('; ')}: the API server rejects it, so Flux applies none of the Kustomization's objects` },
  }
}

/**
 * A Flux object that does not match its CRD (the one rendered before this Kustomization, or
 * the bundled release): the dry-run rejects it. Unknown fields fail server-side apply's typed
 * conversion before validation, so they are reported alone, as the API server does.
 */
function invalidFluxObject(p: PostBuilt, validate: (o: KubeObject) => ReturnType<ReturnType<typeof createValidator>>, fluxOperator: boolean): ApplyFailure | undefined {
  const o = p.object
  if (!fluxOrOperatorKindOf(o.apiVersion, o.kind)) return undefined
  const findings = validate(o).filter((f) => !(fluxOperator && allowedByOperator(o, f)))
  if (findings.length === 0) return undefined
  const unknown = findings.filter((f) => f.code === 'unknown-field')
  const shown = unknown.length > 0 ? unknown : findings
  const details = shown.map((f) => f.detail)
  const fluxMessage = unknown.length > 0
    ? `${fmt(o)} dry-run failed (BadRequest): failed to create typed patch object (${o.apiVersion}, Kind=${o.kind}): ${details.join('; ')}`
    : invalidMessage(o, details)
  return {
    subject: p.built,
    fluxMessage,
    diagnostic: { code: 'render/invalid-flux-object', severity: 'error', message: `${fmt(o)}: ${details.join('; ')}: the API server rejects it against its CRD, so Flux applies none of the Kustomization's objects` },
  }
}

/**
 * What kustomize-controller would fail on after the build and before or during the apply, as
 * far as it can be known offline (K-16a, K-18a, V-1, and the API server's validation of Flux
 * objects and object names). Any failure fails the whole Kustomization: the apply is all or
 * nothing. Failures come in the order Flux meets them (build, then dry-run), so the first one is
 * the message Flux shows.
 */
function applyChecksUntimed(objects: readonly PostBuilt[], ctx: ApplyCheckContext): ApplyFailure[] {
  const known = objects.filter((p) => !p.encryptedIdentity)
  const out: ApplyFailure[] = ctx.postBuild ? duplicateIds(known) : []
  const validate = createValidator({ crds: ctx.crds })
  for (const p of known) {
    const failure = unservedFluxVersion(p) ?? missingNamespace(p) ?? invalidIdentity(p) ?? invalidFluxObject(p, validate, ctx.fluxOperator === true)
    if (failure) out.push(failure)
  }
  return out
}
export const applyChecks = timed('flux: apply checks (validation)', applyChecksUntimed)

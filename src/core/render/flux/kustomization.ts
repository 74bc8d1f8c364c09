import type { FileTree } from '../../../ports/file-tree.js'
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import type { ArtifactResult, SourceRef } from '../../load/sources.js'
import type { FilteredTree } from '../../load/filtered-tree.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import type { OwnerStatus } from '../../model/render-result.js'
import { normalizePath } from '../../tree/memory-tree.js'
import { BuildCache } from '../kustomize/build-cache.js'
import type { KustomizeResult } from '../kustomize/index.js'
import { parseYamlDocumentsLocated, YamlError } from '../../yaml/index.js'
import { entryLine } from '../kustomize/pipeline.js'
import { applyChecks } from './apply-checks.js'
import { findOrGenerateKustomization } from './generate.js'
import { applyFluxOverlay, OverlayTree } from './overlay.js'
import { postBuild, type PostBuilt } from './post-build.js'
import { encryptedGeneratorInputs, maskEncryptedInputs, undecryptedInputs } from './sops-inputs.js'
import { substitutionFor } from './substitution.js'
import type { SourceRead, SourceResolve } from '../values/sources.js'
import { timed } from '../../timings/phases.js'

/**
 * Builds shared by every render in this process: the Kustomizations of a fleet that build the
 * same folder, and the base and head trees of a pull request, reuse one build (replayed
 * only when every file it read is unchanged).
 */
const builds = new BuildCache()

/** What rendering one Kustomization needs from the fleet walk. */
export interface KustomizationContext {
  resolveSource(ref: SourceRef): ArtifactResult
  /** What is known of a substituteFrom source; `built` are this Kustomization's own objects, which may create it. */
  values(built: readonly KubeObject[]): SourceResolve
  strictSubstitution: boolean
  /** CustomResourceDefinitions applied before this Kustomization (its own are added): they validate its custom resources. */
  crds?: () => KubeObject[]
  /** Whether Flux Operator runs the target cluster's Flux (its CRD patches apply). */
  fluxOperator?: () => boolean
}

/** The outcome of one Kustomization. */
export interface KustomizationRender {
  status: OwnerStatus
  objects: PostBuilt[]
  diagnostics: Diagnostic[]
  note?: string
  /** Values that came from Secrets through substituteFrom (for masking; never printed). */
  secretValues?: string[]
  /** The substituteFrom sources read, and what was known of each. */
  reads?: SourceRead[]
  /** The built object a diagnostic is about (post-build findings), for locating it in a file. */
  subjects?: Map<Diagnostic, KubeObject>
  /**
   * Where each built object (PostBuilt.built, a subject) was read or generated, in repository
   * paths; objects of an artifact that is not this repository's have none.
   */
  sources?: Map<KubeObject, SourceLocation>
}

/** The sourceRef of a Kustomization, namespace defaulted to its own (G-8). */
export function sourceRefOf(ks: KubeObject): SourceRef {
  const spec = isJsonObject(ks['spec']) ? ks['spec'] : {}
  const ref = isJsonObject(spec['sourceRef']) ? spec['sourceRef'] : {}
  return {
    kind: typeof ref['kind'] === 'string' ? ref['kind'] : 'GitRepository',
    name: typeof ref['name'] === 'string' ? ref['name'] : '',
    namespace: typeof ref['namespace'] === 'string' && ref['namespace'] ? ref['namespace'] : (ks.metadata.namespace ?? 'default'),
  }
}

/**
 * Renders a Flux Kustomization as kustomize-controller would (section 9): artifact tree →
 * path (K-1) → find or generate the kustomization (K-3 … K-6) → Flux overlay (K-7 … K-10)
 * → kustomize build → post-build pipeline (1.6).
 */
function renderKustomizationUntimed(ks: KubeObject, ctx: KustomizationContext): KustomizationRender {
  const invalid = specProblem(ks)
  if (invalid) return fail('render/invalid-spec', `Kustomization ${ks.metadata.name}: ${invalid}; the API server rejects it, so Flux never applies it`)
  const spec: JsonObject = isJsonObject(ks['spec']) ? ks['spec'] : {}
  const ref = sourceRefOf(ks)
  const src = ctx.resolveSource(ref)
  if (src.type === 'external') return { status: 'external', objects: [], diagnostics: [{ code: 'render/external-source', severity: src.severity ?? 'info', message: src.note }], note: src.note }
  if (src.type !== 'tree') {
    return fail('render/source-unavailable', `${ref.kind} ${ref.namespace}/${ref.name}: ${src.note}`)
  }
  const dir = securePath(typeof spec['path'] === 'string' ? spec['path'] : '')
  if (dir !== '' && src.tree.stat(dir)?.type !== 'dir') {
    return fail('render/path-not-found', `kustomization path not found: ${spec['path']} in ${src.source} (K-1)`)
  }
  const found = findOrGenerateKustomization(src.tree, dir)
  if (!found.ok) return { ...fail(found.diagnostic.code, found.diagnostic.message), diagnostics: [found.diagnostic] }
  const overlaid = applyFluxOverlay(found.content, found.generated, spec, src.tree, dir)
  if (!overlaid.ok) return fail('render/invalid-components', overlaid.error)
  const tree = new OverlayTree(src.tree, found.file, overlaid.content)
  const built = builds.build(tree, dir, { reorder: 'none', loadRestrictor: 'LoadRestrictionsNone' })
  const diagnostics = built.diagnostics.map(withoutQuotedContent)
  const remote = diagnostics.filter((d) => d.code === 'kustomize/remote-unsupported')
  if (!built.ok && remote.length > 0 && remote.length === diagnostics.filter((d) => d.severity === 'error').length) {
    // K-14: Flux fetches remote bases; offline they cannot be had, which is not the change's fault.
    const note = `remote base not rendered (K-14): ${remote[0]!.message}`
    return { status: 'external', objects: [], diagnostics: diagnostics.map((d) => (d.code === 'kustomize/remote-unsupported' ? { ...d, severity: 'warning' as const } : d)), note }
  }
  if (!built.ok || diagnostics.some((d) => d.severity === 'error')) {
    return { status: 'failed', objects: [], diagnostics: diagnostics.map((d) => explainMissing(d, src.tree)), note: 'kustomize build failed' }
  }
  // K-17: generator inputs Flux decrypts before the build; their Secrets' values and name hashes
  // are unknown here. They matter only through the Secrets they make: a build without a Secret
  // (most of a fleet) skips walking its kustomizations for them.
  const inputs = built.objects.some((o) => o.kind === 'Secret') ? encryptedGeneratorInputs(tree, dir) : []
  const decryptsSources = isJsonObject(spec['decryption']) && spec['decryption']['provider'] === 'sops'
  if (!decryptsSources) diagnostics.push(...undecryptedInputs(inputs))
  const fromEncrypted = decryptsSources ? maskEncryptedInputs(built.objects, inputs) : new Map<KubeObject, string[]>()
  const sources = repositorySources(built, found, src)
  const namespace = ks.metadata.namespace ?? 'default'
  const sub = substitutionFor(spec, namespace, ctx.values(built.objects), ctx.strictSubstitution)
  diagnostics.push(...sub.diagnostics)
  // Every return from here names the Secret values, so that its messages are masked too.
  if (sub.failed) return { status: 'failed', objects: [], diagnostics, note: 'postBuild variables could not be read', sources, reads: sub.reads, secretValues: sub.secretValues }
  const pb = postBuild(built.objects, { name: ks.metadata.name, namespace, spec, ...(sub.substitute ? { substitute: sub.substitute } : {}) })
  diagnostics.push(...pb.diagnostics)
  const subjects = pb.subjects
  if (pb.ok && fromEncrypted.size > 0) {
    for (const p of pb.objects) {
      const files = fromEncrypted.get(p.built)
      if (files) Object.assign(p, { encryptedInput: files, sops: true })
    }
  }
  if (!pb.ok || diagnostics.some((d) => d.severity === 'error')) {
    return { status: 'failed', objects: [], diagnostics, note: pb.fluxMessage ?? 'post-build failed', subjects, sources, reads: sub.reads, secretValues: sub.secretValues }
  }
  const fluxOperator = ctx.fluxOperator?.() === true || pb.objects.some((p) => p.object.kind === 'FluxInstance' && p.object.apiVersion.startsWith('fluxcd.controlplane.io/'))
  const failures = applyChecks(pb.objects, { postBuild: isJsonObject(spec['postBuild']), crds: [...(ctx.crds?.() ?? []), ...pb.objects.map((p) => p.object).filter(isCrd)], fluxOperator })
  for (const f of failures) subjects.set(f.diagnostic, f.subject)
  if (failures.length > 0) {
    // The apply is all or nothing (K-18): Flux applies none of the objects and the cluster keeps what it had.
    return { status: 'failed', objects: [], diagnostics: [...diagnostics, ...failures.map((f) => f.diagnostic)], note: `apply failed: ${failures[0]!.fluxMessage}`, subjects, sources, secretValues: sub.secretValues }
  }
  return { status: 'rendered', objects: pb.objects, diagnostics, secretValues: sub.secretValues, subjects, sources, reads: sub.reads }
}

/**
 * Where the engine read each built object, mapped from artifact paths to repository paths.
 * A generator entry of the kustomization Flux rewrote (OverlayTree) is found again in the
 * file as written, by its field and index: the rewritten file's lines are not the repository's.
 */
function repositorySources(built: KustomizeResult, found: { file: string; generated: boolean }, src: { tree: FileTree; origin?: (path: string) => string | undefined }): Map<KubeObject, SourceLocation> {
  const out = new Map<KubeObject, SourceLocation>()
  const toRepo = src.origin
  if (!toRepo || !built.origins) return out
  let written: Map<string, number[]> | undefined
  for (const [i, o] of built.objects.entries()) {
    const at = built.origins[i]
    const file = at ? toRepo(at.file) : undefined
    if (!at || file === undefined) continue
    let line = at.line
    if (at.file === found.file && at.entry) {
      written ??= found.generated ? new Map() : entryLinesOf(src.tree, found.file)
      line = entryLine(written, at.entry.field, at.entry.index)
    }
    out.set(o, { file, ...(line !== undefined ? { line } : {}), ...(at.via ? { via: at.via } : {}) })
  }
  return out
}

/** The line of each entry of each list field of a kustomization file as written; none when it does not parse. */
function entryLinesOf(tree: FileTree, file: string): Map<string, number[]> {
  try {
    const text = new TextDecoder().decode(tree.readFile(file) ?? new Uint8Array())
    return parseYamlDocumentsLocated(text, { uniqueKeys: false, marshalRoundTrip: false })[0]?.entryLines ?? new Map()
  } catch (e) {
    if (e instanceof YamlError) return new Map()
    throw e
  }
}
export const renderKustomization = timed('flux: kustomization (overlay, post-build)', renderKustomizationUntimed)

function isCrd(o: KubeObject): boolean {
  return o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/')
}

/**
 * Engine messages that quote file content (an env line, an inline patch, a node) lose the
 * quote: a failed build renders no Secret, so nothing else knows those values are secret.
 */
export function withoutQuotedContent(d: Diagnostic): Diagnostic {
  const message = d.message
    .replace(/"[^\n]*? is not a valid key name/g, 'a line is not a valid KEY=value entry')
    .replace(/\[patch: [\s\S]*"\]/g, '[inline patch]')
    .replace(/(must specify one of patch and path in|patch and path can't be set at the same time)\n[\s\S]*$/, '$1 a patch entry')
    .replace(/: node contents:\n[\s\S]*$/, '')
  return message === d.message ? d : { ...d, message }
}

/**
 * A file the build misses may be in the repository yet not in the artifact: say why, since
 * the engine only sees the artifact (a symlink, even one escaping the repository, G-3; an
 * ignored file, G-4).
 */
function explainMissing(d: Diagnostic, tree: FileTree): Diagnostic {
  // Asked of the tree (a FilteredTree, or the incremental recorder standing in front of one).
  const explaining = tree as Partial<Pick<FilteredTree, 'droppedBecause'>>
  if (!d.code.startsWith('kustomize/missing') || !d.location || typeof explaining.droppedBecause !== 'function') return d
  const missing = d.subject ?? d.location.file
  const why = explaining.droppedBecause(missing)
  if (!why) return d
  const reason = why === 'symlink' ? 'is a symlink, and Flux artifacts keep only regular files (G-3)' : 'is excluded by .sourceignore or spec.ignore (G-4)'
  return { ...d, message: `${missing} ${reason}: ${d.message}` }
}

/**
 * The first shape error the CRD schema would reject (a wrong type would otherwise read as a
 * default: `path: 42` as the repository root, `dependsOn: infra` as no dependency).
 */
function specProblem(ks: KubeObject): string | undefined {
  const spec = ks['spec']
  if (!isJsonObject(spec)) return 'spec must be a mapping'
  const ref = spec['sourceRef']
  if (!isJsonObject(ref) || typeof ref['name'] !== 'string' || ref['name'] === '') return 'spec.sourceRef.name is required'
  if ('kind' in ref && typeof ref['kind'] !== 'string') return 'spec.sourceRef.kind must be a string'
  if ('path' in spec && typeof spec['path'] !== 'string') return 'spec.path must be a string'
  for (const field of ['dependsOn', 'patches', 'components', 'images', 'healthChecks']) {
    if (field in spec && !Array.isArray(spec[field])) return `spec.${field} must be a list`
  }
  const pb = spec['postBuild']
  if (pb !== undefined && !isJsonObject(pb)) return 'spec.postBuild must be a mapping'
  if (isJsonObject(pb) && 'substitute' in pb && !isJsonObject(pb['substitute'])) return 'spec.postBuild.substitute must be a mapping'
  if (isJsonObject(pb) && 'substituteFrom' in pb && !Array.isArray(pb['substituteFrom'])) return 'spec.postBuild.substituteFrom must be a list'
  return undefined
}

function fail(code: string, message: string): KustomizationRender {
  return { status: 'failed', objects: [], diagnostics: [{ code, severity: 'error', message }], note: message }
}

/** K-1: secureJoin — leading `/` is relative and `..` is clamped at the root. */
export function securePath(path: string): string {
  const out: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return normalizePath(out.join('/'))
}

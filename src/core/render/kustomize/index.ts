import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { KubeObject } from '../../model/object.js'
import type { FileTree } from '../../../ports/file-tree.js'
import { isJsonObject } from '../../model/object.js'
import { joinPath, KustomizeError, Loader, display, type LoadRestrictor } from './loader.js'
import { nameHash } from './merge-api.js'
import { ANNO, getAnnotation, removeAnnotation, removeBuildAnnotations, setName, getName, storePreviousId, type Res, type ResOrigin } from './resource.js'
import { sortResources } from './sort.js'
import { accumulateTarget, emptyAccumulator, makeTarget, setSchema, type BuildContext } from './target.js'
import { fixNameReferences } from './transformers/nameref.js'
import { resolveVars } from './transformers/vars.js'
import { emitDocument } from '../../yaml/index.js'
import { timed } from '../../timings/phases.js'

export type { ResOrigin } from './resource.js'

/** Options of one build; defaults are the kustomize CLI's. */
export interface KustomizeOptions {
  /** 'legacy' sorts by kind like `kustomize build`; Flux keeps input order ('none', K-14a). */
  reorder?: 'legacy' | 'none'
  /** RootOnly (CLI default) keeps file reads inside each kustomization folder. */
  loadRestrictor?: LoadRestrictor
  /** Remote bases are refused unless set (and even then not fetched by this engine). */
  allowRemote?: boolean
}

export interface KustomizeResult {
  ok: boolean
  objects: KubeObject[]
  diagnostics: Diagnostic[]
  /**
   * Where each object was read or generated (same order as `objects`), in tree paths. Left
   * out by engines that cannot tell (the reference binary).
   */
  origins?: (ResOrigin | undefined)[]
}

/** A kustomize build implementation: ours, or the reference binary (src/infra/kustomize-cli.ts). */
export interface KustomizeEngine {
  build(tree: FileTree, dir: string, opts?: KustomizeOptions): KustomizeResult
}

/** Builds the kustomization in `dir` of `tree`, as `kustomize build` would. */
function buildKustomizationUntimed(tree: FileTree, dir: string, opts: KustomizeOptions = {}): KustomizeResult {
  try {
    const built = build(tree, dir, opts)
    return { ok: true, objects: built.map((r) => r.obj as unknown as KubeObject), diagnostics: [], origins: built.map((r) => r.origin) }
  } catch (e) {
    if (!(e instanceof KustomizeError)) throw e
    const d: Diagnostic = { code: e.code, severity: 'error', message: e.message }
    if (e.file) d.location = { file: e.file.replace(/^\//, ''), ...(e.line !== undefined ? { line: e.line } : {}) }
    if (e.subject) d.subject = e.subject.replace(/^\//, '')
    return { ok: false, objects: [], diagnostics: [d] }
  }
}
export const buildKustomization = timed('kustomize: build (loading, accumulation)', buildKustomizationUntimed)

function build(tree: FileTree, dir: string, opts: KustomizeOptions): Res[] {
  const root = joinPath('', dir)
  if (root === undefined || tree.stat(root)?.type !== 'dir') {
    throw new KustomizeError(`must build at directory: not a valid directory: '${display(root ?? dir)}'`, 'kustomize/missing-directory', display(root ?? dir))
  }
  const ldr = new Loader(tree, root, opts.loadRestrictor ?? 'LoadRestrictionsRootOnly')
  const ctx: BuildContext = { allowRemote: opts.allowRemote === true, buildMetadata: [] }
  const top = makeTarget(ldr, ctx)
  ctx.buildMetadata = top.k.buildMetadata
  if (top.k.buildMetadata.length > 0) top.origin = ''
  setSchema(top)
  const ra = accumulateTarget(top, emptyAccumulator())
  addHashes(ra.resources)
  fixNameReferences(ra.resources, ra.config.nameReference)
  resolveVars(ra.resources, ra.vars, ra.config.varReference)
  let list = ra.resources.filter((r) => {
    const v = getAnnotation(r, ANNO.localConfig)
    return v === undefined || v === 'false'
  })
  list = sortResources(list, top.k.sortOptions, opts.reorder ?? 'legacy')
  const meta = top.k.buildMetadata
  for (const r of list) {
    removeBuildAnnotations(r)
    if (meta.includes('managedByLabel')) {
      const m = r.obj['metadata'] as Record<string, unknown>
      m['labels'] = { ...(isJsonObject(m['labels'] as never) ? (m['labels'] as object) : {}), 'app.kubernetes.io/managed-by': 'kustomize-v5.5.0' }
    }
    if (!meta.includes('originAnnotations')) removeAnnotation(r, ANNO.origin)
    if (!meta.includes('transformerAnnotations')) removeAnnotation(r, ANNO.transformations)
  }
  return list
}

/** Generated ConfigMaps/Secrets get their content hash appended (kustomize's HashTransformer). */
function addHashes(resources: Res[]): void {
  for (const r of resources) {
    if (getAnnotation(r, ANNO.needsHash) !== 'enabled') continue
    const h = nameHash(r.obj as unknown as KubeObject)
    storePreviousId(r)
    setName(r, `${getName(r)}-${h}`)
  }
}

/** Prints objects exactly like `kustomize build` (documents joined by `---`). */
export function serializeObjects(objects: KubeObject[]): string {
  return objects.map((o) => emitDocument(o as never)).join('---\n')
}

/** The engine implemented here. */
export const builtinEngine: KustomizeEngine = Object.freeze({ build: buildKustomization })

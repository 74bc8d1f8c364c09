import { isJsonObject, type JsonValue } from '../../model/object.js'
import type { Accumulator, BuildContext, Target } from './types.js'

export type { Accumulator, BuildContext, Target } from './types.js'
import { configFromYaml, defaultConfig, mergeConfig, emptyConfig } from './config.js'
import { loadKustomization } from './kustomization.js'
import { display, KustomizeError, wrapError, type Loader } from './loader.js'
import { registryFromOpenApi } from './merge-api.js'
import { configFromCrdDefinitions } from './crds.js'
import { runGenerators, runTransformers, runValidators } from './pipeline.js'
import { appendAll, resourcesFromText, validateResources } from './resmap.js'
import { ANNO, setAnnotation, type Res } from './resource.js'
import { mergeVars, varFromYaml } from './transformers/vars.js'
import { subBuild } from './sub-builds.js'
import { parseYamlDocuments } from '../../yaml/index.js'

export function emptyAccumulator(): Accumulator {
  return { resources: [], config: emptyConfig(), vars: [] }
}

/** Loads the kustomization of `ldr` as a target. */
export function makeTarget(ldr: Loader, ctx: BuildContext, origin?: string): Target {
  return { ldr, k: loadKustomization(ldr), ctx, ...(origin !== undefined ? { origin } : {}) }
}

function isRemote(path: string): boolean {
  return /^(https?:\/\/|git@|ssh:\/\/|git::|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/.test(path) || /\?ref=/.test(path) || /^[\w.-]+\.(com|org|io|net)\/[^/]+\/[^/]+/.test(path)
}

function joinOrigin(a: string, b: string): string {
  const parts = [...a.split('/'), ...b.split('/')].filter((p) => p !== '' && p !== '.')
  const out: string[] = []
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop()
    else out.push(p)
  }
  return out.join('/')
}

/** kustomize's accumulateTarget: resources, generators, components, transformers, validators, vars. */
export function accumulateTarget(t: Target, ra: Accumulator): Accumulator {
  try {
    return accumulateTargetInner(t, ra)
  } catch (e) {
    // Errors that do not name a file point at the kustomization that was being built.
    if (e instanceof KustomizeError && e.file === undefined) throw new KustomizeError(e.message, e.code, display(t.ldr.resolve(t.k.fileName)))
    throw e
  }
}

function accumulateTargetInner(t: Target, ra: Accumulator): Accumulator {
  if (t.k.helmCharts.length > 0) {
    throw new KustomizeError(`Flux does not support helmCharts (field 'helmCharts' in ${display(t.ldr.resolve(t.k.fileName))}); kustomize needs --enable-helm`, 'kustomize/helm-unsupported', display(t.ldr.resolve(t.k.fileName)))
  }
  try {
    ra = accumulateResources(t, ra, t.k.resources)
  } catch (e) {
    throw wrapError(e, 'accumulating resources')
  }
  // The kustomization's `configurations:` first, then kustomize's defaults merged in: a
  // default spec is dropped when a custom one with its path is narrower (Issue 4884).
  let tc = emptyConfig()
  for (const c of t.k.configurations) {
    const docs = parseYamlDocuments(t.ldr.load(c))
    for (const d of docs) tc = mergeConfig(tc, configFromYaml(d))
  }
  tc = t.k.configurations.length > 0 ? mergeConfig(tc, defaultConfig()) : defaultConfig()
  ra.config = mergeConfig(ra.config, tc)
  for (const c of t.k.crds) {
    const text = t.ldr.load(c)
    let doc: JsonValue
    try {
      doc = text.trimStart().startsWith('{') ? (JSON.parse(text) as JsonValue) : (parseYamlDocuments(text)[0] ?? null)
    } catch {
      throw new KustomizeError(`unable to parse open API definition from '${c}'`, 'kustomize/invalid-crds', display(t.ldr.resolve(c)))
    }
    ra.config = mergeConfig(ra.config, configFromCrdDefinitions(doc))
  }
  const readPaths = (paths: string[]): Res[] => accumulateResources(t, emptyAccumulator(), paths).resources
  runGenerators(t, ra, readPaths)
  try {
    ra = accumulateComponents(t, ra)
  } catch (e) {
    throw wrapError(e, 'accumulating components')
  }
  runTransformers(t, ra, readPaths)
  runValidators(t, ra, readPaths)
  ra.vars = mergeVars(ra.resources, ra.vars, t.k.vars.map(varFromYaml))
  return ra
}


/** Reads resources: files are parsed, folders are built as nested kustomizations. */
export function accumulateResources(t: Target, ra: Accumulator, paths: string[]): Accumulator {
  for (const path of paths) {
    try {
      ra = accumulateEntry(t, ra, path)
    } catch (e) {
      throw locateEntry(t, path, e)
    }
  }
  return ra
}

/** Errors about one `resources:` entry itself, as opposed to what the entry's file contains. */
const ENTRY_CODES = new Set(['kustomize/missing-resource', 'kustomize/missing-file', 'kustomize/outside-root', 'kustomize/remote-unsupported'])

/**
 * Points an error about a `resources:` entry at the kustomization line that names it (where a
 * reviewer fixes it, and where a check-run annotation lands); the entry's own path becomes the
 * diagnostic's subject. The innermost kustomization wins: a located error passes through.
 */
function locateEntry(t: Target, path: string, e: unknown): unknown {
  if (!(e instanceof KustomizeError) || e.line !== undefined || !ENTRY_CODES.has(e.code)) return e
  const located = new KustomizeError(e.message, e.code, display(t.ldr.resolve(t.k.fileName)))
  const line = entryLine(t.ldr.load(t.k.fileName), path)
  if (line !== undefined) located.line = line
  located.subject = e.file ?? path
  return located
}

/** The 1-based line of a list entry `- path` (or the first line naming it in a flow list). */
function entryLine(text: string, path: string): number | undefined {
  const lines = text.split('\n')
  const bare = (l: string) => l.replace(/#.*$/, '').trim()
  for (const [i, l] of lines.entries()) {
    const b = bare(l)
    if (b.startsWith('-') && b.slice(1).trim().replace(/^(['"])(.*)\1$/, '$2') === path) return i + 1
  }
  const i = lines.findIndex((l) => bare(l).includes(path))
  return i < 0 ? undefined : i + 1
}

function accumulateEntry(t: Target, ra: Accumulator, path: string): Accumulator {
  if (isRemote(path)) {
    throw new KustomizeError(`remote resource '${path}' is not supported here (set allowRemote to fetch remote bases)`, 'kustomize/remote-unsupported', display(t.ldr.resolve(t.k.fileName)))
  }
  if (!t.ldr.isDir(path)) {
    let fileErr: KustomizeError
    try {
      accumulateFile(t, ra, path)
      return ra
    } catch (e) {
      if (!(e instanceof KustomizeError)) throw e
      if (e.code === 'kustomize/invalid-yaml' || e.code.startsWith('yaml/')) throw wrapError(e, `accumulating resources from '${path}'`)
      fileErr = wrapError(e, e.code === 'kustomize/duplicate-id' ? `merging resources from '${path}'` : `accumulating resources from '${path}'`)
    }
    try {
      t.ldr.child(path)
    } catch (e) {
      if (!(e instanceof KustomizeError)) throw e
      // Neither a file nor a folder: report it as the file problem, with kustomize's wording for both.
      const code = fileErr.code === 'kustomize/missing-file' ? 'kustomize/missing-resource' : fileErr.code
      throw new KustomizeError(`accumulation err='${fileErr.message}': ${e.message}`, code, fileErr.file ?? e.file)
    }
  }
  const child = t.ldr.child(path)
  const fileErr = `accumulating resources from '${path}': '${display(child.root)}' must resolve to a file`
  try {
    return accumulateDirectory(t, ra, child, false, t.origin === undefined ? undefined : joinOrigin(t.origin, path))
  } catch (e) {
    throw wrapError(e, `accumulation err='${fileErr}'`)
  }
}

function accumulateFile(t: Target, ra: Accumulator, path: string): void {
  const text = t.ldr.load(path)
  const file = t.ldr.resolve(path)
  const resources = resourcesFromText(text, display(file), file)
  validateResources(resources)
  if (t.origin !== undefined) {
    for (const r of resources) setAnnotation(r, ANNO.origin, `path: ${joinOrigin(t.origin, path)}\n`)
  }
  appendAll(ra.resources, resources)
}

function accumulateComponents(t: Target, ra: Accumulator): Accumulator {
  for (const path of t.k.components) {
    let child: Loader
    try {
      child = t.ldr.child(path)
    } catch (e) {
      // kustomize quotes the inner error here (Go's %q).
      if (e instanceof KustomizeError) throw new KustomizeError(`loader.New ${JSON.stringify(e.message)}`, e.code, e.file)
      throw e
    }
    try {
      ra = accumulateDirectory(t, ra, child, true, t.origin === undefined ? undefined : joinOrigin(t.origin, path))
    } catch (e) {
      if (e instanceof KustomizeError) throw new KustomizeError(`accumulateDirectory: ${JSON.stringify(e.message)}`, e.code, e.file)
      throw e
    }
  }
  return ra
}

function accumulateDirectory(parent: Target, ra: Accumulator, ldr: Loader, isComponent: boolean, origin: string | undefined): Accumulator {
  for (const frame of parent.ctx.entered ?? []) frame.add(ldr.root)
  const subRa = isComponent ? accumulateSubTarget(parent, ra, ldr, true, origin) : subBuild(ldr, parent.ctx, origin, (l) => accumulateSubTarget(parent, emptyAccumulator(), l, false, origin))
  const out = isComponent ? emptyAccumulator() : ra
  try {
    appendAll(out.resources, subRa.resources)
  } catch (e) {
    throw wrapError(e, `recursed merging from path '${display(ldr.root)}'`)
  }
  out.config = mergeConfig(out.config, subRa.config)
  for (const v of subRa.vars) {
    if (out.vars.some((x) => x.name === v.name)) throw new KustomizeError(`var '${v.name}' already encountered`, 'kustomize/var-duplicate')
    out.vars.push(v)
  }
  return out
}

/** The folder of `ldr` as a target, accumulated into `ra` (a component) or alone (a base). */
function accumulateSubTarget(parent: Target, ra: Accumulator, ldr: Loader, isComponent: boolean, origin: string | undefined): Accumulator {
  let sub: Target
  try {
    sub = makeTarget(ldr, parent.ctx, origin)
  } catch (e) {
    throw wrapError(e, `couldn't make target for path '${display(ldr.root)}'`)
  }
  setSchema(sub)
  if (isComponent && sub.k.kind !== 'Component') {
    throw new KustomizeError(`expected kind 'Component' for path '${display(ldr.root)}' but got '${sub.k.kind}'`, 'kustomize/not-a-component')
  }
  if (!isComponent && sub.k.kind === 'Component') {
    throw new KustomizeError(`expected kind != 'Component' for path '${display(ldr.root)}'`, 'kustomize/component-as-resource')
  }
  try {
    return accumulateTarget(sub, ra)
  } catch (e) {
    throw wrapError(e, `recursed accumulation of path '${display(ldr.root)}'`)
  }
}

/** Kubernetes OpenAPI versions kustomize v5.5 has built in (`openapi: {version: ...}`). */
const BUILTIN_OPENAPI_VERSIONS = ['v1.21.2']

/** Applies a kustomization's `openapi:` setting (custom schema file or builtin version). */
export function setSchema(t: Target): void {
  const oa = t.k.openapi
  if (!oa) return
  const path = oa['path']
  const version = oa['version']
  if (t.ctx.openapiSet) return
  if (typeof path === 'string' && typeof version === 'string') {
    throw new KustomizeError('builtin version and custom schema provided, cannot use both', 'kustomize/openapi')
  }
  if (typeof version === 'string' && typeof path !== 'string' && !BUILTIN_OPENAPI_VERSIONS.includes(version)) {
    throw new KustomizeError('the specified OpenAPI version is not built in', 'kustomize/openapi', display(t.ldr.resolve(t.k.fileName)))
  }
  if (typeof path === 'string' || typeof version === 'string') t.ctx.openapiSet = true
  if (typeof path === 'string') {
    const text = t.ldr.load(path)
    let doc: JsonValue
    try {
      doc = path.endsWith('.json') ? (JSON.parse(text) as JsonValue) : (parseYamlDocuments(text)[0] ?? null)
    } catch {
      doc = parseYamlDocuments(text)[0] ?? null
    }
    if (isJsonObject(doc) && !t.ctx.schemas) t.ctx.schemas = registryFromOpenApi(doc)
  }
}

import type { JsonObject } from '../../model/object.js'
import { BUILTIN_GENERATORS, BUILTIN_TRANSFORMERS, GENERATOR_ORDER, TRANSFORMER_ORDER } from './builtins/registry.js'
import type { Generator, PluginHelpers, Transformer } from './builtins/plugin.js'
import { KustomizeError } from './loader.js'
import { absorbAll, resourcesFromText } from './resmap.js'
import { ANNO, curId, getAnnotations, getApiVersion, getKind, setAnnotation, type Res, type ResOrigin } from './resource.js'
import { idString } from './resid.js'
import type { Accumulator, Target } from './types.js'
import { timed } from '../../timings/phases.js'

/*
 * Runs a kustomization's plugins the way kustomize's KustTarget does: the builtin ones its
 * fields configure (lowered through the registry, in its order), then the ones its
 * `generators:` / `transformers:` / `validators:` entries configure. Every instance is
 * configured first and run after, with its origin recorded when buildMetadata asks.
 */

/** Reads resources at paths (files, or kustomization folders): target.ts's accumulateResources. */
export type PathReader = (paths: string[]) => Res[]

interface Configured<T> {
  plugin: T
  origin: string | undefined
  /** Where what a generator makes comes from: its entry in a kustomization or its config file. */
  source?: ResOrigin | undefined
}

function helpers(t: Target): PluginHelpers {
  return { ldr: t.ldr, schemas: t.ctx.schemas }
}

/** The origin of what a builtin configured from the kustomization made or changed. */
function builtinOrigin(t: Target, kind: string): string | undefined {
  if (t.origin === undefined) return undefined
  const ci = t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`
  return `configuredIn: ${ci}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${kind}\n`
}

/** The origin of what a `generators:`/`transformers:` plugin config made or changed. */
function pluginOrigin(t: Target, c: Res): string | undefined {
  if (t.origin === undefined) return undefined
  const path = /^path: (.*)$/m.exec(getAnnotations(c)[ANNO.origin] ?? '')
  const configuredIn = path ? (path[1] as string) : t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`
  const id = curId(c)
  let s = `configuredIn: ${configuredIn}\nconfiguredBy:\n  apiVersion: ${getApiVersion(c)}\n  kind: ${id.kind}\n`
  if (id.name) s += `  name: ${id.name}\n`
  if (id.namespace) s += `  namespace: ${id.namespace}\n`
  return s
}

/**
 * Reads `transformers:` / `generators:` / `validators:` entries: inline YAML configs or
 * paths (a file of configs, or a kustomization folder whose output are configs).
 */
function loadPluginConfigs(t: Target, entries: string[], readPaths: PathReader, field?: string): Res[] {
  const out: Res[] = []
  const paths: string[] = []
  for (const [i, e] of entries.entries()) {
    let inline: Res[] | undefined
    try {
      inline = e.includes('\n') || e.trim().startsWith('{') ? resourcesFromText(e, 'inline config') : undefined
    } catch {
      inline = undefined
    }
    if (inline) {
      if (t.origin !== undefined) for (const r of inline) setAnnotation(r, ANNO.origin, `path: ${t.origin === '' ? t.k.fileName : `${t.origin}/${t.k.fileName}`}\n`)
      if (field !== undefined) {
        const at = entryOrigin(t, field, i)
        for (const r of inline) r.origin = at
      }
      out.push(...inline)
    } else paths.push(e)
  }
  if (paths.length > 0) out.push(...readPaths(paths))
  return out
}

/** Only builtin plugins: Flux runs kustomize without exec or KRM-function plugins. */
function builtinFor<T>(registry: ReadonlyMap<string, { configure: (h: PluginHelpers, c: JsonObject) => T }>, c: Res): { configure: (h: PluginHelpers, c: JsonObject) => T } {
  const a = getAnnotations(c)
  if (a['config.kubernetes.io/function'] !== undefined || a['config.k8s.io/function'] !== undefined) {
    throw new KustomizeError(`only builtin plugins are allowed: KRM function ${idString(curId(c))} needs kustomize --enable-alpha-plugins, which Flux does not run`, 'kustomize/plugins-disabled')
  }
  if (getApiVersion(c) !== 'builtin') {
    throw new KustomizeError(`external plugins disabled; unable to load external plugin '${getKind(c)}' (only builtin plugins allowed)`, 'kustomize/plugins-disabled')
  }
  const b = registry.get(getKind(c))
  if (!b) throw new KustomizeError(`unable to load builtin ${idString(curId(c)).split('/')[0]}`, 'kustomize/unknown-builtin')
  return b
}

/** configMapGenerator, secretGenerator, then `generators:` plugins (kustomize's order). */
function runGeneratorsUntimed(t: Target, ra: Accumulator, readPaths: PathReader): void {
  const h = helpers(t)
  const configured: Configured<Generator>[] = []
  for (const b of GENERATOR_ORDER) {
    // The kustomization field a builtin generator lowers from (ConfigMapGenerator: configMapGenerator), one config per entry.
    const field = b.kind.charAt(0).toLowerCase() + b.kind.slice(1)
    for (const [i, c] of (b.lower?.(t.k, ra.config) ?? []).entries()) {
      configured.push({ plugin: b.configure(h, c), origin: builtinOrigin(t, b.kind), source: { ...entryOrigin(t, field, i), via: field } })
    }
  }
  for (const c of loadPluginConfigs(t, t.k.generators, readPaths, 'generators')) {
    const id = curId(c)
    const source = c.origin ? { ...c.origin, via: `generator ${id.kind}${id.name ? ` ${id.name}` : ''}` } : undefined
    configured.push({ plugin: builtinFor(BUILTIN_GENERATORS, c).configure(h, c.obj), origin: pluginOrigin(t, c), source })
  }
  for (const { plugin, origin, source } of configured) {
    const generated = plugin.generate()
    for (const r of generated) {
      if (origin) setAnnotation(r, ANNO.origin, origin)
      if (source) r.origin = source
    }
    absorbAll(ra.resources, generated)
  }
}
export const runGenerators = timed('kustomize: generators and transformers', runGeneratorsUntimed)

/** Where entry `index` of the kustomization's list `field` is written. */
function entryOrigin(t: Target, field: string, index: number): ResOrigin {
  const line = entryLine(t.k.entryLines, field, index)
  return { file: t.ldr.resolve(t.k.fileName), ...(line !== undefined ? { line } : {}), entry: { field, index } }
}

/** The line of entry `index` of list `field`, the field matched as kustomize matches it (exactly, else case-insensitively). */
export function entryLine(lines: ReadonlyMap<string, number[]>, field: string, index: number): number | undefined {
  const exact = lines.get(field)
  if (exact) return exact[index]
  for (const [k, v] of lines) if (k.toLowerCase() === field.toLowerCase()) return v[index]
  return undefined
}

/** The builtin transformers the kustomization's fields configure, then its `transformers:`. */
function runTransformersUntimed(t: Target, ra: Accumulator, readPaths: PathReader): void {
  const h = helpers(t)
  const configured: Configured<Transformer>[] = []
  for (const b of TRANSFORMER_ORDER) {
    for (const c of b.lower?.(t.k, ra.config) ?? []) configured.push({ plugin: b.configure(h, c), origin: builtinOrigin(t, b.kind) })
  }
  for (const c of loadPluginConfigs(t, t.k.transformers, readPaths)) {
    configured.push({ plugin: builtinFor(BUILTIN_TRANSFORMERS, c).configure(h, c.obj), origin: pluginOrigin(t, c) })
  }
  for (const { plugin, origin } of configured) {
    plugin.transform(ra)
    if (origin) for (const r of ra.resources) recordTransformer(r, origin)
  }
}

/** kustomize's AddTransformerAnnotation: an origin for resources without one, else a transformation entry. */
function recordTransformer(r: Res, origin: string): void {
  const a = getAnnotations(r)
  if (a[ANNO.origin] === undefined) {
    setAnnotation(r, ANNO.origin, origin)
    return
  }
  const entry = origin.split('\n').filter((l) => l !== '').map((l, i) => (i === 0 ? '- ' : '  ') + l).join('\n') + '\n'
  setAnnotation(r, ANNO.transformations, (a[ANNO.transformations] ?? '') + entry)
}

/** Validators may look but not change anything; builtin ones never do. */
export function runValidators(t: Target, ra: Accumulator, readPaths: PathReader): void {
  if (t.k.validators.length === 0) return
  const h = helpers(t)
  const configured = loadPluginConfigs(t, t.k.validators, readPaths).map((c) => builtinFor(BUILTIN_TRANSFORMERS, c).configure(h, c.obj))
  const before = JSON.stringify(ra.resources.map((r) => r.obj))
  for (const v of configured) v.transform(ra)
  if (JSON.stringify(ra.resources.map((r) => r.obj)) !== before) throw new KustomizeError("validator shouldn't modify the resource map", 'kustomize/validator-modified')
}

export const runTransformers = timed('kustomize: generators and transformers', runTransformersUntimed)

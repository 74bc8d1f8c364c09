import { stringifyYaml12 as stringify } from '../../yaml/index.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { parseObjects, type LocatedObject } from '../../load/yaml-docs.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import type { OwnerStatus, RenderedOwner } from '../../model/render-result.js'
import { applyCommonMetadata, setMeta } from '../common-metadata.js'
import type { ChartContext } from './chart.js'
import { resolveChart } from './chart.js'
import { isNamespacedKind } from '../kustomize/merge-api.js'
import { releaseInputErrors } from './inputs.js'
import { phaseWall } from '../../timings/phases.js'
import { postRender } from './post-render.js'
import { CLUSTER_SCOPED, releaseNameOf, releaseNamespaceOf } from './release.js'
import { mergeValues, type UnknownValue } from './values.js'
import type { SourceRead, SourceResolve } from '../values/sources.js'

/** What rendering one HelmRelease needs from the fleet walk. */
export interface HelmContext extends ChartContext {
  /** What is known of a valuesFrom source (value-sources.ts). */
  values: SourceResolve
  helm?: HelmRunner
  /** API versions the fleet's CRDs serve, for `.Capabilities.APIVersions`. */
  apiVersions?: string[]
  /** The commit rendered, for the Git `Revision` reconcile strategy (H-5). */
  revision?: string
}

/** The outcome of one HelmRelease. */
export interface HelmReleaseRender {
  status: OwnerStatus
  objects: KubeObject[]
  /** The chart template each object came from (`chart podinfo 6.5.0 templates/deployment.yaml`), same order as objects. */
  templates: (string | undefined)[]
  diagnostics: Diagnostic[]
  helm: NonNullable<RenderedOwner['helm']>
  /** Values that came from Secrets (for masking rendered objects; never printed). */
  secretValues: string[]
  note?: string
  /** The valuesFrom sources read, and what was left unknown for want of their values. */
  reads?: SourceRead[]
  unknown?: UnknownValue[]
  /** Why the run's settings (no helm, offline, untrusted) kept the chart from rendering, when they did. */
  skipped?: string
}

/**
 * Renders a HelmRelease as helm-controller would (section 5): values (H-7), chart (H-2 … H-6),
 * `helm template`, CRD policy (H-14), post-renderers, commonMetadata and origin labels (H-16).
 * Without helm or the chart, falls back to values + chart version (status `values-only`).
 */
export async function renderHelmRelease(hr: KubeObject, ctx: HelmContext): Promise<HelmReleaseRender> {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const ns = hr.metadata.namespace ?? 'default'
  const releaseName = releaseNameOf(hr)
  const namespace = releaseNamespaceOf(hr)
  const merged = mergeValues(spec, ns, ctx.values)
  const sources = { reads: merged.reads, unknown: merged.unknown }
  const diagnostics = [...merged.diagnostics]
  // helm-controller fails a release whose names Helm or Kubernetes refuse; these names are
  // also the ones that reach helm's command line, so nothing is fetched or run for them.
  const invalid = releaseInputErrors(hr, releaseName, namespace)
  if (invalid.length > 0) {
    const helm = { chart: '', version: '', releaseName, namespace, values: merged.masked as JsonValue }
    for (const message of invalid) diagnostics.push({ code: 'helm/invalid-release', severity: 'error', message })
    return { status: 'failed', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: 'invalid HelmRelease' }
  }
  const chart = await resolveChart(hr, ctx)
  const helm = { chart: chart.chart, version: chart.version, releaseName, namespace, values: merged.masked as JsonValue }
  if (merged.failed) return { status: 'failed', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: 'values could not be read' }
  if (!chart.ok && chart.skipped) return skipped(chart.reason, chart.skipped)
  if (!chart.ok) {
    diagnostics.push({ code: chart.invalid ? 'helm/invalid-release' : chart.severity === 'error' ? 'helm/chart-unavailable' : 'helm/values-only', severity: chart.severity, message: chart.reason })
    const status: OwnerStatus = chart.severity === 'error' ? 'failed' : chart.external ? 'external' : 'values-only'
    return { status, objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: chart.reason }
  }
  if (!ctx.helm) {
    const why = ctx.helmOff ?? 'helm is not available'
    return skipped(`chart not rendered: ${why}`, why)
  }
  const install: JsonObject = isJsonObject(spec['install']) ? spec['install'] : {}
  const strategy = typeof spec['postRenderStrategy'] === 'string' ? spec['postRenderStrategy'] : 'combined'
  const helmRunner = ctx.helm
  const result = await phaseWall('helm: template (wall, concurrent)', () => helmRunner.template({
    chart: chart.source,
    releaseName,
    namespace,
    values: merged.values,
    ...(chart.valuesFiles ? { valuesFiles: chart.valuesFiles, ignoreMissingValuesFiles: chartSpec(spec)['ignoreMissingValuesFiles'] === true } : {}),
    skipSchemaValidation: install['disableSchemaValidation'] === true,
    noHooks: install['disableHooks'] === true || strategy === 'nohooks',
    skipTests: !(isJsonObject(spec['test']) && spec['test']['enable'] === true),
    ...(ctx.apiVersions && ctx.apiVersions.length > 0 ? { apiVersions: ctx.apiVersions } : {}),
    ...versionMetadata(spec, chart.source.type, ctx.revision),
  }))
  if (!result.ok) {
    if (result.unavailable) return valuesOnly(`chart ${chart.chart} ${chart.version} could not be fetched: ${result.error}; comparing values and chart version only`)
    diagnostics.push({ code: 'helm/template-failed', severity: 'error', message: result.error })
    return { status: 'failed', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: 'helm template failed' }
  }
  // What Chart.yaml says, as helm-controller reports it (a Git chart's path, an OCI URL otherwise).
  helm.chart = result.chartName || helm.chart
  helm.version = result.chartVersion || helm.version
  if (result.usesLookup) {
    diagnostics.push({ code: 'helm/uses-lookup', severity: 'info', message: `chart ${result.chartName} calls lookup, which renders empty without a cluster; objects built from it may differ in the cluster (H-13)` })
  }
  const built = finish(hr, spec, namespace, result.manifest, result.crds, `chart ${result.chartName || chart.chart} ${helm.version}`)
  diagnostics.push(...built.diagnostics)
  if (built.failed) return { status: 'failed', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: 'post-render failed' }
  return { status: 'rendered', objects: built.objects, templates: built.templates, diagnostics, helm, secretValues: merged.secretValues, ...sources }

  function valuesOnly(reason: string): HelmReleaseRender {
    diagnostics.push({ code: 'helm/values-only', severity: 'warning', message: reason })
    return { status: 'values-only', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: reason }
  }

  // No diagnostic of its own: the walk sums these up in one line per cluster.
  function skipped(reason: string, why: string): HelmReleaseRender {
    return { status: 'values-only', objects: [], templates: [], diagnostics, helm, secretValues: merged.secretValues, ...sources, note: `${reason}; comparing values and chart version only`, skipped: why }
  }
}

// H-5: Git charts with reconcileStrategy Revision get `+<commit12>`; OCIRepository chartRefs get
// `+<digest12>`. The valuesFiles generation suffix cannot be known offline and is left out.
function versionMetadata(spec: JsonObject, type: string, revision: string | undefined): { versionMetadata?: { revision: string } | 'digest' } {
  if (isJsonObject(spec['chartRef']) && spec['chartRef']['kind'] === 'OCIRepository') return { versionMetadata: 'digest' }
  const strategy = chartSpec(spec)['reconcileStrategy']
  if (type === 'files' && strategy === 'Revision' && revision && /^[0-9a-f]{12,}$/.test(revision)) return { versionMetadata: { revision: revision.slice(0, 12) } }
  return {}
}

// H-11: helm leaves the namespace out; known cluster-scoped kinds stay without one.
function namespaced(o: KubeObject): boolean {
  const known = isNamespacedKind(o.apiVersion, o.kind)
  return known ?? !CLUSTER_SCOPED.has(o.kind)
}

function chartSpec(spec: JsonObject): JsonObject {
  const c = spec['chart']
  return isJsonObject(c) && isJsonObject(c['spec']) ? c['spec'] : {}
}

function finish(hr: KubeObject, spec: JsonObject, namespace: string, manifest: string, crdText: string, chart: string): { objects: KubeObject[]; templates: (string | undefined)[]; diagnostics: Diagnostic[]; failed: boolean } {
  const diagnostics: Diagnostic[] = []
  const parsed = parseObjects(manifest, `helm:${hr.metadata.name}`)
  if (parsed.diagnostics.length > 0) return { objects: [], templates: [], diagnostics: parsed.diagnostics, failed: true }
  let objects = parsed.objects.map((o) => o.object)
  const dup = firstDuplicate(objects)
  if (dup) {
    diagnostics.push({ code: 'helm/duplicate-object', severity: 'error', message: `may not add resource with an already registered id: ${dup} (H-16)` })
    return { objects: [], templates: [], diagnostics, failed: true }
  }
  const sources = templateSources(manifest)
  for (const o of objects) if (!o.metadata.namespace && namespaced(o)) o.metadata.namespace = namespace
  const pr = postRender(objects, spec, parsed.objects.map((o) => templateOf(chart, sources.get(o.line))))
  diagnostics.push(...pr.diagnostics)
  if (!pr.ok) return { objects: [], templates: [], diagnostics, failed: true }
  objects = pr.objects
  const origin = { 'helm.toolkit.fluxcd.io/name': hr.metadata.name, 'helm.toolkit.fluxcd.io/namespace': hr.metadata.namespace ?? 'default' }
  for (const o of objects) {
    applyCommonMetadata(o, spec['commonMetadata'])
    setMeta(o, 'labels', origin)
  }
  const crdSources = templateSources(crdText)
  const crds = crdsFor(spec, crdText)
  for (const c of crds) setMeta(c.object, 'labels', origin)
  const crdTemplates = crds.map((c) => templateOf(chart, crdSources.get(c.line) ?? 'crds/'))
  return { objects: [...crds.map((c) => c.object), ...objects], templates: [...crdTemplates, ...pr.tags], diagnostics, failed: false }
}

/**
 * The `# Source: <chart>/templates/x.yaml` comment helm writes above each document, by the
 * line the document's content starts on.
 */
function templateSources(manifest: string): Map<number, string> {
  const out = new Map<number, string>()
  let current: string | undefined
  for (const [i, line] of manifest.split('\n').entries()) {
    if (line.startsWith('---')) current = undefined
    else if (line.startsWith('# Source: ')) current = line.slice('# Source: '.length).trim()
    else if (current !== undefined && line.trim() !== '' && !line.startsWith('#')) {
      out.set(i + 1, current)
      current = undefined
    }
  }
  return out
}

/**
 * `chart podinfo 6.5.0 templates/deployment.yaml`: the chart, then the template's path inside
 * it (helm prefixes the chart's own name). Chart file names are not trusted: one line, bounded.
 */
function templateOf(chart: string, source: string | undefined): string {
  const path = source === undefined ? '' : source.includes('/') && !source.startsWith('crds/') ? source.slice(source.indexOf('/') + 1) : source
  return [...`${chart}${path ? ` ${path}` : ''}`].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('').slice(0, 300)
}

// H-14: crds/ objects are applied by policy (default Create for install and upgrade); only CRDs count.
function crdsFor(spec: JsonObject, text: string): LocatedObject[] {
  const install = isJsonObject(spec['install']) ? spec['install'] : {}
  const policy = typeof install['crds'] === 'string' ? install['crds'] : 'Create'
  if (policy === 'Skip' || !text.trim()) return []
  return parseObjects(text, 'crds').objects.filter((o) => o.object.kind === 'CustomResourceDefinition')
}

function firstDuplicate(objects: KubeObject[]): string | undefined {
  const seen = new Set<string>()
  for (const o of objects) {
    const group = o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''
    const key = `${group}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`
    if (seen.has(key)) return key
    seen.add(key)
  }
  return undefined
}

/** The manifest as YAML text, for post-renderers. */
export function toManifest(objects: KubeObject[]): string {
  return objects.map((o) => stringify(o)).join('---\n')
}

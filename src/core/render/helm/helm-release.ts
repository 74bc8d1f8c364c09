import { stringifyYaml12 as stringify } from '../../yaml/index.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { parseObjects } from '../../load/yaml-docs.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import type { OwnerStatus, RenderedOwner } from '../../model/render-result.js'
import { applyCommonMetadata, setMeta } from '../common-metadata.js'
import type { ChartContext } from './chart.js'
import { resolveChart } from './chart.js'
import { isNamespacedKind } from '../kustomize/merge-api.js'
import { phaseWall } from '../../timings/phases.js'
import { postRender } from './post-render.js'
import { CLUSTER_SCOPED, releaseNameOf, releaseNamespaceOf } from './release.js'
import { mergeValues, type ValuesLookup } from './values.js'

/** What rendering one HelmRelease needs from the fleet walk. */
export interface HelmContext extends ChartContext {
  lookup: ValuesLookup
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
  diagnostics: Diagnostic[]
  helm: NonNullable<RenderedOwner['helm']>
  /** Values that came from Secrets (for masking rendered objects; never printed). */
  secretValues: string[]
  note?: string
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
  const merged = mergeValues(spec, ns, ctx.lookup)
  const diagnostics = [...merged.diagnostics]
  const chart = await resolveChart(hr, ctx)
  const helm = { chart: chart.chart, version: chart.version, releaseName, namespace, values: merged.masked as JsonValue }
  if (merged.failed) return { status: 'failed', objects: [], diagnostics, helm, secretValues: merged.secretValues, note: 'values could not be read' }
  if (!chart.ok) {
    diagnostics.push({ code: chart.severity === 'error' ? 'helm/chart-unavailable' : 'helm/values-only', severity: chart.severity, message: chart.reason })
    const status: OwnerStatus = chart.severity === 'error' ? 'failed' : chart.external ? 'external' : 'values-only'
    return { status, objects: [], diagnostics, helm, secretValues: merged.secretValues, note: chart.reason }
  }
  if (!ctx.helm) return valuesOnly('helm is not available; comparing values and chart version only')
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
    return { status: 'failed', objects: [], diagnostics, helm, secretValues: merged.secretValues, note: 'helm template failed' }
  }
  helm.version = result.chartVersion || helm.version
  if (result.usesLookup) {
    diagnostics.push({ code: 'helm/uses-lookup', severity: 'info', message: `chart ${result.chartName} calls lookup, which renders empty without a cluster; objects built from it may differ in the cluster (H-13)` })
  }
  const built = finish(hr, spec, namespace, result.manifest, result.crds)
  diagnostics.push(...built.diagnostics)
  if (built.failed) return { status: 'failed', objects: [], diagnostics, helm, secretValues: merged.secretValues, note: 'post-render failed' }
  return { status: 'rendered', objects: built.objects, diagnostics, helm, secretValues: merged.secretValues }

  function valuesOnly(reason: string): HelmReleaseRender {
    diagnostics.push({ code: 'helm/values-only', severity: 'warning', message: reason })
    return { status: 'values-only', objects: [], diagnostics, helm, secretValues: merged.secretValues, note: reason }
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

function finish(hr: KubeObject, spec: JsonObject, namespace: string, manifest: string, crdText: string): { objects: KubeObject[]; diagnostics: Diagnostic[]; failed: boolean } {
  const diagnostics: Diagnostic[] = []
  const parsed = parseObjects(manifest, `helm:${hr.metadata.name}`)
  if (parsed.diagnostics.length > 0) return { objects: [], diagnostics: parsed.diagnostics, failed: true }
  let objects = parsed.objects.map((o) => o.object)
  const dup = firstDuplicate(objects)
  if (dup) {
    diagnostics.push({ code: 'helm/duplicate-object', severity: 'error', message: `may not add resource with an already registered id: ${dup} (H-16)` })
    return { objects: [], diagnostics, failed: true }
  }
  for (const o of objects) if (!o.metadata.namespace && namespaced(o)) o.metadata.namespace = namespace
  const pr = postRender(objects, spec)
  diagnostics.push(...pr.diagnostics)
  if (!pr.ok) return { objects: [], diagnostics, failed: true }
  objects = pr.objects
  const origin = { 'helm.toolkit.fluxcd.io/name': hr.metadata.name, 'helm.toolkit.fluxcd.io/namespace': hr.metadata.namespace ?? 'default' }
  for (const o of objects) {
    applyCommonMetadata(o, spec['commonMetadata'])
    setMeta(o, 'labels', origin)
  }
  const crds = crdsFor(spec, crdText)
  for (const c of crds) setMeta(c, 'labels', origin)
  return { objects: [...crds, ...objects], diagnostics, failed: false }
}

// H-14: crds/ objects are applied by policy (default Create for install and upgrade); only CRDs count.
function crdsFor(spec: JsonObject, text: string): KubeObject[] {
  const install = isJsonObject(spec['install']) ? spec['install'] : {}
  const policy = typeof install['crds'] === 'string' ? install['crds'] : 'Create'
  if (policy === 'Skip' || !text.trim()) return []
  return parseObjects(text, 'crds').objects.map((o) => o.object).filter((o) => o.kind === 'CustomResourceDefinition')
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

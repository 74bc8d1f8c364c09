import { parseYaml12 as parse } from '../../yaml/index.js'
import type { ChartSource, HelmRunner } from '../../../ports/helm.js'
import type { FileTree } from '../../../ports/file-tree.js'
import type { ArtifactResult, SourceRef } from '../../load/sources.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import { joinInside } from '../../tree/memory-tree.js'
import { patternMatches } from '../../validate/pattern.js'
import { chartNameError, ociReferenceError } from './inputs.js'
import { chooseVersion, parseChartVersion, type Candidate } from './version.js'

/** What chart resolution needs from the fleet walk. */
export interface ChartContext {
  findSource(kind: string, namespace: string, name: string): KubeObject | undefined
  resolveArtifact(ref: SourceRef): ArtifactResult
  helm?: HelmRunner
  allowRemoteCharts: boolean
  /** Why remote charts are not fetched in this run (`--offline`, an untrusted change), for notes. */
  remoteChartsOff?: string
  /** Why helm is not run in this run, when the caller knows (an untrusted change). */
  helmOff?: string
}

/**
 * A resolved chart, or why it cannot be rendered (severity `warning` = values-only fallback).
 * `skipped`: why the run's settings, not the chart, kept it from rendering (no helm,
 * offline): the walk reports those once per cluster instead of once per HelmRelease.
 */
export type ChartResolution =
  | { ok: true; source: ChartSource; chart: string; version: string; valuesFiles?: string[] }
  | { ok: false; chart: string; version: string; reason: string; severity: 'warning' | 'error'; external?: boolean; skipped?: string; invalid?: boolean }

const str = (o: JsonObject, k: string): string => (typeof o[k] === 'string' ? (o[k] as string) : '')

/** Resolves `spec.chart` (H-2, H-3) or `spec.chartRef` (H-6, H-18) to a chart source. */
export async function resolveChart(hr: KubeObject, ctx: ChartContext): Promise<ChartResolution> {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const ns = hr.metadata.namespace ?? 'default'
  const hasChart = isJsonObject(spec['chart'])
  const hasRef = isJsonObject(spec['chartRef'])
  if (hasChart === hasRef) return { ok: false, chart: '', version: '', reason: 'exactly one of spec.chart and spec.chartRef must be set (H-1)', severity: 'error' }
  if (hasRef) return resolveChartRef(spec['chartRef'] as JsonObject, ns, ctx)
  const chartSpec = isJsonObject((spec['chart'] as JsonObject)['spec']) ? ((spec['chart'] as JsonObject)['spec'] as JsonObject) : {}
  return resolveTemplate(chartSpec, ns, ctx)
}

async function resolveChartRef(ref: JsonObject, ns: string, ctx: ChartContext): Promise<ChartResolution> {
  const kind = str(ref, 'kind')
  const name = str(ref, 'name')
  const namespace = str(ref, 'namespace') || ns
  if (kind === 'HelmChart') {
    const hc = ctx.findSource('HelmChart', namespace, name)
    if (!hc) return { ok: false, chart: name, version: '', reason: `HelmChart ${namespace}/${name} not found in the rendered fleet`, severity: 'error' }
    // A HelmChart's sourceRef has no namespace (LocalHelmChartSourceReference): source-controller
    // always looks in the HelmChart's own namespace, whatever the object says.
    return resolveTemplate(isJsonObject(hc['spec']) ? hc['spec'] : {}, hc.metadata.namespace ?? namespace, ctx, false)
  }
  if (kind !== 'OCIRepository') {
    return { ok: false, chart: name, version: '', reason: `chartRef ${kind} ${namespace}/${name} cannot be fetched offline`, severity: 'warning', external: true }
  }
  const repo = ctx.findSource('OCIRepository', namespace, name)
  if (!repo) return { ok: false, chart: name, version: '', reason: `OCIRepository ${namespace}/${name} not found in the rendered fleet`, severity: 'error' }
  const rs: JsonObject = isJsonObject(repo['spec']) ? repo['spec'] : {}
  const url = str(rs, 'url')
  const r: JsonObject = isJsonObject(rs['ref']) ? rs['ref'] : {}
  const insecure = rs['insecure'] === true
  const refError = ociReferenceError(url, str(r, 'tag') || undefined, str(r, 'digest') || undefined)
  if (refError) return { ok: false, chart: url, version: '', reason: `OCIRepository ${namespace}/${name}: ${refError}`, severity: 'error', invalid: true }
  const gate = remoteGate(ctx, url, name)
  if (gate) return { ...gate, version: str(r, 'semver') || str(r, 'tag') || 'latest' }
  // H-18: digest > semver (+ semverFilter) > tag > latest; Helm chart tags use `_` for `+`.
  if (str(r, 'digest')) return { ok: true, source: { type: 'oci', ref: url, digest: str(r, 'digest'), insecure }, chart: url, version: str(r, 'digest') }
  if (str(r, 'semver')) {
    const tags = await ctx.helm!.listTags(url, insecure)
    if (!tags.ok) return { ok: false, chart: url, version: str(r, 'semver'), reason: `listing tags of ${url}: ${tags.error}`, severity: 'warning' }
    const filter = str(r, 'semverFilter')
    // semverFilter is a Go regexp from the pull request: RE2 semantics; an invalid one filters nothing.
    const cands = tags.tags.filter((t) => ociReferenceError(url, t, undefined) === undefined && (!filter || patternMatches(filter, t) !== false)).map((t) => ({ version: t.replaceAll('_', '+') }))
    const chosen = chooseVersion(cands, str(r, 'semver'))
    if ('error' in chosen) return { ok: false, chart: url, version: str(r, 'semver'), reason: chosen.error, severity: 'error' }
    return { ok: true, source: { type: 'oci', ref: url, tag: chosen.version.replaceAll('+', '_'), insecure }, chart: url, version: chosen.version }
  }
  const tag = str(r, 'tag') || 'latest'
  return { ok: true, source: { type: 'oci', ref: url, tag, insecure }, chart: url, version: tag }
}

function remoteGate(ctx: ChartContext, url: string, chart: string): { ok: false; chart: string; reason: string; severity: 'warning'; skipped: string } | undefined {
  if (!ctx.allowRemoteCharts) {
    const why = ctx.remoteChartsOff ?? 'remote charts are not fetched in this run'
    return { ok: false, chart, reason: `remote chart ${url} not fetched: ${why}`, severity: 'warning', skipped: why }
  }
  if (!ctx.helm) {
    const why = ctx.helmOff ?? 'helm is not available'
    return { ok: false, chart, reason: `chart not rendered: ${why}`, severity: 'warning', skipped: why }
  }
  return undefined
}

/**
 * A chart template: a HelmRelease's `spec.chart.spec` (whose sourceRef may name another
 * namespace) or a HelmChart's `spec` (whose sourceRef may not: `crossNamespace` false).
 */
async function resolveTemplate(cs: JsonObject, ns: string, ctx: ChartContext, crossNamespace = true): Promise<ChartResolution> {
  const chart = str(cs, 'chart')
  const constraint = str(cs, 'version') || '*'
  const sref: JsonObject = isJsonObject(cs['sourceRef']) ? cs['sourceRef'] : {}
  const kind = str(sref, 'kind')
  const namespace = (crossNamespace ? str(sref, 'namespace') : '') || ns
  const name = str(sref, 'name')
  // v2beta1/v1beta2 `valuesFile` (one file) was merged before `valuesFiles` (7.2).
  const listed = [...(str(cs, 'valuesFile') ? [str(cs, 'valuesFile')] : []), ...(Array.isArray(cs['valuesFiles']) ? cs['valuesFiles'].map(String) : [])]
  if (kind === 'GitRepository' || kind === 'Bucket') return resolveLocalChart(chart, { kind, namespace, name }, ctx, listed.length > 0 ? listed.map(clampInside) : undefined)
  if (kind !== 'HelmRepository') return { ok: false, chart, version: constraint, reason: `unsupported chart sourceRef kind '${kind}'`, severity: 'error' }
  const nameError = chartNameError(chart)
  if (nameError) return { ok: false, chart, version: constraint, reason: nameError, severity: 'error', invalid: true }
  // A packaged chart's values files are looked up by name among its files: a path leaving
  // the chart names no file (source-controller: "no values file found").
  const inChart = listed.map((f) => (f.startsWith('/') ? undefined : joinInside('', f)))
  const outside = listed.find((_, i) => inChart[i] === undefined || inChart[i] === '')
  if (outside !== undefined && cs['ignoreMissingValuesFiles'] !== true) return { ok: false, chart, version: constraint, reason: `no values file found at path '${outside}'`, severity: 'error' }
  const kept = inChart.filter((f): f is string => f !== undefined && f !== '')
  const valuesFiles = kept.length > 0 ? kept : undefined
  const extra = valuesFiles ? { valuesFiles } : {}
  const repo = ctx.findSource('HelmRepository', namespace, name)
  if (!repo) return { ok: false, chart, version: constraint, reason: `HelmRepository ${namespace}/${name} not found in the rendered fleet`, severity: 'error' }
  const rs: JsonObject = isJsonObject(repo['spec']) ? repo['spec'] : {}
  const url = str(rs, 'url').replace(/\/+$/, '')
  const gate = remoteGate(ctx, url, chart)
  if (gate) return { ...gate, version: constraint }
  if (str(rs, 'type') === 'oci' || url.startsWith('oci://')) {
    const ref = `${url}/${chart}`
    const insecure = rs['insecure'] === true
    const exact = parseChartVersion(constraint) ? constraint.replaceAll('+', '_') : undefined
    const refError = ociReferenceError(ref, exact, undefined)
    if (refError) return { ok: false, chart, version: constraint, reason: refError, severity: 'error', invalid: true }
    // H-3: a concrete version skips tag listing.
    if (exact) return { ok: true, source: { type: 'oci', ref, tag: exact, insecure }, chart, version: constraint, ...extra }
    const tags = await ctx.helm!.listTags(ref, insecure)
    if (!tags.ok) return { ok: false, chart, version: constraint, reason: `listing tags of ${ref}: ${tags.error}`, severity: 'warning' }
    const chosen = chooseVersion(tags.tags.filter((t) => ociReferenceError(ref, t, undefined) === undefined).map((t) => ({ version: t.replaceAll('_', '+') })), constraint)
    if ('error' in chosen) return { ok: false, chart, version: constraint, reason: chosen.error, severity: 'error' }
    return { ok: true, source: { type: 'oci', ref, tag: chosen.version.replaceAll('+', '_'), insecure }, chart, version: chosen.version, ...extra }
  }
  const index = await ctx.helm!.fetchIndex(url)
  if (!index.ok) return { ok: false, chart, version: constraint, reason: `fetching ${url}/index.yaml: ${index.error}`, severity: 'warning' }
  return pickFromIndex(index.text, url, chart, constraint, valuesFiles)
}

function pickFromIndex(text: string, url: string, chart: string, constraint: string, valuesFiles: string[] | undefined): ChartResolution {
  let doc: unknown
  try {
    // Public repositories' indexes run to tens of megabytes.
    doc = parse(text, { maxBytes: 64 * 1024 * 1024 })
  } catch {
    return { ok: false, chart, version: constraint, reason: `invalid index.yaml at ${url}`, severity: 'error' }
  }
  const entries = isJsonObject(doc) && isJsonObject(doc['entries']) ? doc['entries'] : {}
  const list = Array.isArray(entries[chart]) ? entries[chart].filter(isJsonObject) : []
  if (list.length === 0) return { ok: false, chart, version: constraint, reason: `chart '${chart}' not found in ${url}/index.yaml`, severity: 'error' }
  const chosen = chooseVersion(list.map((e): Candidate => ({ version: str(e, 'version'), created: str(e, 'created') })), constraint)
  if ('error' in chosen) return { ok: false, chart, version: constraint, reason: chosen.error, severity: 'error' }
  const entry = list.find((e) => e['version'] === chosen.version)!
  const urls = Array.isArray(entry['urls']) ? entry['urls'].map(String) : []
  if (urls.length === 0) return { ok: false, chart, version: chosen.version, reason: `chart ${chart} ${chosen.version} has no download URL`, severity: 'error' }
  const tgz = new URL(urls[0]!, url + '/').toString()
  const digest = str(entry, 'digest')
  return { ok: true, source: { type: 'http', chart, version: chosen.version, url: tgz, ...(digest ? { digest } : {}) }, chart, version: chosen.version, ...(valuesFiles ? { valuesFiles } : {}) }
}

function resolveLocalChart(chart: string, ref: SourceRef, ctx: ChartContext, valuesFiles: string[] | undefined): ChartResolution {
  const art = ctx.resolveArtifact(ref)
  if (art.type === 'external') return { ok: false, chart, version: '', reason: art.note, severity: 'warning', external: true }
  if (art.type !== 'tree') return { ok: false, chart, version: '', reason: art.note, severity: 'error' }
  const dir = clampInside(chart)
  const meta = art.tree.readFile(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')
  if (!meta) return { ok: false, chart, version: '', reason: `no Chart.yaml at ${chart} in ${art.source}`, severity: 'error' }
  let chartMeta: unknown
  try {
    chartMeta = parse(new TextDecoder().decode(meta))
  } catch (e) {
    return { ok: false, chart, version: '', reason: `invalid Chart.yaml at ${chart} in ${art.source}: ${(e as Error).message}`, severity: 'error' }
  }
  const version = isJsonObject(chartMeta) && typeof chartMeta['version'] === 'string' ? chartMeta['version'] : ''
  const name = isJsonObject(chartMeta) && typeof chartMeta['name'] === 'string' && chartMeta['name'] ? chartMeta['name'] : chart
  // Dependencies from a Helm or OCI repository are fetched when the chart is built: that is
  // reaching the network on the repository's word, allowed only with remote charts.
  const remote = remoteDependency(chartMeta)
  if (remote && !ctx.allowRemoteCharts) {
    const why = ctx.remoteChartsOff ?? 'remote charts are not fetched in this run'
    return { ok: false, chart, version, reason: `chart ${chart} depends on ${remote}, which is not fetched: ${why}; comparing values and chart version only`, severity: 'warning' }
  }
  const files = new Map<string, Uint8Array>()
  collect(art.tree, dir, files)
  // Local file:// dependencies live elsewhere in the artifact; ship them too (H-6a).
  for (const dep of fileDependencies(chartMeta, dir)) collect(art.tree, dep, files)
  // H-4: valuesFiles of Git charts are artifact-root relative (already clamped to the root);
  // ship them at their own paths.
  const rootFiles = valuesFiles ?? []
  for (const f of rootFiles) {
    const b = art.tree.readFile(f)
    if (b) files.set(f, b)
  }
  return { ok: true, source: { type: 'files', files, chartDir: dir, key: `${art.source}:${dir}` }, chart: name, version, ...(valuesFiles ? { valuesFiles: rootFiles } : {}) }
}

/**
 * A path inside an artifact as source-controller resolves it (securejoin): `..` at the root
 * stays at the root and an absolute path starts at the root, so it can never leave it.
 */
export function clampInside(path: string): string {
  const out: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return out.join('/')
}

/** The first dependency (`name` from `repository`) that is not in the chart's own source. */
function remoteDependency(meta: unknown): string | undefined {
  if (!isJsonObject(meta) || !Array.isArray(meta['dependencies'])) return undefined
  for (const d of meta['dependencies'].filter(isJsonObject)) {
    const repo = str(d, 'repository')
    if (repo !== '' && !repo.startsWith('file://')) return `${str(d, 'name') || 'a chart'} from ${repo}`
  }
  return undefined
}

function fileDependencies(meta: unknown, dir: string): string[] {
  if (!isJsonObject(meta) || !Array.isArray(meta['dependencies'])) return []
  const out: string[] = []
  for (const d of meta['dependencies'].filter(isJsonObject)) {
    const repo = str(d, 'repository')
    if (!repo.startsWith('file://')) continue
    const p = joinInside(dir, repo.slice('file://'.length))
    if (p !== undefined) out.push(p)
  }
  return out
}

function collect(tree: FileTree, dir: string, out: Map<string, Uint8Array>): void {
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    const st = tree.stat(p)
    if (st?.type === 'dir') collect(tree, p, out)
    else if (st?.type === 'file') {
      const b = tree.readFile(p)
      if (b) out.set(p, b)
    }
  }
}

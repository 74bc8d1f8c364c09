import semver from 'semver'
import { isJsonObject, type JsonObject } from '../model/object.js'
import type { ChartBump, ChartChange } from '../model/plan.js'
import type { RenderedOwner } from '../model/render-result.js'
import { deepEqual } from './field-changes.js'
import { parseChartVersion } from '../render/helm/version.js'

/**
 * The chart version change of a HelmRelease between base and head, or undefined. The version
 * is the one each render resolved: the HelmRelease's own `spec.chart.spec.version` (or what
 * it selects from the repository), the tag or semver choice of its OCIRepository, or its
 * HelmChart's version, so a bump in any of them shows on the HelmRelease it upgrades. Two
 * renders of different kinds (one chart-rendered, one values-only) are not compared: one
 * holds a resolved version and the other a constraint.
 */
export function chartChange(base: RenderedOwner, head: RenderedOwner): ChartChange | undefined {
  const b = base.helm
  const h = head.helm
  if (!b || !h || base.status !== head.status || (head.status !== 'rendered' && head.status !== 'values-only')) return undefined
  const beforeName = chartName(b.chart)
  const afterName = chartName(h.chart)
  if (b.version === h.version && beforeName === afterName) return undefined
  if (!b.version || !h.version) return undefined
  const bump = beforeName === afterName ? bumpOf(b.version, h.version) : 'other'
  const [before, after] = shown(b.version, h.version)
  const change: ChartChange = {
    chart: afterName,
    before: beforeName === afterName ? before : `${beforeName} ${before}`,
    after,
    bump,
  }
  // The HelmRelease's own chart spec unchanged: the move came from its source.
  const via = deepEqual(chartSpecOf(base), chartSpecOf(head)) ? sourceOf(head) : undefined
  if (via) change.via = via
  return change
}

/** The last path segment of an OCI reference (`oci://ghcr.io/org/charts/podinfo` → `podinfo`); a name stays. */
function chartName(chart: string): string {
  if (!chart.includes('://')) return chart
  return chart.replace(/\/+$/, '').split('/').pop() ?? chart
}

/** How far `after` is from `before`; build metadata alone (an OCI digest suffix) is `build`. */
export function bumpOf(before: string, after: string): ChartBump {
  const a = parseChartVersion(before)
  const b = parseChartVersion(after)
  if (!a || !b) return 'other'
  const cmp = semver.compare(a, b)
  if (cmp > 0) return 'downgrade'
  if (cmp === 0) return a.build.join('.') !== b.build.join('.') ? 'build' : 'other'
  if (a.major !== b.major) return 'major'
  if (a.minor !== b.minor) return 'minor'
  if (a.patch !== b.patch) return 'patch'
  return 'prerelease'
}

/**
 * The two versions as a reviewer reads them: without the build metadata helm-controller
 * appends (an OCI digest, a commit) unless that is all that changed; digests shortened to
 * 12 hex digits.
 */
function shown(before: string, after: string): [string, string] {
  const strip = (v: string): string => v.replace(/\+[0-9A-Za-z.-]+$/, '')
  const short = (v: string): string => v.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]{52}$/, '$1')
  if (strip(before) !== strip(after) && parseChartVersion(before) && parseChartVersion(after)) return [strip(before), strip(after)]
  return [short(before), short(after)]
}

function chartSpecOf(hr: RenderedOwner): JsonObject {
  const spec: JsonObject = isJsonObject(hr.object['spec']) ? hr.object['spec'] : {}
  return { chart: spec['chart'] ?? null, chartRef: spec['chartRef'] ?? null }
}

/** The source object a HelmRelease takes its chart from: `OCIRepository flux-system/podinfo`. */
function sourceOf(hr: RenderedOwner): string | undefined {
  const spec: JsonObject = isJsonObject(hr.object['spec']) ? hr.object['spec'] : {}
  const ns = hr.ref.namespace
  const ref = isJsonObject(spec['chartRef']) ? spec['chartRef'] : isJsonObject(spec['chart']) && isJsonObject(spec['chart']['spec']) && isJsonObject(spec['chart']['spec']['sourceRef']) ? spec['chart']['spec']['sourceRef'] : undefined
  if (!ref || typeof ref['kind'] !== 'string' || typeof ref['name'] !== 'string') return undefined
  const namespace = typeof ref['namespace'] === 'string' && ref['namespace'] ? ref['namespace'] : ns
  return `${ref['kind']} ${namespace}/${ref['name']}`
}

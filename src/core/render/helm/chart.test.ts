import type { KubeObject } from '../../model/object.js'
import { resolveChart, type ChartContext } from './chart.js'

const repo = (namespace: string): KubeObject => ({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'podinfo', namespace }, spec: { interval: '1h', url: 'https://stefanprodan.github.io/podinfo' } })
const helmChart: KubeObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'HelmChart',
  metadata: { name: 'podinfo', namespace: 'flux-system' },
  // `namespace` is not a field of a HelmChart's sourceRef: source-controller never reads it.
  spec: { interval: '10m', chart: 'podinfo', version: '6.x', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'other' } },
}

/** A fleet holding HelmRepository podinfo in both namespaces; records where the chart was looked up. */
function fleet(): { ctx: ChartContext; lookups: string[] } {
  const lookups: string[] = []
  const objects = [helmChart, repo('flux-system'), repo('other')]
  const ctx: ChartContext = {
    findSource: (kind, namespace, name) => {
      lookups.push(`${kind} ${namespace}/${name}`)
      return objects.find((o) => o.kind === kind && o.metadata.namespace === namespace && o.metadata.name === name)
    },
    resolveArtifact: () => ({ type: 'missing', note: 'not used' }),
    allowRemoteCharts: false,
  }
  return { ctx, lookups }
}

const release = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'podinfo', namespace: 'apps' }, spec: { interval: '10m', ...spec } })

describe('chart sourceRef namespaces follow the schemas', () => {
  it('looks up a HelmChart\'s HelmRepository in the HelmChart\'s own namespace, whatever its sourceRef says', async () => {
    const { ctx, lookups } = fleet()
    await resolveChart(release({ chartRef: { kind: 'HelmChart', name: 'podinfo', namespace: 'flux-system' } }), ctx)
    expect(lookups).toEqual(['HelmChart flux-system/podinfo', 'HelmRepository flux-system/podinfo'])
  })

  it('honours the namespace of a HelmRelease chart template sourceRef, which its schema has', async () => {
    const { ctx, lookups } = fleet()
    await resolveChart(release({ chart: { spec: { chart: 'podinfo', sourceRef: { kind: 'HelmRepository', name: 'podinfo', namespace: 'other' } } } }), ctx)
    expect(lookups).toEqual(['HelmRepository other/podinfo'])
  })
})

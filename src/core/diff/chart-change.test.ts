import type { RenderedOwner } from '../model/render-result.js'
import { bumpOf } from './chart-change.js'
import { cluster, fleet, hr, ks, objs } from './__fixtures__/fleet.js'
import { planChange } from './plan-change.js'

const entry = ks('flux-system')
const apps = ks('apps', { parent: entry.ref })

function release(version: string, opts: { chart?: string; status?: RenderedOwner['status']; chartRef?: boolean; spec?: string } = {}): RenderedOwner {
  const r = hr('podinfo', 'apps', { parent: apps.ref, status: opts.status ?? 'rendered' })
  if (opts.chartRef) (r.object['spec'] as Record<string, unknown>) = { interval: '1h', chartRef: { kind: 'OCIRepository', name: 'podinfo', namespace: 'flux-system' } }
  if (opts.spec) ((r.object['spec'] as Record<string, Record<string, Record<string, unknown>>>)['chart']!['spec']!)['version'] = opts.spec
  r.helm = { chart: opts.chart ?? 'podinfo', version, releaseName: 'podinfo', namespace: 'apps', values: {} }
  return r
}

function chartOf(b: RenderedOwner, h: RenderedOwner, extraBase = '', extraHead = '') {
  const base = fleet('a'.repeat(40), [cluster('dev', [entry, apps, b], extraBase ? objs(apps, extraBase) : [])])
  const head = fleet('b'.repeat(40), [cluster('dev', [entry, apps, h], extraHead ? objs(apps, extraHead) : [])])
  return planChange(base, head).clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')!.chart
}

describe('chart version changes on the HelmRelease', () => {
  it('shows a version change of the HelmRelease spec with its semver distance', () => {
    const c = chartOf(release('6.5.0', { spec: '6.5.0' }), release('6.5.1', { spec: '6.5.1' }))
    expect(c).toEqual({ chart: 'podinfo', before: '6.5.0', after: '6.5.1', bump: 'patch' })
  })

  it('names the OCIRepository when the HelmRelease itself did not change, without the digest suffix', () => {
    const oci = 'oci://ghcr.io/stefanprodan/charts/podinfo'
    const c = chartOf(release('6.5.0+0123456789ab', { chart: oci, chartRef: true }), release('6.6.0+ba9876543210', { chart: oci, chartRef: true }))
    expect(c).toEqual({ chart: 'podinfo', before: '6.5.0', after: '6.6.0', bump: 'minor', via: 'OCIRepository flux-system/podinfo' })
  })

  it('compares values-only renders too (the tag an OCIRepository names), and skips mixed renders', () => {
    expect(chartOf(release('6.5.0', { status: 'values-only', chartRef: true }), release('7.0.0', { status: 'values-only', chartRef: true }))?.bump).toBe('major')
    expect(chartOf(release('6.5.0', { status: 'rendered' }), release('>=6.0.0', { status: 'values-only' }))).toBeUndefined()
    expect(chartOf(release('6.5.0'), release('6.5.0'))).toBeUndefined()
  })

  it('classifies downgrades, prereleases, digest-only moves and renames', () => {
    expect(bumpOf('2.0.0', '1.9.9')).toBe('downgrade')
    expect(bumpOf('1.0.0-rc.1', '1.0.0-rc.2')).toBe('prerelease')
    expect(bumpOf('1.0.0+aaaaaaaaaaaa', '1.0.0+bbbbbbbbbbbb')).toBe('build')
    expect(bumpOf('6.x', '7.x')).toBe('other')
    const digests = chartOf(release(`sha256:${'a'.repeat(64)}`), release(`sha256:${'b'.repeat(64)}`))
    expect(digests).toMatchObject({ before: `sha256:${'a'.repeat(12)}`, after: `sha256:${'b'.repeat(12)}`, bump: 'other' })
    expect(chartOf(release('1.0.0', { chart: 'old' }), release('1.0.0', { chart: 'new' }))).toMatchObject({ chart: 'new', before: 'old 1.0.0', after: '1.0.0', bump: 'other' })
  })
})

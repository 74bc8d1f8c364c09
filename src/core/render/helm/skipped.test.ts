import { skippedSummary } from './skipped.js'

describe('skippedSummary', () => {
  it('says once per cluster and reason how many HelmReleases compare values only, naming the first few', () => {
    const refs = Array.from({ length: 67 }, (_, i) => ({ ref: { kind: 'HelmRelease' as const, namespace: 'apps', name: `app${i}` }, reason: 'offline: remote charts are not fetched (--offline)' }))
    const out = skippedSummary([...refs, { ref: { kind: 'HelmRelease', namespace: 'x', name: 'local' }, reason: 'helm is not available' }], 'prod')
    expect(out).toEqual([
      { code: 'helm/values-only', severity: 'warning', cluster: 'prod', message: '67 HelmReleases are compared by values and chart version only (apps/app0, apps/app1, apps/app2 and 64 more): offline: remote charts are not fetched (--offline)' },
      { code: 'helm/values-only', severity: 'warning', cluster: 'prod', message: '1 HelmRelease is compared by values and chart version only (x/local): helm is not available' },
    ])
    expect(skippedSummary([], 'prod')).toEqual([])
  })
})

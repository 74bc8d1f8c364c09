import { parseClusterValues, suppliedFor } from './cluster-values.js'

describe('clusterValues (.github/fluxgate.yml, --values-file)', () => {
  it('reads entries for one cluster, several or all, with values and keys without values', () => {
    const { values, diagnostics } = parseClusterValues(
      `policies: {}
clusterValues:
  - kind: ConfigMap
    namespace: flux-system
    name: cluster-vars
    data: {REGION: eu-west-1, REPLICAS: 3, DEBUG: false, EMPTY: null}
  - clusters: [prod, prod-eu]
    kind: Secret
    namespace: flux-system
    name: cluster-secrets
    keys: [DB_PASSWORD, __proto__]
  - cluster: prod
    kind: ConfigMap
    namespace: flux-system
    name: cluster-vars
    data: {REGION: us-east-1}
`,
      '.github/fluxgate.yml',
    )
    expect(diagnostics).toEqual([])
    expect(values.map((v) => [v.clusters, v.kind, v.name, [...v.data], v.keys])).toEqual([
      [[], 'ConfigMap', 'cluster-vars', [['REGION', 'eu-west-1'], ['REPLICAS', '3'], ['DEBUG', 'false'], ['EMPTY', '']], []],
      [['prod', 'prod-eu'], 'Secret', 'cluster-secrets', [], ['DB_PASSWORD', '__proto__']],
      [['prod'], 'ConfigMap', 'cluster-vars', [['REGION', 'us-east-1']], []],
    ])
    expect([...suppliedFor(values, 'prod', 'ConfigMap', 'flux-system', 'cluster-vars')!.data]).toEqual([['REGION', 'us-east-1']])
    expect([...suppliedFor(values, 'staging', 'ConfigMap', 'flux-system', 'cluster-vars')!.data][0]).toEqual(['REGION', 'eu-west-1'])
    expect(suppliedFor(values, 'staging', 'Secret', 'flux-system', 'cluster-secrets')).toBeUndefined()
    expect(({} as Record<string, unknown>)['DB_PASSWORD']).toBeUndefined()
  })

  it.each([
    ['clusterValues: {a: 1}', 'clusterValues must be a list'],
    ['clusterValues:\n  - kind: Deployment\n    namespace: a\n    name: b', 'clusterValues[0].kind must be ConfigMap or Secret'],
    ['clusterValues:\n  - kind: Secret\n    name: b', 'clusterValues[0] needs a namespace and a name'],
    ['clusterValues:\n  - kind: Secret\n    namespace: a\n    name: b\n    data: {k: {nested: 1}}', 'clusterValues[0].data.k must be a string'],
    ['clusterValues:\n  - kind: Secret\n    namespace: a\n    name: b\n    keys: KEY', 'clusterValues[0].keys must be a list of key names'],
    ['clusterValues: [unclosed', 'not valid YAML'],
  ])('%j is a located error', (text, message) => {
    const { values, diagnostics } = parseClusterValues(text, 'values.yaml')
    expect(values).toEqual([])
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'config/invalid-cluster-values', severity: 'error', location: expect.objectContaining({ file: 'values.yaml' }) })])
    expect(diagnostics[0]!.message).toContain(message)
  })
})

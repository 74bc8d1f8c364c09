import type { KubeObject } from '../model/object.js'
import { identityErrors, qualifiedNameErrors } from './names.js'

const obj = (apiVersion: string, kind: string, metadata: Record<string, unknown>, extra: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion, kind, metadata, ...extra }) as KubeObject
const errs = (o: KubeObject, builtin = true): string[] => identityErrors(o, { builtin }).map((v) => v.message)

describe('object names and keys, as the API server validates them', () => {
  it('takes DNS-1123 subdomains for most kinds and custom resources', () => {
    expect(errs(obj('v1', 'ConfigMap', { name: 'app.config-1', namespace: 'apps' }))).toEqual([])
    expect(errs(obj('cert-manager.io/v1', 'Certificate', { name: 'SECRET-staging', namespace: 'apps' }), false)).toEqual([
      `metadata.name: Invalid value: "SECRET-staging": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ])
    expect(errs(obj('apps/v1', 'Deployment', { name: 'a'.repeat(254), namespace: 'apps' }))[0]).toBe(`metadata.name: Invalid value: "${'a'.repeat(254)}": must be no more than 253 characters`)
  })

  it('takes DNS labels for Namespaces and DNS-1035 labels for Services', () => {
    expect(errs(obj('v1', 'Namespace', { name: 'team.a' }))).toHaveLength(1)
    expect(errs(obj('v1', 'Service', { name: '1web', namespace: 'apps' }))[0]).toMatch(/^metadata\.name: Invalid value: "1web": a DNS-1035 label must consist/)
    expect(errs(obj('v1', 'Service', { name: 'web-1', namespace: 'apps' }))).toEqual([])
  })

  it('accepts RBAC names that are any path segment, and limits CronJob names to 52 characters', () => {
    expect(errs(obj('rbac.authorization.k8s.io/v1', 'ClusterRole', { name: 'system:aggregate-to-edit' }))).toEqual([])
    expect(errs(obj('rbac.authorization.k8s.io/v1', 'Role', { name: 'a/b', namespace: 'apps' }))).toEqual([`metadata.name: Invalid value: "a/b": may not contain '/'`])
    expect(errs(obj('batch/v1', 'CronJob', { name: 'n'.repeat(53), namespace: 'apps' }))).toEqual([`metadata.name: Invalid value: "${'n'.repeat(53)}": must be no more than 52 characters`])
  })

  it('checks the namespace, label keys and values and annotation keys', () => {
    const o = obj('v1', 'ConfigMap', {
      name: 'cfg',
      namespace: 'Apps',
      labels: { 'app.kubernetes.io/name': 'web', 'bad key': 'x', tier: 'front end', masked: '*** (after)', placeholder: '${TIER}' },
      annotations: { 'example.com/note': 'any value at all', '/empty-prefix': '' },
    })
    expect(errs(o).map((m) => m.slice(0, m.indexOf(':', m.indexOf('Invalid value: ') + 16) + 1))).toEqual([
      'metadata.namespace: Invalid value: "Apps":',
      'metadata.labels: Invalid value: "bad key":',
      'metadata.labels: Invalid value: "front end":',
      'metadata.annotations: Invalid value: "/empty-prefix":',
    ])
    expect(qualifiedNameErrors('example.com/a/b')).toHaveLength(1)
    expect(qualifiedNameErrors(`${'x'.repeat(64)}`)).toEqual(['name part must be no more than 63 characters'])
  })

  it('checks ConfigMap and Secret keys', () => {
    const cm = obj('v1', 'ConfigMap', { name: 'cfg', namespace: 'apps' }, { data: { 'app.yaml': 'x', 'bad/key': 'y', '..hidden': 'z' }, binaryData: { 'app.yaml': 'eA==' } })
    expect(errs(cm).map((m) => m.split(': ').slice(0, 3).join(': '))).toEqual([
      'data[bad/key]: Invalid value: "bad/key"',
      'data[..hidden]: Invalid value: "..hidden"',
      'binaryData[app.yaml]: Invalid value: "app.yaml"',
    ])
    expect(errs(obj('v1', 'Secret', { name: 's', namespace: 'apps' }, { data: { 'tls.crt': 'eA==', '.': 'eA==' } }))).toEqual([
      `data[.]: Invalid value: ".": must not be '.'`,
    ])
  })
})

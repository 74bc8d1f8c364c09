import type { KubeObject } from '../../../model/object.js'
import type { SchemaNode } from './schema.js'
import { isNamespacedKind, registryFromCrds, registryFromOpenApi, schemaFor } from './schema.js'

function at(s: SchemaNode | undefined, path: string): SchemaNode | undefined {
  let cur = s
  for (const p of path.split('.')) cur = p === '[]' ? cur?.items() : cur?.field(p)
  return cur
}

describe('schemaFor (bundled Kubernetes v1.21.2 table)', () => {
  it.each([
    ['apps/v1', 'Deployment', 'spec.template.spec.containers', 'merge', 'name', undefined],
    ['apps/v1', 'StatefulSet', 'spec.template.spec.initContainers', 'merge', 'name', undefined],
    ['apps/v1', 'DaemonSet', 'spec.template.spec.containers.[].ports', 'merge', 'containerPort', ['containerPort', 'protocol']],
    ['batch/v1', 'Job', 'spec.template.spec.containers.[].env', 'merge', 'name', undefined],
    ['batch/v1beta1', 'CronJob', 'spec.jobTemplate.spec.template.spec.volumes', 'merge,retainKeys', 'name', undefined],
    ['v1', 'Pod', 'spec.containers.[].volumeMounts', 'merge', 'mountPath', undefined],
    ['v1', 'Pod', 'spec.imagePullSecrets', 'merge', 'name', undefined],
    ['v1', 'Pod', 'spec.hostAliases', 'merge', 'ip', undefined],
    ['v1', 'Service', 'spec.ports', 'merge', 'port', ['port', 'protocol']],
    ['v1', 'Service', 'metadata.finalizers', 'merge', undefined, undefined],
    ['v1', 'ServiceAccount', 'secrets', 'merge', 'name', undefined],
  ])('%s %s %s', (apiVersion, kind, path, strategy, mergeKey, mergeKeys) => {
    const s = at(schemaFor(apiVersion, kind), path)
    expect({ strategy: s?.strategy, mergeKey: s?.mergeKey, mergeKeys: s?.mergeKeys }).toStrictEqual({ strategy, mergeKey, mergeKeys })
  })

  it.each([
    ['v1', 'Pod', 'spec.tolerations'],
    ['v1', 'Pod', 'spec.containers.[].args'],
    ['rbac.authorization.k8s.io/v1', 'Role', 'rules'],
  ])('%s %s %s has no merge strategy (the list is replaced)', (apiVersion, kind, path) => {
    expect(at(schemaFor(apiVersion, kind), path)?.strategy).toBeUndefined()
  })

  it('knows no kind that Kubernetes v1.21.2 does not define', () => {
    expect(schemaFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toBeUndefined()
    expect(schemaFor('ex.com/v1', 'Foo')).toBeUndefined()
    expect(schemaFor('v1', 'ConfigMap')).toBeDefined()
  })
})

describe('isNamespacedKind', () => {
  it.each([
    ['v1', 'Namespace', false],
    ['rbac.authorization.k8s.io/v1', 'ClusterRole', false],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false],
    ['storage.k8s.io/v1', 'StorageClass', false],
    ['networking.k8s.io/v1', 'IngressClass', false],
    ['apps/v1', 'Deployment', true],
    ['v1', 'ConfigMap', true],
    ['ex.com/v1', 'Foo', undefined],
  ])('%s %s', (apiVersion, kind, expected) => {
    expect(isNamespacedKind(apiVersion, kind)).toBe(expected)
  })
})

describe('registryFromOpenApi', () => {
  const doc = {
    definitions: {
      'ex.v1.Foo': {
        'x-kubernetes-group-version-kind': [{ group: 'ex.com', version: 'v1', kind: 'Foo' }],
        properties: { spec: { $ref: '#/definitions/ex.v1.FooSpec' } },
      },
      'ex.v1.FooSpec': {
        properties: {
          items: { type: 'array', items: { $ref: '#/definitions/ex.v1.Item' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'id' },
          byName: { type: 'object', additionalProperties: { properties: { tags: { type: 'array', 'x-kubernetes-patch-strategy': 'merge' } } } },
        },
      },
      'ex.v1.Item': { properties: { id: { type: 'string' } } },
    },
  }

  it('follows $ref, items and additionalProperties', () => {
    const s = schemaFor('ex.com/v1', 'Foo', registryFromOpenApi(doc))
    expect(at(s, 'spec.items')?.mergeKey).toBe('id')
    expect(at(s, 'spec.items.[].id')).toBeDefined()
    expect(at(s, 'spec.byName.anyKey.tags')?.strategy).toBe('merge')
  })
})

describe('registryFromCrds', () => {
  const crd: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'foos.ex.com' },
    spec: {
      group: 'ex.com',
      scope: 'Cluster',
      names: { kind: 'Foo', plural: 'foos' },
      versions: [
        {
          name: 'v1',
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  properties: {
                    rules: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['host', 'port'], items: { type: 'object' } },
                  },
                },
              },
            },
          },
        },
      ],
    },
  }

  it('reads inline openAPIV3 schemas and the scope', () => {
    const reg = registryFromCrds([crd])
    const rules = at(schemaFor('ex.com/v1', 'Foo', reg), 'spec.rules')
    expect({ listType: rules?.listType, mergeKeys: rules?.mergeKeys }).toStrictEqual({ listType: 'map', mergeKeys: ['host', 'port'] })
    expect(isNamespacedKind('ex.com/v1', 'Foo', reg)).toBe(false)
    // A CRD registry adds to the built-in table instead of replacing it.
    expect(at(schemaFor('apps/v1', 'Deployment', reg), 'spec.template.spec.containers')?.mergeKey).toBe('name')
  })
})

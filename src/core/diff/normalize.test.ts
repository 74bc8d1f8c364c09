import { parse } from 'yaml'
import type { KubeObject } from '../model/object.js'
import { deepEqual, fieldChanges } from './field-changes.js'
import { normalizeObject } from './normalize.js'
import { objectYaml, unifiedYamlDiff } from './yaml-diff.js'

function norm(text: string): KubeObject {
  return normalizeObject(parse(text) as KubeObject)
}

describe('normalizeObject', () => {
  it('makes key order, quoting, empty defaults, owner labels and server fields no change', () => {
    const a = norm(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: "apps"
  creationTimestamp: null
  labels:
    app: web
    kustomize.toolkit.fluxcd.io/name: apps
    kustomize.toolkit.fluxcd.io/namespace: flux-system
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: web
          image: 'nginx:1.27'
          ports: [{containerPort: 80}]
          resources: {}
          args: []
status:
  readyReplicas: 2
`)
    const b = norm(`
kind: Deployment
apiVersion: apps/v1
spec:
  template:
    spec:
      containers:
        - image: nginx:1.27
          name: web
          ports:
            - containerPort: 80
              protocol: TCP
  replicas: 2
metadata:
  labels: {app: web}
  namespace: apps
  name: web
`)

    expect(deepEqual(a as never, b as never)).toBe(true)
    expect(objectYaml(a)).toBe(objectYaml(b))
    expect(Object.keys(a)).toEqual(['apiVersion', 'kind', 'metadata', 'spec'])
  })

  it('keeps meaningful empty values and the prune-disabled label', () => {
    const o = norm(`
apiVersion: v1
kind: Pod
metadata:
  name: p
  labels: {kustomize.toolkit.fluxcd.io/prune: disabled}
spec:
  volumes: [{name: cache, emptyDir: {}}]
`)

    expect(o.metadata.labels).toEqual({ 'kustomize.toolkit.fluxcd.io/prune': 'disabled' })
    expect((o['spec'] as { volumes: unknown[] }).volumes).toEqual([{ name: 'cache', emptyDir: {} }])
  })

  it('folds Secret stringData into base64 data and keeps nulls in HelmRelease values', () => {
    const s = norm(`{apiVersion: v1, kind: Secret, metadata: {name: s}, stringData: {user: admin}}`)
    const h = norm(`{apiVersion: helm.toolkit.fluxcd.io/v2, kind: HelmRelease, metadata: {name: h}, spec: {values: {ingress: null}}}`)

    expect(s['data']).toEqual({ user: 'YWRtaW4=' })
    expect(s['stringData']).toBeUndefined()
    expect(h['spec']).toEqual({ values: { ingress: null } })
  })
})

describe('fieldChanges and unifiedYamlDiff', () => {
  it('lists leaf paths and renders hunks without file headers', () => {
    const a = norm(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: "1", b: "2"}}`)
    const b = norm(`{apiVersion: v1, kind: ConfigMap, metadata: {name: c}, data: {a: "1", b: "3", c: "4"}}`)

    const fields = fieldChanges(a as never, b as never)
    const diff = unifiedYamlDiff(objectYaml(a), objectYaml(b))

    expect(fields).toEqual([
      { path: 'data/b', before: '2', after: '3' },
      { path: 'data/c', after: '4' },
    ])
    expect(diff.split('\n')).toEqual(['@@ -4,4 +4,5 @@', '   name: c', ' data:', '   a: "1"', '-  b: "2"', '+  b: "3"', '+  c: "4"'])
  })
})

import type { KubeObject } from '../model/object.js'
import { dropRemovedFields, normalizeLive } from './live-normalize.js'

describe('live normalization', () => {
  it('drops server-set metadata, status and the annotations Flux and kubectl add', () => {
    const live = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'a',
        namespace: 'x',
        uid: 'u',
        resourceVersion: '9',
        generation: 3,
        creationTimestamp: '2026-01-01T00:00:00Z',
        managedFields: [{ manager: 'kustomize-controller' }],
        labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system', team: 'a' },
        annotations: { 'reconcile.fluxcd.io/requestedAt': 't', 'kubectl.kubernetes.io/last-applied-configuration': '{}' },
      },
      data: { k: 'v' },
    } as unknown as KubeObject

    expect(normalizeLive(live)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'x', labels: { team: 'a' } }, data: { k: 'v' } })
  })

  it('removes from a dry run the fields the head render dropped, and nothing else', () => {
    const base = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { old: '1', keep: '1' } }, data: { a: '1', b: '2' } } as unknown as KubeObject
    const head = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { keep: '1' } }, data: { a: '1' } } as unknown as KubeObject
    const dry = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', uid: 'u', labels: { old: '1', keep: '1', other: 'x' } }, data: { a: '1', b: '2', c: 'live' } } as unknown as KubeObject

    expect(dropRemovedFields(dry, base, head)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', uid: 'u', labels: { keep: '1', other: 'x' } }, data: { a: '1', c: 'live' } })
  })
})

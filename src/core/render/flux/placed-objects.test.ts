import type { KubeObject } from '../../model/object.js'
import type { OwnerRef, RenderedObject } from '../../model/render-result.js'
import { PlacedObjects } from './placed-objects.js'

const owner: OwnerRef = { kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }
const cm = (name: string, namespace = 'apps'): RenderedObject => ({ object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } } as KubeObject, owner })
const repo = (name: string): RenderedObject => ({ object: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace: 'flux-system' } } as KubeObject, owner })
const core = (g: string): boolean => g === ''

describe('PlacedObjects', () => {
  it('finds by kind, namespace, name and API group within one cluster', () => {
    const placed = new PlacedObjects()
    placed.add(cm('settings'), '')
    placed.add(cm('settings', 'other'), '')
    placed.add(cm('settings'), 'remote')
    placed.add(repo('fleet'), '')
    expect(placed.find(core, 'ConfigMap', 'apps', 'settings', '').map((r) => r.object.metadata.namespace)).toEqual(['apps'])
    expect(placed.find(core, 'ConfigMap', 'apps', undefined, 'remote')).toHaveLength(1)
    expect(placed.find((g) => g === 'source.toolkit.fluxcd.io', 'GitRepository', 'flux-system', 'fleet', '')).toHaveLength(1)
    expect(placed.find(core, 'GitRepository', 'flux-system', 'fleet', '')).toEqual([])
    expect(placed.in('remote')).toHaveLength(1)
    expect(placed.ofKind('', 'GitRepository').map((r) => r.object.metadata.name)).toEqual(['fleet'])
    expect(placed.ofKind('remote', 'GitRepository')).toEqual([])
  })

  it('takes back what an owner placed after a mark, from every lookup', () => {
    const placed = new PlacedObjects()
    placed.add(cm('kept'), '')
    const mark = placed.mark
    placed.add(cm('failed'), '')
    placed.add(cm('kept'), '')
    placed.add(repo('failed'), 'remote')
    placed.rollback(mark)
    expect(placed.blocks.flatMap((b) => b.block.records.map((r) => [b.target, r.object.metadata.name]))).toEqual([['', 'kept']])
    expect(placed.find(core, 'ConfigMap', 'apps', 'failed', '')).toEqual([])
    expect(placed.find(core, 'ConfigMap', 'apps', 'kept', '')).toHaveLength(1)
    expect(placed.find(core, 'ConfigMap', 'apps', undefined, '').map((r) => r.object.metadata.name)).toEqual(['kept'])
    expect(placed.in('').map((r) => r.object.metadata.name)).toEqual(['kept'])
    expect(placed.in('remote')).toEqual([])
    expect(placed.ofKind('remote', 'GitRepository')).toEqual([])
    placed.add(cm('after'), '')
    expect(placed.in('').map((r) => r.object.metadata.name)).toEqual(['kept', 'after'])
  })
})

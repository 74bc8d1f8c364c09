import { frozen } from '../../model/frozen.js'
import type { KubeObject } from '../../model/object.js'
import { kustomizationKey, storeKeyOf, storeKeyOfUnit } from './unit-records.js'

const unit = (path: string): KubeObject => ({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { path, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }) as KubeObject

describe('kustomizationKey', () => {
  it('is the JSON of the unit object and its settings, kept for a frozen object only', () => {
    const kept = frozen(unit('./apps'))
    const k = kustomizationKey(kept, true)
    expect(k.key).toBe(JSON.stringify(['K', true, kept]))
    expect(kustomizationKey(kept, true)).toBe(k)
    expect(storeKeyOfUnit(k)).toBe(storeKeyOf(k.key))
    // Another setting is another key.
    expect(kustomizationKey(kept, false).key).toBe(JSON.stringify(['K', false, kept]))
    // An object that may still change is keyed as it is now, each time.
    const open = unit('./apps')
    expect(kustomizationKey(open, true).key).toBe(k.key)
    ;(open.spec as { path: string }).path = './other'
    expect(kustomizationKey(open, true).key).toBe(JSON.stringify(['K', true, open]))
    expect(kustomizationKey(open, true).key).not.toBe(k.key)
  })
})

import { frozen } from './frozen.js'
import type { KubeObject } from './object.js'
import { idKey, objectKey, resourceIdOf } from './resource-id.js'

describe('objectKey (the key a plan compares and prunes by)', () => {
  it('is idKey of the object, kept for a frozen object and worked out again for one that may change', () => {
    const loose: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } }
    expect(objectKey(loose)).toBe(idKey(resourceIdOf(loose)))
    expect(objectKey(loose)).toBe('apps/Deployment/prod/web')
    // An object a caller still changes (a copy on its way to a render) is never a stale key.
    loose.metadata.name = 'api'
    expect(objectKey(loose)).toBe('apps/Deployment/prod/api')
    const shared = frozen<KubeObject>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: '__proto__' } })
    expect(objectKey(shared)).toBe('/ConfigMap//__proto__')
    expect(objectKey(shared)).toBe(idKey(resourceIdOf(shared)))
  })
})

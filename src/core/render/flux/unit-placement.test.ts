import { frozen } from '../../model/frozen.js'
import type { KubeObject } from '../../model/object.js'
import type { OwnerRef } from '../../model/render-result.js'
import type { KustomizationRender } from './kustomization.js'
import { placementOf } from './unit-placement.js'

const obj = (kind: string, name: string, apiVersion = 'v1'): KubeObject => ({ apiVersion, kind, metadata: { name, namespace: 'apps' } }) as KubeObject
const owner = (name: string): OwnerRef => ({ kind: 'Kustomization', namespace: 'flux-system', name })

/** A render as renderKustomization makes it: a ConfigMap read from a file, a child Kustomization, a SOPS document. */
function render(): KustomizationRender {
  const cm = obj('ConfigMap', 'settings')
  const child = obj('Kustomization', 'child', 'kustomize.toolkit.fluxcd.io/v1')
  const secret = obj('Secret', 'creds')
  const sealed = { apiVersion: 'ENC[AES256_GCM,data:x]', kind: 'ENC[AES256_GCM,data:y]', metadata: { name: 'ENC[AES256_GCM,data:z]' }, data: { token: 'ENC[AES256_GCM,data:t]' } } as unknown as KubeObject
  return {
    status: 'rendered',
    diagnostics: [],
    objects: [
      { object: { ...cm, data: { region: '${region}' } } as KubeObject, built: cm, sops: false, substituted: true, placeholders: ['region', 'zone'] },
      { object: child, built: child, sops: false, substituted: false, placeholders: ['zone'] },
      { object: secret, built: secret, sops: true, substituted: false, encryptedInput: ['secret.env'] },
      { object: sealed, built: sealed, sops: true, substituted: false, encryptedIdentity: true },
    ],
    sources: new Map([[cm, { file: 'apps/settings.yaml', line: 1 }], [child, { file: 'apps/child.yaml', line: 3 }], [sealed, { file: 'apps/sealed.enc.yaml', line: 1 }]]),
  }
}

describe('placementOf', () => {
  it('places each object with its owner and source, Flux objects as children, whole-file SOPS documents apart', () => {
    const r = render()
    const p = placementOf(r, owner('apps'))
    expect(p.block.records.map((x) => [x.object.kind, x.owner.name, x.source?.file, x.sops, x.encryptedInput])).toEqual([
      ['ConfigMap', 'apps', 'apps/settings.yaml', undefined, undefined],
      ['Kustomization', 'apps', 'apps/child.yaml', undefined, undefined],
      ['Secret', 'apps', undefined, true, ['secret.env']],
    ])
    expect(p.block.records[0]!.object).toBe(r.objects[0]!.object)
    expect(p.block.ids).toEqual(['/ConfigMap/apps/settings', 'kustomize.toolkit.fluxcd.io/Kustomization/apps/child', '/Secret/apps/creds'])
    expect(p.children.map((c) => [c.object.metadata.name, c.location?.file])).toEqual([['child', 'apps/child.yaml']])
    expect(p.encrypted.map((e) => [e.owner.name, e.source?.file, e.keys])).toEqual([['apps', 'apps/sealed.enc.yaml', ['token']]])
    expect(p.placeholders).toEqual(['region', 'zone'])
  })

  it('places a frozen render (one reused from its record) once for an owner, and again for another', () => {
    const r = frozen(render())
    const p = placementOf(r, owner('apps'))
    expect(Object.isFrozen(p.block.records[0])).toBe(true)
    expect(placementOf(r, owner('apps'))).toBe(p)
    const other = placementOf(r, owner('web'))
    expect(other).not.toBe(p)
    expect(other.block.records.every((x) => x.owner.name === 'web')).toBe(true)
    // A render that may still change is placed each time, and its placement left unfrozen.
    const live = render()
    expect(placementOf(live, owner('apps'))).not.toBe(placementOf(live, owner('apps')))
    expect(Object.isFrozen(placementOf(live, owner('apps')).block.records[0])).toBe(false)
  })
})

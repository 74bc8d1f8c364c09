import type { KubeObject } from '../../model/object.js'
import { encodeBase64 } from '../../model/base64.js'
import { releaseNameOf, releaseNamespaceOf, storageNamespaceOf } from './release.js'
import { mergeValues } from './values.js'
import { chooseVersion } from './version.js'

const objects: Record<string, KubeObject> = {
  'ConfigMap/apps/base': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base', namespace: 'apps' }, data: { 'values.yaml': 'replicas: 1\nimage: {repo: web, tag: "1.0"}\nlist: [a, b]\n', other: 'x: 1' } },
  'Secret/apps/db': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, data: { url: encodeBase64('postgres://u:p@db'), 'values.yaml': encodeBase64('auth: {password: hunter2}') } },
}
const lookup = (kind: 'ConfigMap' | 'Secret', ns: string, name: string): KubeObject | undefined => objects[`${kind}/${ns}/${name}`]

describe('HelmRelease values (H-7, H-8)', () => {
  it('merges valuesFrom in order, typed targetPath, then inline values; masks Secret values', () => {
    const r = mergeValues(
      {
        valuesFrom: [
          { kind: 'ConfigMap', name: 'base' },
          { kind: 'Secret', name: 'db', valuesKey: 'url', targetPath: 'db.url' },
          { kind: 'Secret', name: 'db' },
          { kind: 'ConfigMap', name: 'base', valuesKey: 'missing', optional: true },
          { kind: 'ConfigMap', name: 'nope', optional: true },
        ],
        values: { replicas: 2, image: { tag: '2.0' }, list: ['c'] },
      },
      'apps',
      lookup,
    )
    expect(r.failed).toBe(false)
    expect(r.values).toEqual({ replicas: 2, image: { repo: 'web', tag: '2.0' }, list: ['c'], db: { url: 'postgres://u:p@db' }, auth: { password: 'hunter2' } })
    expect(JSON.stringify(r.masked)).not.toContain('hunter2')
    expect(JSON.stringify(r.masked)).not.toContain('postgres://')
    expect(r.secretValues).toEqual(['postgres://u:p@db', 'hunter2'])
    expect((r.masked['auth'] as Record<string, string>)['password']).toBe('***')
  })

  it('types --set values unless quoted or literal', () => {
    const cmObj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'v', namespace: 'a' }, data: { n: '3', q: '"3"', b: 'true' } }
    const r = mergeValues(
      { valuesFrom: [{ kind: 'ConfigMap', name: 'v', valuesKey: 'n', targetPath: 'a.n' }, { kind: 'ConfigMap', name: 'v', valuesKey: 'q', targetPath: 'a.q' }, { kind: 'ConfigMap', name: 'v', valuesKey: 'b', targetPath: 'a.list[1]' }, { kind: 'ConfigMap', name: 'v', valuesKey: 'n', targetPath: 'a.lit', literal: true }] },
      'a',
      () => cmObj,
    )
    expect(r.values).toEqual({ a: { n: 3, q: '3', list: [null, true], lit: '3' } })
  })

  it('fails on a missing non-optional source or key', () => {
    const r = mergeValues({ valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'nokey' }] }, 'apps', lookup)
    expect(r.failed).toBe(true)
    expect(r.diagnostics[0]!.code).toBe('helm/values-not-found')
  })
})

describe('release identity (H-10 … H-12)', () => {
  const hr = (spec: Record<string, string>, name = 'web'): KubeObject => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'apps' }, spec })
  it('derives release name and namespaces', () => {
    expect(releaseNameOf(hr({}))).toBe('web')
    expect(releaseNameOf(hr({ targetNamespace: 'web-prod' }))).toBe('web-prod-web')
    expect(releaseNameOf(hr({ releaseName: 'x', targetNamespace: 'p' }))).toBe('x')
    expect(releaseNamespaceOf(hr({ targetNamespace: 'p' }))).toBe('p')
    expect(storageNamespaceOf(hr({ targetNamespace: 'p' }))).toBe('apps')
  })
  it('hashes names over 53 characters', () => {
    const n = releaseNameOf(hr({}, 'a'.repeat(60)))
    expect(n).toHaveLength(53)
    expect(n).toMatch(/^a{40}-[0-9a-f]{12}$/)
  })
})

describe('chart version choice (H-3)', () => {
  const c = ['1.0.0', '1.2.0', '1.10.0', '2.0.0-rc.1', 'v1.11.0', '1.12', 'latest'].map((version) => ({ version }))
  it('takes an exact string, else the highest stable match', () => {
    expect(chooseVersion(c, '1.12')).toEqual({ version: '1.12' })
    expect(chooseVersion(c, '*')).toEqual({ version: 'v1.11.0' })
    expect(chooseVersion(c, '>=1.0.0 <1.5.0')).toEqual({ version: '1.2.0' })
    expect(chooseVersion(c, '>=1.0.0, <1.5.0')).toEqual({ version: '1.2.0' })
    expect(chooseVersion(c, '1.x')).toEqual({ version: 'v1.11.0' })
  })
  it('lets prereleases match only when the constraint names one', () => {
    expect(chooseVersion(c, '>=1.0.0-alpha')).toEqual({ version: '2.0.0-rc.1' })
    expect(chooseVersion(c, '>=2.0.0')).toEqual({ error: "no chart version found matching '>=2.0.0'" })
  })
  it('breaks build-metadata ties by created time', () => {
    expect(chooseVersion([{ version: '1.0.0+a', created: '2024-01-02' }, { version: '1.0.0+b', created: '2024-03-01' }], '1.0.0 - 1.0.0')).toEqual({ version: '1.0.0+b' })
  })
})

import type { KubeObject } from '../../model/object.js'
import { encodeBase64 } from '../../model/base64.js'
import { releaseNameOf, releaseNamespaceOf, storageNamespaceOf } from './release.js'
import { mergeValues } from './values.js'
import { lookupOnly, type ResolvedSource } from '../values/sources.js'
import { chooseVersion } from './version.js'

const objects: Record<string, KubeObject> = {
  'ConfigMap/apps/base': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'base', namespace: 'apps' }, data: { 'values.yaml': 'replicas: 1\nimage: {repo: web, tag: "1.0"}\nlist: [a, b]\n', other: 'x: 1' } },
  'Secret/apps/db': { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, data: { url: encodeBase64('postgres://u:p@db'), 'values.yaml': encodeBase64('auth: {password: hunter2}') } },
}
const lookup = lookupOnly((kind, ns, name) => objects[`${kind}/${ns}/${name}`])

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
      lookupOnly(() => cmObj),
    )
    expect(r.values).toEqual({ a: { n: 3, q: '3', list: [null, true], lit: '3' } })
  })

  it('fails on a missing non-optional key of a source the render has, naming its keys', () => {
    const r = mergeValues({ valuesFrom: [{ kind: 'ConfigMap', name: 'base', valuesKey: 'nokey' }] }, 'apps', lookup)
    expect(r.failed).toBe(true)
    expect(r.diagnostics[0]).toMatchObject({ code: 'helm/values-not-found', message: "valuesFrom ConfigMap apps/base has no key 'nokey': the object in the render has keys 'values.yaml', 'other'" })
  })

  it('leaves a source only the cluster has unknown: a placeholder at targetPath, a values document left out, no failure', () => {
    const r = mergeValues(
      { valuesFrom: [{ kind: 'ConfigMap', name: 'base' }, { kind: 'Secret', name: 'cluster-only', valuesKey: 'password', targetPath: 'db.password' }, { kind: 'Secret', name: 'cluster-only' }], values: { image: { tag: '2.0' } } },
      'apps',
      lookup,
    )
    expect(r.failed).toBe(false)
    expect(r.diagnostics).toEqual([])
    expect(r.values).toEqual({ replicas: 1, image: { repo: 'web', tag: '2.0' }, list: ['a', 'b'], db: { password: '${Secret/cluster-only:password}' } })
    expect(r.masked).toEqual(r.values)
    expect(r.unknown.map((u) => u.text)).toEqual([
      'db.password of HelmRelease apps is the placeholder ${Secret/cluster-only:password}',
      "its key 'values.yaml' is a values document only the cluster has: the chart is rendered without it, so its objects may differ in the cluster",
    ])
  })

  it('names what a creator gives when the key read is not among its keys (H-7)', () => {
    const creator: ResolvedSource = { data: {}, unknownKeys: ['username', 'password'], origin: { type: 'creator', what: 'ExternalSecret apps/db' } }
    const r = mergeValues({ valuesFrom: [{ kind: 'Secret', name: 'db', valuesKey: 'token', targetPath: 't' }] }, 'apps', () => creator)
    expect(r.failed).toBe(true)
    expect(r.diagnostics[0]!.message).toBe("valuesFrom Secret apps/db has no key 'token': ExternalSecret apps/db gives it keys 'username', 'password'")
  })

  it('skips a SOPS-encrypted values Secret of the render instead of reading ciphertext as YAML', () => {
    const sops: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'enc', namespace: 'apps' }, stringData: { 'values.yaml': 'ENC[AES256_GCM,data:YWJj,iv:ZGVm,tag:Z2hp,type:str]' }, sops: { mac: 'ENC[AES256_GCM,data:bWFj,type:str]' } }
    const r = mergeValues({ valuesFrom: [{ kind: 'Secret', name: 'enc' }] }, 'apps', lookupOnly(() => sops))
    expect(r.failed).toBe(false)
    expect(r.values).toEqual({})
    expect(r.reads[0]!.resolved.origin.type).toBe('sops')
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

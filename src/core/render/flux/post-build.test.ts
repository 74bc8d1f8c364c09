import type { KubeObject } from '../../model/object.js'
import { decodeBase64 } from '../../model/base64.js'
import { postBuild } from './post-build.js'
import { substitutionFor } from './substitution.js'

const deploy = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'apps', labels: { env: '${env}' }, creationTimestamp: null },
  spec: { replicas: '${replicas}' as unknown as number, template: { metadata: {}, spec: { containers: [{ name: 'c', image: 'web', ports: [{ containerPort: 80 }] }] } } },
  status: { ready: 1 },
})

describe('post-build pipeline (1.6)', () => {
  it('substitutes, then sets owner labels, normalises and applies commonMetadata last', () => {
    const cms: Record<string, KubeObject> = {
      'apps/vars': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'vars', namespace: 'apps' }, data: { env: 'dev', replicas: '3' } },
    }
    const spec = {
      postBuild: { substitute: { env: 'prod' }, substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }] },
      commonMetadata: { labels: { team: 'a', 'kustomize.toolkit.fluxcd.io/name': 'override' } },
    }
    const sub = substitutionFor(spec, 'apps', (_k, ns, name) => cms[`${ns}/${name}`], true)
    const r = postBuild([deploy()], { name: 'apps', namespace: 'flux-system', spec, ...(sub.substitute ? { substitute: sub.substitute } : {}) })
    expect(r.ok).toBe(true)
    const o = r.ok ? r.objects[0]!.object : undefined
    expect(o?.metadata.labels).toEqual({ env: 'prod', 'kustomize.toolkit.fluxcd.io/name': 'override', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system', team: 'a' })
    expect((o?.['spec'] as { replicas: unknown }).replicas).toBe(3)
    expect(o?.['status']).toBeUndefined()
    expect(o?.metadata['creationTimestamp']).toBeUndefined()
    expect(JSON.stringify(o)).toContain('"protocol":"TCP"')
  })

  it('fails the Kustomization on a missing non-optional substituteFrom source (S-4)', () => {
    const sub = substitutionFor({ postBuild: { substituteFrom: [{ kind: 'Secret', name: 'nope' }] } }, 'apps', () => undefined, true)
    expect(sub.failed).toBe(true)
    expect(sub.diagnostics[0]!.code).toBe('substitute/missing-source')
  })

  it('fails in strict mode on an unset variable, and leaves objects that opt out alone (S-2, S-11)', () => {
    const spec = { postBuild: { substitute: { env: 'prod' } } }
    const sub = substitutionFor(spec, 'apps', () => undefined, true)
    const bad = postBuild([deploy()], { name: 'k', namespace: 'ns', spec, substitute: sub.substitute! })
    expect(bad.ok).toBe(false)
    expect(bad.diagnostics[0]!.code).toBe('substitute/failed')
    const optOut = deploy()
    optOut.metadata.annotations = { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' }
    const ok = postBuild([optOut], { name: 'k', namespace: 'ns', spec, substitute: sub.substitute! })
    expect(ok.ok && ok.objects[0]!.object.metadata.labels?.['env']).toBe('${env}')
  })

  it('moves Secret stringData into data and marks SOPS objects without decrypting them (K-17)', () => {
    const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' }, stringData: { token: 'abc' } }
    const sops: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a' }, data: { k: 'ENC[AES256_GCM,data:xx]' }, sops: { mac: 'ENC[mac]' } }
    const r = postBuild([secret, sops], { name: 'k', namespace: 'ns', spec: { decryption: { provider: 'sops' } } })
    expect(r.ok).toBe(true)
    if (!r.ok) return
    expect(decodeBase64((r.objects[0]!.object['data'] as Record<string, string>)['token']!)).toBe('abc')
    expect(r.objects[0]!.object['stringData']).toBeUndefined()
    expect(r.objects.map((o) => o.sops)).toEqual([false, true])
  })

  it('reports a SOPS Secret without decryption configured as Flux would fail (K-17)', () => {
    const s: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'a' }, data: { k: 'RU5DW3h4XQ==' }, sops: { mac: 'ENC[mac]' } }
    const r = postBuild([s], { name: 'k', namespace: 'ns', spec: {} })
    expect(r.diagnostics.map((d) => d.code)).toEqual(['render/sops-not-decrypted'])
  })
})

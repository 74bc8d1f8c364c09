import type { KubeObject } from '../../model/object.js'
import { decodeBase64, encodeBase64 } from '../../model/base64.js'
import { readYaml11 } from '../../yaml/index.js'
import { dataOf } from '../values/sources.js'
import { postBuild } from './post-build.js'
import { substitutionFor } from './substitution.js'
import { lookupOnly } from '../values/sources.js'

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
    const sub = substitutionFor(spec, 'apps', lookupOnly((_k, ns, name) => cms[`${ns}/${name}`]), true)
    const r = postBuild([deploy()], { name: 'apps', namespace: 'flux-system', spec, ...(sub.substitute ? { substitute: sub.substitute } : {}) })
    expect(r.ok).toBe(true)
    const o = r.ok ? r.objects[0]!.object : undefined
    expect(o?.metadata.labels).toEqual({ env: 'prod', 'kustomize.toolkit.fluxcd.io/name': 'override', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system', team: 'a' })
    expect((o?.['spec'] as { replicas: unknown }).replicas).toBe(3)
    expect(o?.['status']).toBeUndefined()
    expect(o?.metadata['creationTimestamp']).toBeUndefined()
    expect(JSON.stringify(o)).toContain('"protocol":"TCP"')
  })

  it('keeps the variables of a source only the cluster has as placeholders, and still fails on one nothing can define (S-4, S-11)', () => {
    const spec = { postBuild: { substitute: { env: 'prod' }, substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }] } }
    const sub = substitutionFor(spec, 'apps', lookupOnly(() => undefined), true)
    expect(sub.failed).toBe(false)
    expect(sub.reads.map((r) => r.resolved.origin.type)).toEqual(['cluster'])
    const r = postBuild([deploy()], { name: 'k', namespace: 'ns', spec, substitute: sub.substitute! })
    expect(r.ok).toBe(true)
    const o = r.ok ? r.objects[0]! : undefined
    expect(o?.object.metadata.labels?.['env']).toBe('prod')
    expect((o?.object['spec'] as { replicas: unknown }).replicas).toBe('${replicas}')
    expect(o?.placeholders).toEqual(['${replicas}'])

    const keysKnown = substitutionFor(spec, 'apps', () => ({ data: {}, unknownKeys: ['token'], origin: { type: 'creator', what: 'ExternalSecret apps/cluster-secrets' } }), true)
    const strict = postBuild([deploy()], { name: 'k', namespace: 'ns', spec, substitute: keysKnown.substitute! })
    expect(strict.ok).toBe(false)
    expect(strict.diagnostics[0]!.message).toContain('variable not set (strict mode): "replicas"')
  })

  it('skips an optional source nothing says exists, as Flux skips one the cluster lacks (S-4)', () => {
    const sub = substitutionFor({ postBuild: { substituteFrom: [{ kind: 'Secret', name: 'nope', optional: true }] } }, 'apps', lookupOnly(() => undefined), true)
    expect(sub.failed).toBe(false)
    expect(sub.reads).toEqual([])
    expect(sub.substitute!(deploy())).not.toHaveProperty('placeholders')
  })

  it('fails in strict mode on an unset variable, and leaves objects that opt out alone (S-2, S-11)', () => {
    const spec = { postBuild: { substitute: { env: 'prod' } } }
    const sub = substitutionFor(spec, 'apps', lookupOnly(() => undefined), true)
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

  it('keeps a byte order mark a Secret value starts with, as Go keeps it in the string of the bytes', () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'apps' }, data: { region: encodeBase64('\ufeffeu-west-1') } }
    expect(dataOf(secret, 'Secret')).toEqual({ region: '\ufeffeu-west-1' })
    // Read as a values document (valuesFrom), the mark at the start of the stream is not content.
    expect(readYaml11('\ufeffreplicas: 2\n')).toEqual({ ok: true, value: { replicas: 2 } })
  })
})

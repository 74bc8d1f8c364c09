/* eslint-disable @typescript-eslint/no-explicit-any -- the tests read wire-protocol JSON answers ad hoc */
import { startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver/index.js'

let server: KubeApiServer

beforeEach(async () => {
  server = await startKubeApiServer()
})

afterEach(async () => {
  await server.stop()
})

async function call(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ code: number; json: Record<string, any> }> {
  const res = await fetch(server.url + path, {
    method,
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': contentType } } : {}),
  })
  return { code: res.status, json: (await res.json()) as Record<string, any> }
}

const NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }
const CM = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'apps', labels: { tier: 'web' } }, data: { a: '1' } }
const KS = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/apps/kustomizations'
const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'apps' }, spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }

describe('Kubernetes API double', () => {
  it('serves discovery with status subresources and preferred versions', async () => {
    const groups = await call('GET', '/apis')
    const flux = await call('GET', '/apis/kustomize.toolkit.fluxcd.io/v1')

    expect(groups.json['groups'].find((g: { name: string }) => g.name === 'image.toolkit.fluxcd.io').preferredVersion.version).toBe('v1')
    expect(flux.json['resources'].map((r: { name: string }) => r.name)).toEqual(['kustomizations', 'kustomizations/status'])
    expect((await call('GET', '/api/v1')).json['resources'].some((r: { name: string }) => r.name === 'persistentvolumeclaims')).toBe(true)
  })

  it('creates with server metadata, 409 on a duplicate, 404 when the namespace is missing', async () => {
    const missing = await call('POST', '/api/v1/namespaces/apps/configmaps', CM)
    await call('POST', '/api/v1/namespaces', NS)
    const created = await call('POST', '/api/v1/namespaces/apps/configmaps', CM)
    const again = await call('POST', '/api/v1/namespaces/apps/configmaps', CM)

    expect(missing).toMatchObject({ code: 404, json: { kind: 'Status', reason: 'NotFound', message: 'namespaces "apps" not found' } })
    expect(created.code).toBe(201)
    expect(created.json['metadata']).toMatchObject({ generation: 1, uid: expect.any(String), resourceVersion: expect.any(String), creationTimestamp: expect.any(String) })
    expect(again).toMatchObject({ code: 409, json: { reason: 'AlreadyExists' } })
  })

  it('lists with field and label selectors', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    await call('POST', '/api/v1/namespaces/apps/configmaps', CM)
    await call('POST', '/api/v1/namespaces/apps/configmaps', { ...CM, metadata: { name: 'other', namespace: 'apps' } })

    const byName = await call('GET', '/api/v1/namespaces/apps/configmaps?fieldSelector=metadata.name%3Dother')
    const byLabel = await call('GET', '/api/v1/configmaps?labelSelector=tier%20in%20(web,api)')
    const none = await call('GET', '/api/v1/configmaps?labelSelector=!tier,tier')

    expect(byName.json['items'].map((o: any) => o.metadata.name)).toEqual(['other'])
    expect(byLabel.json['items'].map((o: any) => o.metadata.name)).toEqual(['settings'])
    expect(none.json['items']).toEqual([])
    expect(byName.json['metadata'].resourceVersion).toEqual(expect.any(String))
  })

  it('answers PUT with a stale resourceVersion with 409 Conflict', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    const created = (await call('POST', '/api/v1/namespaces/apps/configmaps', CM)).json
    await call('PUT', '/api/v1/namespaces/apps/configmaps/settings', { ...created, data: { a: '2' } })

    const stale = await call('PUT', '/api/v1/namespaces/apps/configmaps/settings', { ...created, data: { a: '3' } })

    expect(stale).toMatchObject({ code: 409, json: { reason: 'Conflict' } })
    expect(server.get('v1', 'ConfigMap', 'apps', 'settings')?.['data']).toEqual({ a: '2' })
  })

  it('applies the four patch types, strategic merge by container name, and refuses it for custom resources', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    await call('POST', `${KS}`, ks)
    const dep = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'apps' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'web', image: 'web:1' }, { name: 'proxy', image: 'envoy:1' }] } } } }
    await call('POST', '/apis/apps/v1/namespaces/apps/deployments', dep)

    const merge = await call('PATCH', `${KS}/apps`, { spec: { suspend: true } }, 'application/merge-patch+json')
    const json = await call('PATCH', `${KS}/apps`, [{ op: 'replace', path: '/spec/interval', value: '1m' }], 'application/json-patch+json')
    const failedTest = await call('PATCH', `${KS}/apps`, [{ op: 'test', path: '/spec/interval', value: '5m' }], 'application/json-patch+json')
    const smpCr = await call('PATCH', `${KS}/apps`, { spec: { suspend: false } }, 'application/strategic-merge-patch+json')
    const smp = await call('PATCH', '/apis/apps/v1/namespaces/apps/deployments/web', { spec: { template: { spec: { containers: [{ name: 'web', image: 'web:2' }] } } } }, 'application/strategic-merge-patch+json')
    const noManager = await call('PATCH', `${KS}/apps`, 'spec: {path: ./x}', 'application/apply-patch+yaml')
    const apply = await call('PATCH', `${KS}/apps?fieldManager=fluxgate`, 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps}\nspec: {path: ./apps2}\n', 'application/apply-patch+yaml')

    expect(merge.json['spec'].suspend).toBe(true)
    expect(json.json['spec'].interval).toBe('1m')
    expect(failedTest.code).toBe(422)
    expect(smpCr).toMatchObject({ code: 415, json: { reason: 'UnsupportedMediaType' } })
    expect(smp.json['spec'].template.spec.containers.map((c: any) => c.image)).toEqual(['web:2', 'envoy:1'])
    expect(noManager).toMatchObject({ code: 400, json: { reason: 'BadRequest' } })
    expect(apply.json['spec']).toMatchObject({ path: './apps2', interval: '1m', suspend: true })
    expect(apply.json['metadata'].generation).toBe(4)
  })

  it('stores nothing on dryRun=All and creates on server-side apply of a new object', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    const rv = server.store.resourceVersion

    const dry = await call('PATCH', `${KS}/apps?fieldManager=fluxgate&dryRun=All&force=true`, JSON.stringify(ks), 'application/apply-patch+yaml')
    const storedAfterDry = server.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'apps', 'apps')
    const real = await call('PATCH', `${KS}/apps?fieldManager=fluxgate`, JSON.stringify(ks), 'application/apply-patch+yaml')

    expect(dry.code).toBe(201)
    expect(dry.json['spec'].force).toBe(false)
    expect(storedAfterDry).toBeUndefined()
    expect(real.code).toBe(201)
    expect(Number(real.json['metadata'].resourceVersion)).toBeGreaterThan(Number(rv))
    expect(real.json['metadata'].managedFields[0]).toMatchObject({ manager: 'fluxgate', operation: 'Apply' })
  })

  it('keeps status apart: the main resource cannot write it, the subresource writes only it', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    await call('POST', KS, { ...ks, status: { lastAppliedRevision: 'x' } })

    const main = await call('PATCH', `${KS}/apps`, { status: { lastAppliedRevision: 'y' }, spec: { path: './b' } }, 'application/merge-patch+json')
    const status = await call('PATCH', `${KS}/apps/status`, { status: { lastAppliedRevision: 'z' }, spec: { path: './c' } }, 'application/merge-patch+json')
    const read = await call('GET', `${KS}/apps/status`)

    expect(main.json['status']).toBeUndefined()
    expect(main.json['metadata'].generation).toBe(2)
    expect(status.json['status']).toEqual({ lastAppliedRevision: 'z' })
    expect(status.json['spec'].path).toBe('./b')
    expect(status.json['metadata'].generation).toBe(2)
    expect(read.json['spec'].path).toBe('./b')
  })

  it('streams watch events as JSON lines, starting with the current state, and ends at timeoutSeconds', async () => {
    await call('POST', '/api/v1/namespaces', NS)
    await call('POST', KS, ks)

    const res = await fetch(`${server.url}${KS}?watch=true&fieldSelector=metadata.name%3Dapps&timeoutSeconds=1`)
    setTimeout(() => void call('PATCH', `${KS}/apps`, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': 't1' } } }, 'application/merge-patch+json'), 50)
    const lines = (await res.text()).trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: any })

    expect(lines.map((l) => l.type)).toEqual(['ADDED', 'MODIFIED'])
    expect(lines[1]?.object.metadata.annotations['reconcile.fluxcd.io/requestedAt']).toBe('t1')
  })

  it('logs every request without the Authorization header and refuses a wrong token', async () => {
    const guarded = await startKubeApiServer({ token: 'expected-token' })
    const refused = await fetch(`${guarded.url}/api/v1/namespaces`, { headers: { Authorization: 'Bearer nope' } })
    await guarded.stop()

    expect(refused.status).toBe(401)
    expect(JSON.stringify(guarded.log)).not.toContain('nope')
    expect(guarded.log[0]).toMatchObject({ method: 'GET', path: '/api/v1/namespaces', code: 401 })
  })
})

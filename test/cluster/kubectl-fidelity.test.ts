/**
 * The API double checked against the real kubectl (real-components.md §4.4): one scenario runs
 * once through kubectl and once through @kubernetes/client-node, each against its own double;
 * the stored objects must agree, and every kubectl command must succeed.
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import * as k8s from '@kubernetes/client-node'
import { K8sCluster } from '../../src/infra/k8s-cluster.js'
import { describeWith, kubectlPath } from '../support/components.js'
import { startKubeApiServer, type KubeApiServer, type StoredObject } from '../support/kube-apiserver/index.js'

const run = promisify(execFile)

const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system' }, spec: { interval: '10m', path: './apps', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } } }
const NS = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'flux-system' } }
const DEPLOY = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'flux-system', labels: { app: 'web' } },
  spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }, { name: 'side', image: 'busybox:1.36' }] } } },
}
const READY = { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: 'Applied revision: main@sha1:abc', lastTransitionTime: '2026-11-22T10:00:00Z' }] } }
const IMAGE_PATCH = { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } }

function kubeconfigFor(server: KubeApiServer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'fluxgate-kubectl-')), 'config')
  writeFileSync(file, server.kubeconfig())
  return file
}

async function viaKubectl(server: KubeApiServer, bin: string): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-kubectl-files-'))
  const file = (name: string, obj: unknown): string => {
    writeFileSync(join(dir, name), JSON.stringify(obj))
    return join(dir, name)
  }
  const kubeconfig = kubeconfigFor(server)
  // Asynchronous on purpose: the double answers from this same process.
  const kubectl = async (...args: string[]): Promise<string> => (await run(bin, ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], { encoding: 'utf8' })).stdout
  await kubectl('create', '-f', file('ns.json', NS), '--validate=false')
  await kubectl('apply', '--server-side', '--field-manager=fluxgate', '--validate=false', '-f', file('ks.json', KS))
  await kubectl('apply', '--server-side', '--dry-run=server', '--field-manager=fluxgate', '--validate=false', '-f', file('ks.json', { ...KS, spec: { ...KS.spec, path: './dry' } }))
  await kubectl('create', '-f', file('deploy.json', DEPLOY), '--validate=false')
  await kubectl('annotate', '--overwrite', 'kustomization/apps', 'reconcile.fluxcd.io/requestedAt=2026-11-22T10:00:00Z')
  await kubectl('patch', 'kustomization', 'apps', '--type', 'merge', '-p', JSON.stringify({ spec: { suspend: true } }))
  await kubectl('patch', 'kustomization', 'apps', '--type', 'json', '-p', JSON.stringify([{ op: 'replace', path: '/spec/interval', value: '1m' }]))
  await kubectl('patch', 'deployment', 'web', '-p', JSON.stringify(IMAGE_PATCH))
  await kubectl('patch', 'kustomization', 'apps', '--subresource', 'status', '--type', 'merge', '-p', JSON.stringify(READY))
  await kubectl('wait', '--for=condition=Ready', 'kustomization/apps', '--timeout=5s')
  return JSON.parse(await kubectl('get', 'kustomization', 'apps', '-o', 'json')) as Record<string, unknown>
}

async function viaClient(server: KubeApiServer): Promise<void> {
  const kc = new k8s.KubeConfig()
  kc.loadFromFile(kubeconfigFor(server))
  const api = k8s.KubernetesObjectApi.makeApiClient(kc)
  const custom = kc.makeApiClient(k8s.CustomObjectsApi)
  const cluster = new K8sCluster(kc)
  const ref = { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', namespace: 'flux-system', plural: 'kustomizations', name: 'apps' }
  await api.create(NS)
  await api.patch(KS, undefined, undefined, 'fluxgate', false, k8s.PatchStrategy.ServerSideApply)
  await cluster.applyDryRun({ ...KS, spec: { ...KS.spec, path: './dry' } })
  await api.create(DEPLOY)
  await cluster.annotate({ apiVersion: KS.apiVersion, kind: 'Kustomization', namespace: 'flux-system', name: 'apps' }, { 'reconcile.fluxcd.io/requestedAt': '2026-11-22T10:00:00Z' })
  await api.patch({ ...KS, spec: { suspend: true } } as never, undefined, undefined, undefined, undefined, k8s.PatchStrategy.MergePatch)
  await custom.patchNamespacedCustomObject({ ...ref, body: [{ op: 'replace', path: '/spec/interval', value: '1m' }] })
  await api.patch({ ...DEPLOY, ...IMAGE_PATCH } as never, undefined, undefined, undefined, undefined, k8s.PatchStrategy.StrategicMergePatch)
  await custom.patchNamespacedCustomObjectStatus({ ...ref, body: READY }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch))
}

/** Stored objects without what the server makes up per request (ids, times, versions, managers). */
function comparable(server: KubeApiServer): unknown[] {
  return server.store
    .all()
    .map((o: StoredObject) => {
      const { uid: _u, creationTimestamp: _c, resourceVersion: _r, managedFields: _m, ...meta } = o.metadata
      return { ...o, metadata: meta }
    })
    .sort((a, b) => `${a.kind}/${String(a.metadata['name'])}`.localeCompare(`${b.kind}/${String(b.metadata['name'])}`))
}

/** kubectl 1.35 (npm layer; WatchList on) and 1.33 (the image), whichever are here. */
const KUBECTLS = [kubectlPath(), '/usr/lib/google-cloud-sdk/bin/kubectl.1.33']
  .filter((p): p is string => p !== undefined && existsSync(p))
  .map((p) => resolve(p))
  .filter((p, i, all) => all.indexOf(p) === i)

describeWith(['kubectl'], 'API double against the real kubectl', () => {
  let a: KubeApiServer
  let b: KubeApiServer

  beforeEach(async () => {
    a = await startKubeApiServer()
    b = await startKubeApiServer()
  })

  afterEach(async () => {
    await a.stop()
    await b.stop()
  })

  it.each(KUBECTLS)('stores the same objects whether %s or client-node runs the scenario', async (bin) => {
    const shown = await viaKubectl(a, bin)
    await viaClient(b)

    expect(comparable(a)).toEqual(comparable(b))
    const ks = a.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps')!
    // kubectl hides managedFields unless --show-managed-fields.
    const { managedFields: _m, ...meta } = ks.metadata
    expect(shown).toEqual({ ...ks, metadata: meta })
    expect(ks.metadata['generation']).toBe(3)
    expect(ks['spec']).toMatchObject({ interval: '1m', suspend: true, path: './apps' })
    const web = a.get('apps/v1', 'Deployment', 'flux-system', 'web')!
    expect((web['spec'] as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map((c) => c.image)).toEqual(['nginx:1.26', 'busybox:1.36'])
    const managers = (ks.metadata['managedFields'] as { manager: string }[]).map((m) => m.manager)
    expect(managers).toEqual(expect.arrayContaining(['fluxgate', 'kubectl-annotate', 'kubectl-patch']))
    expect(a.log.filter((e) => e.method === 'PATCH' && e.query['dryRun'] === 'All')).toHaveLength(1)
  })
})

/**
 * A small cluster for the cluster-side tests: the flux-system GitRepository, Kustomizations
 * `infra` and `apps` (apps dependsOn infra, both applied by `flux-system`), and the HelmRelease
 * `podinfo` applied by `apps`. Plans and renders are written out as the render would give them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KubeObject } from '../../src/core/model/object.js'
import type { ClusterPlan, ObjectChange, OwnerSummary } from '../../src/core/model/plan.js'
import type { ClusterRender, OwnerRef, RenderedOwner } from '../../src/core/model/render-result.js'
import { resourceIdOf } from '../../src/core/model/resource-id.js'
import { K8sCluster } from '../../src/infra/k8s-cluster.js'
import type { KubeApiServer, StoredObject } from '../support/kube-apiserver/index.js'

export const SHA_OLD = '1111111111111111111111111111111111111111'
export const SHA_MERGE = 'abcdefabcdefabcdefabcdefabcdefabcdefabcd'

const ks = (name: string, path: string, dependsOn: string[] = [], suspend = false): KubeObject => ({
  apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
  kind: 'Kustomization',
  metadata: { name, namespace: 'flux-system' },
  spec: {
    interval: '10m',
    path,
    prune: true,
    sourceRef: { kind: 'GitRepository', name: 'flux-system' },
    ...(dependsOn.length ? { dependsOn: dependsOn.map((d) => ({ name: d })) } : {}),
    ...(suspend ? { suspend: true } : {}),
  },
})

export const gitRepository: KubeObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'flux-system', namespace: 'flux-system' },
  spec: { interval: '1m', url: 'https://github.com/example/fleet', ref: { branch: 'main' } },
}

export const helmRelease: KubeObject = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'podinfo', namespace: 'apps' },
  spec: { interval: '5m', chart: { spec: { chart: 'podinfo', version: '6.5.0', sourceRef: { kind: 'HelmRepository', name: 'podinfo' } } } },
}

const ref = (kind: OwnerRef['kind'], namespace: string, name: string): OwnerRef => ({ kind, namespace, name })
export const FLUX_SYSTEM = ref('Kustomization', 'flux-system', 'flux-system')
export const INFRA = ref('Kustomization', 'flux-system', 'infra')
export const APPS = ref('Kustomization', 'flux-system', 'apps')
export const PODINFO = ref('HelmRelease', 'apps', 'podinfo')

function owner(r: OwnerRef, object: KubeObject, parent: OwnerRef | undefined, dependsOn: OwnerRef[] = []): RenderedOwner {
  return { ref: r, object, ...(parent ? { parent } : {}), status: 'rendered', prune: true, suspended: false, dependsOn }
}

/** The head render's owners; `apps` listed before `infra` on purpose, so order must come from dependsOn. */
export function headCluster(opts: { suspendApps?: boolean } = {}): ClusterRender {
  const apps = ks('apps', './apps', ['infra'], opts.suspendApps)
  return {
    name: 'staging',
    path: 'clusters/staging',
    owners: [
      owner(FLUX_SYSTEM, ks('flux-system', './clusters/staging'), undefined),
      owner(PODINFO, helmRelease, APPS),
      owner(APPS, apps, FLUX_SYSTEM, [INFRA]),
      owner(INFRA, ks('infra', './infra'), FLUX_SYSTEM),
    ],
    objects: [],
    diagnostics: [],
  }
}

function change(o: OwnerRef, obj: KubeObject): ObjectChange {
  return { action: 'changed', id: resourceIdOf(obj), apiVersion: obj.apiVersion, owner: o, prune: null, highRisk: false, fields: [], diff: '' }
}

function summary(r: OwnerRef): OwnerSummary {
  return { ref: r, dependsOn: [], state: 'unchanged', status: 'rendered', counts: { added: 0, changed: 1, removed: 0, moved: 0 }, suspended: false }
}

/** A plan in which infra, apps and podinfo each change one object. */
export function clusterPlan(): ClusterPlan {
  const cm = (ns: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns } })
  return {
    name: 'staging',
    path: 'clusters/staging',
    unknown: [],
    changes: [change(PODINFO, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'podinfo', namespace: 'apps' } }), change(APPS, cm('apps')), change(INFRA, cm('infra'))],
    owners: [summary(INFRA), summary(APPS), summary(PODINFO)],
    diagnostics: [],
  }
}

/** Loads the live cluster: the Flux objects as applied at the old commit, all Ready. */
export function seedFlux(server: KubeApiServer, opts: { suspendApps?: boolean } = {}): void {
  const oldRev = `main@sha1:${SHA_OLD}`
  const ready = (rev: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    ...extra,
    conditions: [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${rev}`, lastTransitionTime: '2026-11-29T10:00:00Z' }],
  })
  server.seed({ ...gitRepository, status: { artifact: { revision: oldRev }, ...ready(oldRev) } } as StoredObject, 'kustomize-controller')
  for (const o of headCluster(opts).owners) {
    const status = o.ref.kind === 'Kustomization' ? ready(oldRev, { lastAppliedRevision: oldRev, lastAttemptedRevision: oldRev }) : ready('6.4.0', { lastAttemptedRevision: '6.4.0' })
    server.seed({ ...(o.object as StoredObject), status } as StoredObject)
  }
}

/** A ClusterClient over the double, through a kubeconfig file as users pass it. */
export function clientFor(server: KubeApiServer): { cluster: K8sCluster; kubeconfig: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-kube-'))
  const kubeconfig = join(dir, 'kubeconfig')
  writeFileSync(kubeconfig, server.kubeconfig('staging'))
  return { cluster: K8sCluster.load({ kubeconfig }), kubeconfig }
}

/**
 * The cluster side of the post-merge tests: the Kubernetes API double loaded with the Flux
 * objects of the fixture fleet (test/github/support/fleet-repo.ts, cluster `prod`) as applied
 * at the base commit, and the test Flux controller answering reconcile requests.
 */
import { parseAllDocuments } from 'yaml'
import { FluxTestController, startKubeApiServer, type KubeApiServer, type StoredObject } from '../../support/kube-apiserver/index.js'

/** The API double's bearer token: a credential that must never reach any output. */
export const KUBE_TOKEN = 'sha256~kube-sa-token-post-merge-s3cr3t'

export interface FleetCluster {
  server: KubeApiServer
  controller: FluxTestController
  /** Kubeconfig content (YAML) whose context is `prod`, the fleet's cluster. */
  kubeconfig: string
  stop(): Promise<void>
}

/** Flux objects of clusters/prod in the fixture, as `git show BASE:path` gives them. */
function fluxObjects(read: (path: string) => string): StoredObject[] {
  const docs = [...parseAllDocuments(read('clusters/prod/flux-system/gotk-sync.yaml')), ...parseAllDocuments(read('clusters/prod/apps.yaml'))]
  return docs.map((d) => d.toJS() as StoredObject)
}

/** Starts the double seeded with the fleet at `baseSha`, and a controller whose source moves to `mergeSha`. */
export async function startFleetCluster(read: (path: string) => string, baseSha: string, mergeSha: string): Promise<FleetCluster> {
  const server = await startKubeApiServer({ token: KUBE_TOKEN })
  const controller = new FluxTestController(server).start()
  const oldRev = `main@sha1:${baseSha}`
  const ready = [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${oldRev}`, lastTransitionTime: '2026-11-29T10:00:00Z' }]
  for (const o of fluxObjects(read)) {
    const status = o.kind === 'GitRepository' ? { artifact: { revision: oldRev }, conditions: ready } : { lastAppliedRevision: oldRev, lastAttemptedRevision: oldRev, conditions: ready }
    server.seed({ ...o, status } as unknown as StoredObject)
  }
  controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', `main@sha1:${mergeSha}`)
  return {
    server,
    controller,
    kubeconfig: server.kubeconfig('prod'),
    stop: async () => {
      controller.stop()
      await server.stop()
    },
  }
}

import { planReconcile } from '../../src/core/reconcile/plan-reconcile.js'
import { runReconcile } from '../../src/core/reconcile/run-reconcile.js'
import type { ReconcileReport } from '../../src/core/reconcile/types.js'
import { systemClock } from '../../src/infra/clock.js'
import { FluxTestController, startKubeApiServer, type KubeApiServer } from '../support/kube-apiserver/index.js'
import { SHA_MERGE, clientFor, clusterPlan, headCluster, seedFlux } from './fleet.js'

const FAST = { sourceMs: 5_000, objectMs: 5_000, pollMs: 50 }
const MERGED = `main@sha1:${SHA_MERGE}`

let server: KubeApiServer
let controller: FluxTestController

beforeEach(async () => {
  server = await startKubeApiServer()
  controller = new FluxTestController(server).start()
  controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', MERGED)
})

afterEach(async () => {
  controller.stop()
  await server.stop()
})

async function reconcile(opts: { suspendApps?: boolean; timeouts?: Partial<typeof FAST> } = {}): Promise<ReconcileReport> {
  seedFlux(server, opts)
  const { cluster } = clientFor(server)
  const plan = planReconcile(clusterPlan(), headCluster(opts))
  return runReconcile(cluster, plan, { mergeSha: SHA_MERGE, timeouts: { ...FAST, ...opts.timeouts }, clock: systemClock })
}

function outcomes(report: ReconcileReport): string[] {
  return report.results.map((r) => `${r.ref.kind}/${r.ref.name}=${r.outcome}`)
}

function annotatePatches(): { path: string; query: Record<string, string>; contentType?: string }[] {
  return server.log.filter((e) => e.method === 'PATCH')
}

describe('reconcile after merge against the API double', () => {
  it('refreshes the source, then reconciles in dependsOn order and reports applied revisions', async () => {
    const report = await reconcile()

    expect(report.diagnostics).toEqual([])
    expect(report.ok).toBe(true)
    expect(controller.handled.map((h) => `${h.kind}/${h.name}`)).toEqual(['GitRepository/flux-system', 'Kustomization/infra', 'Kustomization/apps', 'HelmRelease/podinfo'])
    expect(outcomes(report)).toEqual(['GitRepository/flux-system=succeeded', 'Kustomization/infra=succeeded', 'Kustomization/apps=succeeded', 'HelmRelease/podinfo=succeeded'])
    expect(report.results[2]).toMatchObject({ revision: MERGED, reason: 'ReconciliationSucceeded', message: `Applied revision: ${MERGED}` })
    expect(report.results[3]).toMatchObject({ revision: '6.5.0', reason: 'UpgradeSucceeded' })
    for (const p of annotatePatches()) {
      expect(p.contentType).toBe('application/merge-patch+json')
      expect(p.query['fieldManager']).toBe('fluxgate')
    }
    expect(annotatePatches().map((p) => p.path)).toEqual([
      '/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/flux-system',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/infra',
      '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps',
      '/apis/helm.toolkit.fluxcd.io/v2/namespaces/apps/helmreleases/podinfo',
    ])
    const apps = server.get('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'flux-system', 'apps')
    const fields = (apps?.metadata['managedFields'] as { manager: string }[]).map((m) => m.manager)
    expect(fields).toContain('fluxgate')
    expect(fields.some((m) => m.startsWith('kubectl'))).toBe(false)
  })

  it('fails on a Kustomization whose Ready turns False, quoting its message, and skips what depends on it', async () => {
    controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'BuildFailed', message: "kustomize build failed: accumulating resources: 'apps/podinfo' not found" })

    const report = await reconcile()

    expect(report.ok).toBe(false)
    expect(outcomes(report)).toEqual(['GitRepository/flux-system=succeeded', 'Kustomization/infra=succeeded', 'Kustomization/apps=failed', 'HelmRelease/podinfo=skipped'])
    expect(report.results[2]).toMatchObject({ reason: 'BuildFailed', revision: MERGED, message: "kustomize build failed: accumulating resources: 'apps/podinfo' not found" })
    expect(controller.handled.map((h) => h.name)).not.toContain('podinfo')
  })

  it('fails at once on a stalled object', async () => {
    controller.script('Kustomization', 'flux-system', 'infra', { outcome: 'stalled', reason: 'InvalidCEL', message: 'invalid CEL expression in healthCheckExprs' })

    const report = await reconcile({ timeouts: { objectMs: 60_000 } })

    expect(outcomes(report)).toEqual(['GitRepository/flux-system=succeeded', 'Kustomization/infra=stalled', 'Kustomization/apps=skipped', 'HelmRelease/podinfo=skipped'])
    expect(report.results[1]?.message).toBe('invalid CEL expression in healthCheckExprs')
    expect(report.ok).toBe(false)
  })

  it('reports a suspended Kustomization and leaves it untouched', async () => {
    const report = await reconcile({ suspendApps: true })

    expect(outcomes(report)).toContain('Kustomization/apps=suspended')
    expect(annotatePatches().map((p) => p.path)).not.toContain('/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/apps')
    expect(outcomes(report)).toContain('HelmRelease/podinfo=succeeded')
    expect(report.ok).toBe(true)
  })

  it('times out on an object whose controller never answers', async () => {
    controller.script('HelmRelease', 'apps', 'podinfo', { outcome: 'ignore' })

    const report = await reconcile({ timeouts: { objectMs: 400 } })

    expect(report.results[3]).toMatchObject({ outcome: 'timed-out' })
    expect(report.results[3]?.message).toMatch(/^no result within 400ms; last Ready=True ReconciliationSucceeded/)
    expect(report.ok).toBe(false)
  })

  it('times out when the source never reaches the merge commit, and asks nothing else', async () => {
    controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', `main@sha1:${'2'.repeat(40)}`)

    const report = await reconcile({ timeouts: { sourceMs: 400 } })

    expect(outcomes(report)).toEqual(['GitRepository/flux-system=timed-out', 'Kustomization/infra=skipped', 'Kustomization/apps=skipped', 'HelmRelease/podinfo=skipped'])
    expect(annotatePatches()).toHaveLength(1)
  })

  it('falls back to polling when every watch is closed at once', async () => {
    server.refuseWatches = true

    const report = await reconcile()

    expect(report.ok).toBe(true)
    const polls = server.log.filter((e) => e.method === 'GET' && e.path.endsWith('/kustomizations/apps') && !e.query['watch'])
    expect(polls.length).toBeGreaterThan(1)
  })

  it('falls back to polling when a watch drops mid-wait', async () => {
    controller.script('Kustomization', 'flux-system', 'infra', { outcome: 'success', delayMs: 300 })
    const drop = setInterval(() => server.dropWatches(), 100)

    const report = await reconcile().finally(() => clearInterval(drop))

    expect(report.ok).toBe(true)
    expect(report.results[1]).toMatchObject({ outcome: 'succeeded', revision: MERGED })
  })
})

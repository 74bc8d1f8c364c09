import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/adapters/cli/main.js'
import { FluxTestController, startKubeApiServer, type KubeApiServer, type StoredObject } from '../support/kube-apiserver/index.js'
import { baseObjects, createFleetRepo, type FleetRepo } from './fleet-repo.js'

const TOKEN = 'sha256~s3cr3t-service-account-token-value'

let repo: FleetRepo
let server: KubeApiServer
let controller: FluxTestController
let kubeconfig: string

beforeAll(() => {
  repo = createFleetRepo()
})

beforeEach(async () => {
  server = await startKubeApiServer({ token: TOKEN })
  controller = new FluxTestController(server).start()
  const oldRev = `main@sha1:${repo.baseSha}`
  for (const o of baseObjects()) {
    const flux = o.apiVersion.includes('fluxcd.io')
    const ready = [{ type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: `Applied revision: ${oldRev}`, lastTransitionTime: '2026-11-29T10:00:00Z' }]
    const status = o.kind === 'GitRepository' ? { artifact: { revision: oldRev }, conditions: ready } : { lastAppliedRevision: oldRev, lastAttemptedRevision: oldRev, conditions: ready }
    server.seed(flux ? ({ ...o, status } as unknown as StoredObject) : o)
  }
  controller.setSourceRevision('GitRepository', 'flux-system', 'flux-system', `main@sha1:${repo.mergeSha}`)
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fluxgate-kc-')), 'config')
  writeFileSync(kubeconfig, server.kubeconfig('staging'))
})

afterEach(async () => {
  controller.stop()
  await server.stop()
})

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: repo.dir, isTty: false })
  return { code, out, err }
}

describe('fluxgate reconcile against the API double', () => {
  it('refreshes the source, reconciles infra then apps, and exits 0', async () => {
    const r = await run('reconcile', '--merge-sha', repo.mergeSha, '--kubeconfig', kubeconfig, '--timeout', '20s', '--poll', '100ms')

    expect(r.err).not.toMatch(/^error/m)
    expect(r.code).toBe(0)
    expect(controller.handled.map((h) => `${h.kind}/${h.name}`)).toEqual(['GitRepository/flux-system', 'Kustomization/infra', 'Kustomization/apps'])
    expect(r.out).toContain(`succeeded  Kustomization flux-system/apps  main@sha1:${repo.mergeSha}`)
    expect(r.out).toMatch(/reconciled in/)
  })

  it('exits 1 on a failed Kustomization and quotes its Ready message', async () => {
    const message = 'Deployment/apps/web dry-run failed: spec.template.spec.containers[0].image: Required value'
    controller.script('Kustomization', 'flux-system', 'apps', { outcome: 'failure', reason: 'ReconciliationFailed', message })

    const r = await run('reconcile', '--merge-sha', repo.mergeSha, '--kubeconfig', kubeconfig, '--timeout', '20s')

    expect(r.code).toBe(1)
    expect(r.out).toContain(`ReconciliationFailed: ${message}`)
    expect(r.out).toContain('reconcile FAILED')
  })

  it('never prints the kubeconfig token, also when the server refuses it', async () => {
    const ok = await run('reconcile', '--merge-sha', repo.mergeSha, '--kubeconfig', kubeconfig, '--timeout', '20s')
    writeFileSync(kubeconfig, server.kubeconfig('staging').replace(TOKEN, `${TOKEN}-wrong`))
    const refused = await run('reconcile', '--merge-sha', repo.mergeSha, '--kubeconfig', kubeconfig, '--timeout', '2s')

    expect(refused.code).toBe(1)
    expect(refused.out + refused.err).toMatch(/Unauthorized/)
    for (const text of [ok.out, ok.err, refused.out, refused.err, JSON.stringify(server.log)]) expect(text).not.toContain('s3cr3t')
  })
})

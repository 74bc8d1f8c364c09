import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src/adapters/cli/main.js'
import { startKubeApiServer, type KubeApiServer, type StoredObject } from '../support/kube-apiserver/index.js'
import { baseObjects, createFleetRepo, type FleetRepo } from './fleet-repo.js'

const TOKEN = 'live-diff-token-must-not-leak-7781'

let repo: FleetRepo
let server: KubeApiServer
let kubeconfig: string

beforeAll(() => {
  repo = createFleetRepo()
})

beforeEach(async () => {
  server = await startKubeApiServer({ token: TOKEN })
  for (const o of baseObjects()) server.seed(o)
  kubeconfig = join(mkdtempSync(join(tmpdir(), 'fluxgate-kc-')), 'config')
  writeFileSync(kubeconfig, server.kubeconfig('staging'))
})

afterEach(async () => {
  await server.stop()
})

async function diffLive(format = 'text'): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const argv = ['diff', '--base', repo.baseSha, '--head', repo.mergeSha, '--live', '--kubeconfig', kubeconfig, '--format', format]
  const code = await main(argv, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: repo.dir, isTty: false })
  return { code, out, err }
}

describe('fluxgate diff --live against the API double', () => {
  it('shows the merge\'s changes on the cluster and no drift when the cluster runs the base', async () => {
    const r = await diffLive()

    expect(r.code).toBe(0)
    expect(r.out).toContain('what the merge changes on the cluster (3):')
    expect(r.out).toMatch(/changed\s+Deployment\/apps\/web \(Kustomization\/flux-system\/apps\): spec\/template\/spec\/containers\/0\/image/)
    expect(r.out).toContain('drift: live differs from the base branch, changed outside Git (0):')
  })

  it('shows an object changed behind Flux\'s back as drift, apart', async () => {
    const web = server.get('apps/v1', 'Deployment', 'apps', 'web')!
    server.seed({ ...web, spec: { ...(web['spec'] as object), replicas: 7 } } as StoredObject, 'kubectl-scale')

    const r = await diffLive()

    expect(r.out).toContain('what the merge changes on the cluster (3):')
    expect(r.out).toMatch(/changed outside Git \(1\):\n\s+changed\s+Deployment\/apps\/web \(Kustomization\/flux-system\/apps\): spec\/replicas/)
  })

  it('adds the live view to the JSON report, and never prints the token or a Secret value', async () => {
    const r = await diffLive('json')

    const doc = JSON.parse(r.out) as { clusters: { name: string; live?: { changes: unknown[]; drift: unknown[] } }[] }
    expect(doc.clusters.find((c) => c.name === 'staging')?.live?.changes).toHaveLength(3)
    for (const text of [r.out, r.err]) {
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain('git-side-password-9931')
    }
  })
})

import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { main } from '../../src/adapters/cli/main.js'
import type { CliIo } from '../../src/adapters/cli/io.js'

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false }
  const code = await main(argv, io)
  return { code, out, err }
}

const hubSpoke = resolve('..', 'shared', 'examples-pending', 'flux2-hub-spoke-example', 'head')

describe('fluxgate clusters', () => {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-clusters-cli-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('prints the hub and its spokes, how each was found, and the overlay folders it did not take', async () => {
    const r = await run(['clusters', '--repo', hubSpoke])
    expect(r.code).toBe(0)
    expect(r.out.split('\n').filter((l) => /^ {2}\S/.test(l))).toEqual([
      '  hub  (hub): 5 owners, 22 objects',
      '  production/cluster-kubeconfig  (through hub): 5 owners, 9 objects',
      '  staging/cluster-kubeconfig  (through hub): 5 owners, 9 objects',
      expect.stringMatching(/^ {2}clusters\/production: applied by Kustomization production\/tenants \(hub\/production\.yaml:6\)/),
      expect.stringMatching(/^ {2}clusters\/staging: applied by Kustomization staging\/tenants/),
    ])
    expect(r.out).toContain('    kubeConfig: Secret/production/cluster-kubeconfig')
    expect(r.out).toContain('    found: flux bootstrap folder (hub/flux-system/gotk-sync.yaml)')
  })

  it('prints JSON, and exits 1 listing every candidate when nothing is a cluster', async () => {
    mkdirSync(join(dir, 'clusters', 'lab'), { recursive: true })
    writeFileSync(join(dir, 'clusters', 'lab', 'kustomization.yaml'), 'resources: [../../apps]\n')
    const r = await run(['clusters', '--repo', dir, '--format', 'json'])
    expect(r.code).toBe(1)
    expect(JSON.parse(r.out)).toEqual({ clusters: [], candidates: [{ path: 'clusters/lab', accepted: false, reason: 'holds no Flux object (only kustomize overlays or patches)' }] })
    expect(r.err).toContain('error [cluster/none-found] no cluster found: nothing in the repository says what Flux syncs; pass --path. Candidates: clusters/lab: holds no Flux object')
    const render = await run(['render', '--repo', dir])
    expect(render.code).toBe(1)
    expect(render.err).toContain('clusters/lab: holds no Flux object')
  })

  it('renders a source mapped with --source, and refuses a malformed one', async () => {
    const fleet = join(dir, 'oci')
    mkdirSync(join(fleet, 'clusters', 'prod'), { recursive: true })
    mkdirSync(join(fleet, 'deploy'), { recursive: true })
    writeFileSync(join(fleet, 'clusters', 'prod', 'apps.yaml'), 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: apps, namespace: flux-system}\nspec: {interval: 5m, url: "oci://registry.example.com/apps", ref: {tag: latest}}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec: {interval: 10m, path: ./, prune: true, sourceRef: {kind: OCIRepository, name: apps}}\n')
    writeFileSync(join(fleet, 'deploy', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: from-oci, namespace: default}\ndata: {a: "1"}\n')
    const without = await run(['render', '--repo', fleet])
    expect(without.code).toBe(0)
    expect(without.out).not.toContain('from-oci')
    expect(without.err).toContain('warning [render/external-source]')
    const mapped = await run(['render', '--repo', fleet, '--source', 'OCIRepository/flux-system/apps=./deploy'])
    expect(mapped.code).toBe(0)
    expect(mapped.out).toContain('# owner: Kustomization/flux-system/apps (deploy/cm.yaml:1)')
    const bad = await run(['render', '--repo', fleet, '--source', 'apps=./deploy'])
    expect(bad.code).toBe(2)
  })
})

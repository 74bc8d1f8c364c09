/**
 * SOPS as kustomize-controller decrypts it (K-17), planned without decrypting: whole-file SOPS
 * documents (identity encrypted) are listed and compared by file; secretGenerator inputs that Flux
 * decrypts before the build give Secrets whose values and name hash are unknown, so a
 * re-encryption is one "encrypted input changed" entry, never a deletion plus an addition.
 */
import { defaultGateConfig, evaluateGate } from '../../src/core/gate/index.js'
import { headObjectsOf } from '../../src/core/gate/head-objects.js'
import { planChange } from '../../src/core/diff/plan-change.js'
import { collectSecretValues, maskRenderedObject, Redactor } from '../../src/core/mask/index.js'
import { displayId } from '../../src/core/model/resource-id.js'
import type { ClusterRender, FleetRender } from '../../src/core/model/render-result.js'
import type { Plan } from '../../src/core/model/plan.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { sopsDotenv, sopsYaml } from '../support/sops.js'
import { fluxKs, gotkSync } from './fixtures.js'

const DECRYPTION = '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n'

const dbSecret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'apps' }, type: 'Opaque', stringData: { password: 'correct-horse-battery' } }

function fleet(secrets: Record<string, string>, decryption = DECRYPTION): Record<string, string> {
  return {
    'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
    'clusters/prod/secrets.yaml': fluxKs('secrets', './secrets', decryption),
    'secrets/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: apps\ndata:\n  level: info\n',
    ...secrets,
  }
}

async function render(files: Record<string, string>, revision = 'a'.repeat(40)): Promise<FleetRender> {
  return renderFleet(MemoryTree.fromRecord(files), { revision, paths: ['clusters/prod'] })
}

const cluster = (f: FleetRender): ClusterRender => f.clusters[0]!
const errors = (c: ClusterRender): string[] => c.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`)

function ciphertexts(files: Record<string, string>): string[] {
  return Object.values(files).flatMap((t) => [...t.matchAll(/data:([A-Za-z0-9+/=]{8,})/g)].map((m) => m[1]!))
}

function expectNoCiphertext(text: string, files: Record<string, string>): void {
  expect(text).not.toContain('ENC[')
  for (const c of ciphertexts(files)) expect(text).not.toContain(c)
}

async function plan(base: Record<string, string>, head: Record<string, string>): Promise<Plan> {
  return planChange(await render(base), await render(head, 'b'.repeat(40)))
}

describe('whole-file SOPS (identity encrypted)', () => {
  it('renders no object of kind ENC[…]: the document is one encrypted entry, located by file', async () => {
    const files = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) })
    const f = await render(files)
    const c = cluster(f)

    expect(errors(c)).toEqual([])
    expect(c.objects.map((o) => `${o.object.kind}/${o.object.metadata.name}`)).toEqual(expect.arrayContaining(['ConfigMap/settings']))
    expect(c.objects.some((o) => JSON.stringify(o.object).includes('ENC['))).toBe(false)
    expect(c.encrypted).toEqual([expect.objectContaining({ owner: { kind: 'Kustomization', namespace: 'flux-system', name: 'secrets' }, source: { file: 'secrets/db.sops.yaml', line: 1 }, keys: ['password'] })])
    const info = c.diagnostics.filter((d) => d.code === 'render/sops-encrypted-object')
    expect(info).toEqual([expect.objectContaining({ severity: 'info', location: { file: 'secrets/db.sops.yaml', line: 1 } })])
    const redactor = new Redactor(collectSecretValues([f]))
    expectNoCiphertext(JSON.stringify([c.objects.map((o) => maskRenderedObject(o, redactor)), c.diagnostics]), files)
  })

  it('compares by file: same bytes unchanged, a re-encryption one "changed, encrypted" entry, never a removal plus an addition', async () => {
    const base = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) })
    const same = await plan(base, base)
    expect(same.clusters[0]!.changes).toEqual([])

    const head = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) })
    const p = await plan(base, head)
    const changes = p.clusters[0]!.changes
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ action: 'changed', encrypted: 'identity', owner: { name: 'secrets' }, source: { file: 'secrets/db.sops.yaml', line: 1 }, fields: [], diff: '' })
    expect(changes[0]!.note).toContain('changed, encrypted')
    expect(displayId(changes[0]!.id)).toBe('encrypted object, identity unknown (secrets/db.sops.yaml)')
    expect(p.clusters[0]!.owners.find((o) => o.ref.name === 'secrets')!.counts).toMatchObject({ changed: 1, added: 0, removed: 0 })
    expectNoCiphertext(JSON.stringify(p), { ...base, ...head })
  })

  it('a deleted encrypted file is one removal Flux prunes, high-risk since its kind is unknown', async () => {
    const base = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) })
    const p = await plan(base, fleet({}))
    expect(p.clusters[0]!.changes).toEqual([expect.objectContaining({ action: 'removed', encrypted: 'identity', prune: 'delete', highRisk: true })])
  })

  it('an encrypted file of an owner that fails to apply in head is left open by file, never removed', async () => {
    const base = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) })
    const p = await plan(base, { ...base, 'secrets/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad\ndata:\n  a: b\n' })
    expect(p.clusters[0]!.changes).toEqual([])
    const open = p.clusters[0]!.unknown.find((u) => u.owner.name === 'secrets')!
    expect(open.state).toBe('apply-fails')
    expect(open.objects.map((o) => displayId(o.id))).toEqual(['ConfigMap/apps/settings', 'encrypted object, identity unknown (secrets/db.sops.yaml)'])
  })

  it('without decryption Flux cannot apply an object whose kind is ciphertext: the Kustomization fails, with no ciphertext in the message', async () => {
    const files = fleet({ 'secrets/db.sops.yaml': sopsYaml(dbSecret) }, '')
    const c = cluster(await render(files))
    expect(c.owners.find((o) => o.ref.name === 'secrets')).toMatchObject({ status: 'failed' })
    expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([expect.objectContaining({ code: 'render/sops-not-decrypted', location: { file: 'secrets/db.sops.yaml', line: 1 } })])
    expectNoCiphertext(JSON.stringify(c.diagnostics) + JSON.stringify(c.owners.map((o) => o.note)), files)
  })

  it('a substituteFrom Secret an encrypted file may be is a warning naming that file, not "not found"', async () => {
    const files = {
      ...fleet({ 'secrets/cluster-secrets.sops.yaml': sopsYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-secrets', namespace: 'flux-system' }, stringData: { DOMAIN: 'example.com' } }) }),
      'clusters/prod/apps.yaml': fluxKs('apps', './apps', '  dependsOn:\n    - name: secrets\n  postBuild:\n    substituteFrom:\n      - kind: Secret\n        name: cluster-secrets\n'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  host: web.${DOMAIN}\n',
    }
    const c = cluster(await render(files))
    expect(errors(c)).toEqual([])
    const warnings = c.diagnostics.filter((d) => d.severity === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]!.message).toContain('Secret flux-system/cluster-secrets (substituteFrom of Kustomization flux-system/apps) is not found by name; it may be the SOPS-encrypted object in secrets/cluster-secrets.sops.yaml:1')
    expect(c.objects.find((o) => o.object.metadata.name === 'web')!.object['data']).toEqual({ host: 'web.${DOMAIN}' })
  })
})

describe('SOPS generator inputs (decrypted by Flux before the build)', () => {
  const kustomization = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deploy.yaml\nsecretGenerator:\n  - name: podinfo-token\n    namespace: apps\n    envs:\n      - token.env\n    files:\n      - config.yaml\n'
  const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  selector:\n    matchLabels: {app: podinfo}\n  template:\n    metadata:\n      labels: {app: podinfo}\n    spec:\n      containers:\n        - name: podinfo\n          image: ghcr.io/stefanprodan/podinfo:6.5.0\n          envFrom:\n            - secretRef:\n                name: podinfo-token\n'
  const app = (decryption = DECRYPTION): Record<string, string> => ({
    'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', decryption),
    'apps/kustomization.yaml': kustomization,
    'apps/deploy.yaml': deploy,
    'apps/token.env': sopsDotenv({ TOKEN: 'hunter2-token', USER: 'podinfo' }),
    'apps/config.yaml': sopsYaml({ endpoint: 'https://api.example.com', apiKey: 'k-123' }),
  })

  it('gives the generated Secret a name whose hash is unknown (***), everywhere the build wrote it, and no sops_ keys', async () => {
    const files = app()
    const c = cluster(await render(files))
    expect(errors(c)).toEqual([])
    const secret = c.objects.find((o) => o.object.kind === 'Secret')!
    expect(secret.object.metadata.name).toBe('podinfo-token-***')
    expect(secret.encryptedInput).toEqual(['apps/config.yaml', 'apps/token.env'])
    expect(Object.keys(secret.object['data'] as object).sort()).toEqual(['TOKEN', 'USER', 'config.yaml'])
    const d = c.objects.find((o) => o.object.kind === 'Deployment')!.object
    expect(JSON.stringify(d)).toContain('"name":"podinfo-token-***"')
  })

  it('a re-encryption without a plaintext change is one "encrypted input changed" entry, not a deletion, and the gate passes', async () => {
    const base = app()
    const head = { ...base, 'apps/token.env': sopsDotenv({ TOKEN: 'hunter2-token', USER: 'podinfo' }), 'apps/config.yaml': sopsYaml({ endpoint: 'https://api.example.com', apiKey: 'k-123' }) }
    const baseFleet = await render(base)
    const headFleet = await render(head, 'b'.repeat(40))
    const p = planChange(baseFleet, headFleet)
    const changes = p.clusters[0]!.changes
    expect(changes.map((c) => `${c.action} ${c.id.kind} ${c.id.name}`)).toEqual(['changed Secret podinfo-token-***'])
    expect(changes[0]).toMatchObject({ encrypted: 'input', prune: null, highRisk: false })
    expect(changes[0]!.note).toContain('encrypted input changed (apps/config.yaml, apps/token.env)')
    const redactor = new Redactor(collectSecretValues([baseFleet, headFleet]))
    const verdict = evaluateGate({ plan: p, config: defaultGateConfig(), approvals: [], headSha: p.head.sha, changedFiles: ['apps/token.env', 'apps/config.yaml'], headObjects: headObjectsOf(headFleet, redactor) })
    expect(verdict.conclusion).toBe('success')
    expect(verdict.findings).toEqual([])
    expectNoCiphertext(JSON.stringify(p), { ...base, ...head })
  })

  it('without SOPS decryption Flux builds from the ciphertext: a warning per input, and the name is the real hash', async () => {
    const c = cluster(await render(app('')))
    expect(c.diagnostics.filter((d) => d.code === 'render/sops-input-not-decrypted').map((d) => d.location?.file)).toEqual(['apps/config.yaml', 'apps/token.env'])
    const secret = c.objects.find((o) => o.object.kind === 'Secret')!
    expect(secret.object.metadata.name).toMatch(/^podinfo-token-[a-z0-9]{10}$/)
    expect(secret.encryptedInput).toBeUndefined()
  })

  it('a generated Secret that a patch deletes leaves nothing built from the ciphertext: no warning', async () => {
    const files = app('')
    files['apps/kustomization.yaml'] = `${kustomization}patches:\n  - patch: |\n      $patch: delete\n      apiVersion: v1\n      kind: Secret\n      metadata:\n        name: podinfo-token\n        namespace: apps\n`
    const c = cluster(await render(files))
    expect(c.objects.filter((o) => o.owner.name === 'apps').map((o) => o.object.kind)).toEqual(['Deployment'])
    expect(c.diagnostics.filter((d) => d.code === 'render/sops-input-not-decrypted')).toEqual([])
  })
})

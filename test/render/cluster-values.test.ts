/**
 * Values that live only in the cluster (a substituteFrom/valuesFrom Secret made at bootstrap, by
 * an ExternalSecret or a SealedSecret): the owner still renders, its variables stay visible
 * placeholders, one warning per source says where the values come from, and a variable that no
 * source can define still fails strict substitution as Flux would.
 */
import { parseClusterValues } from '../../src/core/load/cluster-values.js'
import { defaultGateConfig, evaluateGate } from '../../src/core/gate/index.js'
import { headObjectsOf } from '../../src/core/gate/head-objects.js'
import { Redactor } from '../../src/core/mask/index.js'
import { planChange } from '../../src/core/diff/plan-change.js'
import type { ClusterRender } from '../../src/core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { sopsYaml } from '../support/sops.js'
import { configMap, fluxKs, gotkSync } from './fixtures.js'

const SUBSTITUTE = (sources: string): string => `  postBuild:\n    substitute:\n      ENV: prod\n    substituteFrom:\n${sources}`
const SECRET_SOURCE = '      - kind: Secret\n        name: cluster-secrets\n'

function files(extra: Record<string, string> = {}, sources = SECRET_SOURCE): Record<string, string> {
  return {
    'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
    'clusters/prod/apps.yaml': fluxKs('apps', './apps', SUBSTITUTE(sources)),
    'apps/web.yaml': configMap('web', 'apps', { host: 'web.${CLUSTER_DOMAIN}', env: '${ENV}', dsn: 'postgres://app:${DB_PASSWORD}@db/app' }),
    ...extra,
  }
}

async function render(f: Record<string, string>, opts: Partial<RenderOptions> = {}, revision = 'a'.repeat(40)): Promise<ClusterRender> {
  return (await renderFleet(MemoryTree.fromRecord(f), { revision, paths: ['clusters/prod'], ...opts })).clusters[0]!
}

const web = (c: ClusterRender): unknown => c.objects.find((o) => o.object.metadata.name === 'web')?.object['data']
const bySeverity = (c: ClusterRender, s: string): string[] => c.diagnostics.filter((d) => d.severity === s).map((d) => d.message)

describe('substituteFrom sources that live only in the cluster', () => {
  it('renders with placeholders and one warning saying nothing in the repository makes the Secret', async () => {
    const c = await render(files())
    expect(bySeverity(c, 'error')).toEqual([])
    expect(web(c)).toEqual({ host: 'web.${CLUSTER_DOMAIN}', env: 'prod', dsn: 'postgres://app:${DB_PASSWORD}@db/app' })
    const warnings = c.diagnostics.filter((d) => d.severity === 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatchObject({ code: 'render/cluster-only-values', location: { file: 'clusters/prod/apps.yaml', line: 1 } })
    expect(warnings[0]!.message).toBe(
      'Secret flux-system/cluster-secrets (substituteFrom of Kustomization flux-system/apps) is not in the repository and nothing in it creates it: it lives only in the cluster (made at bootstrap or by hand): ${DB_PASSWORD}, ${CLUSTER_DOMAIN} stay placeholders in Kustomization flux-system/apps. Supply its values under clusterValues in .github/fluxgate.yml, or with --values-file, to render them.',
    )
  })

  it('names the ExternalSecret that creates it, and with the keys it gives, a variable none defines still fails strict mode', async () => {
    const external = `apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: cluster-secrets
  namespace: flux-system
spec:
  secretStoreRef: {kind: ClusterSecretStore, name: vault}
  target: {name: cluster-secrets}
  data:
    - secretKey: CLUSTER_DOMAIN
      remoteRef: {key: prod/cluster, property: domain}
    - secretKey: DB_PASSWORD
      remoteRef: {key: prod/db, property: password}
`
    const infra = { 'clusters/prod/infra.yaml': fluxKs('infra', './infra'), 'infra/external-secret.yaml': external }
    const apps = fluxKs('apps', './apps', `  dependsOn:\n    - name: infra\n${SUBSTITUTE(SECRET_SOURCE)}`)
    const c = await render(files({ ...infra, 'clusters/prod/apps.yaml': apps }))
    expect(bySeverity(c, 'error')).toEqual([])
    expect(bySeverity(c, 'warning')).toEqual([expect.stringContaining('is not in the repository: ExternalSecret flux-system/cluster-secrets (infra/external-secret.yaml:1) creates it in the cluster')])

    const typo = await render(files({ ...infra, 'clusters/prod/apps.yaml': apps, 'apps/typo.yaml': configMap('typo', 'apps', { v: '${CLUSTER_DOMIAN}' }) }))
    expect(typo.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['substitute/failed'])
    expect(bySeverity(typo, 'error')[0]).toContain('variable not set (strict mode): "CLUSTER_DOMIAN"')
  })

  it('names a SOPS-encrypted Secret of the render as an info, its keys known and its values placeholders', async () => {
    const secret = sopsYaml({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cluster-secrets', namespace: 'flux-system' }, stringData: { CLUSTER_DOMAIN: 'example.com', DB_PASSWORD: 'pw-1234567' } }, { encryptedRegex: /^(data|stringData)$/ })
    const secrets = { 'clusters/prod/secrets.yaml': fluxKs('secrets', './secrets', '  decryption:\n    provider: sops\n'), 'secrets/cluster-secrets.sops.yaml': secret }
    const c = await render(files({ ...secrets, 'clusters/prod/apps.yaml': fluxKs('apps', './apps', `  dependsOn:\n    - name: secrets\n${SUBSTITUTE(SECRET_SOURCE)}`) }))
    expect(bySeverity(c, 'error')).toEqual([])
    expect(bySeverity(c, 'warning')).toEqual([])
    expect(c.diagnostics.find((d) => d.code === 'render/encrypted-values')!.message).toContain('is SOPS-encrypted (secrets/cluster-secrets.sops.yaml:1): Flux decrypts it, its values are unknown offline: ${DB_PASSWORD}, ${CLUSTER_DOMAIN} stay placeholders')
    expect(web(c)).toMatchObject({ host: 'web.${CLUSTER_DOMAIN}' })
  })

  it('names a file of the repository that declares the Secret but that the cluster does not apply (bootstrap)', async () => {
    const c = await render(files({ 'bootstrap/cluster-secrets.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  CLUSTER_DOMAIN: replace-me\n  DB_PASSWORD: replace-me\n' }))
    expect(bySeverity(c, 'warning')).toEqual([expect.stringContaining('is declared in bootstrap/cluster-secrets.yaml:1, which no Kustomization of this cluster applies: it is created at bootstrap')])
  })

  it('follows Flux for optional sources: one nothing says exists is skipped, so a variable only it could define fails strict mode', async () => {
    const c = await render(files({}, '      - kind: Secret\n        name: cluster-secrets\n        optional: true\n'))
    expect(c.owners.find((o) => o.ref.name === 'apps')).toMatchObject({ status: 'failed' })
    expect(bySeverity(c, 'error')[0]).toContain('variable not set (strict mode): "DB_PASSWORD"')
    expect(bySeverity(c, 'warning')).toEqual([])
  })

  it('uses values supplied for the cluster, masks those of a Secret, and keeps keys given without values as placeholders', async () => {
    const text = `clusterValues:
  - cluster: prod
    kind: Secret
    namespace: flux-system
    name: cluster-secrets
    data:
      DB_PASSWORD: s3cret-supplied-pw
    keys: [CLUSTER_DOMAIN]
  - cluster: staging
    kind: Secret
    namespace: flux-system
    name: cluster-secrets
    data:
      CLUSTER_DOMAIN: staging.example.com
`
    const { values, diagnostics } = parseClusterValues(text, '.github/fluxgate.yml')
    expect(diagnostics).toEqual([])
    const base = await render(files(), { clusterValues: values })
    expect(web(base)).toEqual({ host: 'web.${CLUSTER_DOMAIN}', env: 'prod', dsn: 'postgres://app:s3cret-supplied-pw@db/app' })
    expect(bySeverity(base, 'warning')).toEqual([])
    expect(bySeverity(base, 'info')).toEqual([expect.stringContaining('has keys supplied without values in .github/fluxgate.yml: ${CLUSTER_DOMAIN} stay placeholders')])
    expect(base.diagnostics.map((d) => d.message).join('\n')).not.toContain('s3cret-supplied-pw')

    const head = await render(files({ 'apps/web.yaml': configMap('web', 'apps', { host: 'www.${CLUSTER_DOMAIN}', env: '${ENV}', dsn: 'postgres://app:${DB_PASSWORD}@db/app' }) }), { clusterValues: values }, 'b'.repeat(40))
    const plan = planChange({ revision: 'a', clusters: [base], diagnostics: [], durationMs: 0 }, { revision: 'b', clusters: [head], diagnostics: [], durationMs: 0 })
    expect(plan.clusters[0]!.changes.map((ch) => ch.fields)).toEqual([[{ path: 'data/host', before: 'web.${CLUSTER_DOMAIN}', after: 'www.${CLUSTER_DOMAIN}' }]])
    expect(JSON.stringify(plan)).not.toContain('s3cret-supplied-pw')
  })

  it('takes a placeholder like a masked value: no schema or name check judges it, at render or in the gate', async () => {
    const deploy = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  replicas: ${REPLICAS}\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "ghcr.io/acme/web:${TAG}"}]\n'
    const hr = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  interval: ${INTERVAL}\n  chart:\n    spec:\n      chart: web\n      sourceRef: {kind: HelmRepository, name: charts}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: 1h\n  url: https://charts.example.com\n'
    const base = await render(files({ 'apps/deploy.yaml': deploy.replace('${TAG}', '1.0'), 'apps/hr.yaml': hr }))
    const head = await render(files({ 'apps/deploy.yaml': deploy.replace('${TAG}', '1.1'), 'apps/hr.yaml': hr }), {}, 'b'.repeat(40))
    expect(bySeverity(head, 'error')).toEqual([])
    const headFleet = { revision: 'b'.repeat(40), clusters: [head], diagnostics: [], durationMs: 0 }
    const plan = planChange({ revision: 'a'.repeat(40), clusters: [base], diagnostics: [], durationMs: 0 }, headFleet)
    const verdict = evaluateGate({ plan, config: defaultGateConfig(), approvals: [], headSha: plan.head.sha, changedFiles: ['apps/deploy.yaml'], headObjects: headObjectsOf(headFleet, new Redactor([])) })
    expect(verdict.findings.filter((f) => f.ruleId === 'invalid-object')).toEqual([])
    expect(verdict.conclusion).toBe('success')
  })

  it('does not take a placeholder in a name for an invalid name', async () => {
    const c = await render(files({ 'apps/named.yaml': configMap('app-${CLUSTER_DOMAIN}', 'apps', { a: 'b' }) }))
    expect(bySeverity(c, 'error')).toEqual([])
    expect(c.objects.map((o) => o.object.metadata.name)).toContain('app-${CLUSTER_DOMAIN}')
  })
})

describe('valuesFrom sources that live only in the cluster', () => {
  it('no longer fails the HelmRelease: the placeholder lands at targetPath, and the message names the ExternalSecret and its keys when a key is missing', async () => {
    const external = 'apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata:\n  name: db\n  namespace: apps\nspec:\n  secretStoreRef: {kind: SecretStore, name: vault}\n  data:\n    - secretKey: password\n      remoteRef: {key: db}\n'
    const release = (key: string): string => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: web
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: web
      version: 1.0.0
      sourceRef: {kind: HelmRepository, name: charts}
  valuesFrom:
    - kind: Secret
      name: db
      valuesKey: ${key}
      targetPath: db.password
`
    const repo = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: 1h\n  url: https://charts.example.com\n'
    const f = (key: string): Record<string, string> => ({ 'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'), 'clusters/prod/apps.yaml': fluxKs('apps', './apps'), 'apps/external.yaml': external, 'apps/repo.yaml': repo, 'apps/release.yaml': release(key) })
    const ok = await render(f('password'))
    const hr = ok.owners.find((o) => o.ref.kind === 'HelmRelease')!
    expect(hr.status).toBe('values-only')
    expect(hr.helm!.values).toEqual({ db: { password: '${Secret/db:password}' } })
    expect(bySeverity(ok, 'error')).toEqual([])
    expect(ok.diagnostics.filter((d) => d.code === 'render/cluster-only-values').map((d) => d.message)).toEqual([
      'Secret apps/db (valuesFrom of HelmRelease apps/web) is not in the repository: ExternalSecret apps/db (apps/external.yaml:1) creates it in the cluster: db.password of HelmRelease apps is the placeholder ${Secret/db:password}. Supply its values under clusterValues in .github/fluxgate.yml, or with --values-file, to render them.',
    ])
    const missing = await render(f('token'))
    expect(bySeverity(missing, 'error')).toEqual(["valuesFrom Secret apps/db has no key 'token': ExternalSecret apps/db gives it keys 'password'"])
  })
})

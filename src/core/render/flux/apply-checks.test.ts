import type { ClusterRender, RenderedOwner } from '../../model/render-result.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { renderFleet } from '../render-fleet.js'

// Every Kustomization that Flux would fail to apply fails as a unit: status failed, Flux's
// message as its note, none of its objects rendered, a located error (issues #20, #21).

const gotk = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/example/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`

function ks(name: string, path: string, extra: Record<string, unknown> = {}, drop: string[] = []): string {
  const spec: Record<string, unknown> = { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...extra }
  for (const k of drop) delete spec[k]
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec: ${JSON.stringify(spec)}\n`
}

const cm = (name: string, ns: string | undefined, data: Record<string, string> = { a: '1' }): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}data: ${JSON.stringify(data)}\n`

async function render(files: Record<string, string>): Promise<ClusterRender> {
  const r = await renderFleet(MemoryTree.fromRecord({ 'clusters/prod/flux-system/gotk-sync.yaml': gotk, ...files }), { revision: 'abc', paths: ['clusters/prod'] }, {})
  return r.clusters[0]!
}

function owner(c: ClusterRender, name: string): RenderedOwner {
  return c.owners.find((o) => o.ref.name === name)!
}

const objectsOf = (c: ClusterRender, name: string): string[] => c.objects.filter((o) => o.owner.name === name).map((o) => `${o.object.kind}/${o.object.metadata.name}`)
const errorsOf = (c: ClusterRender, name: string) => c.diagnostics.filter((d) => d.severity === 'error' && d.owner === `Kustomization/flux-system/${name}`)

describe('a Kustomization Flux would fail to apply', () => {
  it('fails when a Kustomization it applies lacks prune, with a located error naming the field', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps', {}, ['prune']),
      'clusters/prod/infra.yaml': ks('infra', './infra'),
      'apps/cm.yaml': cm('app', 'default'),
      'infra/cm.yaml': cm('infra', 'default'),
    })
    expect(owner(c, 'flux-system')).toMatchObject({ status: 'failed', note: 'apply failed: Kustomization/flux-system/apps dry-run failed (Invalid): Kustomization.kustomize.toolkit.fluxcd.io "apps" is invalid: spec.prune: Required value' })
    expect(errorsOf(c, 'flux-system')).toEqual([expect.objectContaining({ code: 'render/invalid-flux-object', location: { file: 'clusters/prod/apps.yaml', line: 1 }, message: expect.stringContaining('spec.prune: Required value') })])
    // Nothing of the failed apply exists: not its objects, nor the Kustomizations it would have created.
    expect(c.objects).toEqual([])
    expect(c.owners.map((o) => o.ref.name)).toEqual(['flux-system'])
  })

  it('fails on a HelmChart sourceRef.namespace and a v2 HelmRelease without interval', async () => {
    const c = await render({
      'clusters/prod/charts.yaml': ks('charts', './charts'),
      'clusters/prod/ok.yaml': ks('ok', './ok'),
      'charts/chart.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmChart\nmetadata: {name: podinfo, namespace: flux-system}\nspec: {interval: 10m, chart: podinfo, sourceRef: {kind: HelmRepository, name: podinfo, namespace: other}}\n',
      'charts/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: flux-system}\nspec: {chartRef: {kind: HelmChart, name: podinfo}}\n',
      'ok/cm.yaml': cm('fine', 'default'),
    })
    expect(owner(c, 'charts')).toMatchObject({ status: 'failed', note: expect.stringMatching(/^apply failed: HelmChart\/flux-system\/podinfo dry-run failed \(BadRequest\): .*\.spec\.sourceRef\.namespace: field not declared in schema$/) })
    expect(errorsOf(c, 'charts').map((d) => [d.code, d.location?.file, d.message.slice(0, d.message.indexOf(': the API'))])).toEqual([
      ['render/invalid-flux-object', 'charts/chart.yaml', 'HelmChart/flux-system/podinfo: .spec.sourceRef.namespace: field not declared in schema'],
      ['render/invalid-flux-object', 'charts/release.yaml', 'HelmRelease/flux-system/podinfo: spec.interval: Required value'],
    ])
    expect(objectsOf(c, 'charts')).toEqual([])
    expect(c.owners.some((o) => o.ref.kind === 'HelmRelease')).toBe(false)
    expect(objectsOf(c, 'ok')).toEqual(['ConfigMap/fine'])
  })

  it('fails when two objects get the same name only after postBuild substitution (id matched)', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps', { postBuild: { substitute: { A: '1', B: '1' } } }),
      'apps/a.yaml': cm('cm-${A}', 'default'),
      'apps/b.yaml': cm('cm-${B}', 'default'),
    })
    expect(owner(c, 'apps')).toMatchObject({ status: 'failed', note: 'apply failed: in Replace: id matched 2 resources' })
    expect(errorsOf(c, 'apps')).toEqual([expect.objectContaining({ code: 'render/duplicate-id', location: { file: 'apps/b.yaml', line: 1 } })])
    expect(objectsOf(c, 'apps')).toEqual([])
  })

  it('fails when substitution makes two Certificates SECRET-staging: a duplicate id and an invalid name', async () => {
    const cert = (name: string) => `apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: "${name}", namespace: apps}\nspec: {secretName: x, issuerRef: {name: ca}}\n`
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps', { postBuild: { substitute: { SECRET: 'SECRET', ENV: 'staging' } } }),
      'apps/one.yaml': cert('${SECRET}-${ENV}'),
      'apps/two.yaml': cert('SECRET-${ENV}'),
    })
    expect(owner(c, 'apps').status).toBe('failed')
    expect(errorsOf(c, 'apps').map((d) => [d.code, d.location?.file])).toEqual([
      ['render/duplicate-id', 'apps/two.yaml'],
      ['render/invalid-name', 'apps/one.yaml'],
      ['render/invalid-name', 'apps/two.yaml'],
    ])
    expect(errorsOf(c, 'apps')[1]!.message).toContain('metadata.name: Invalid value: "SECRET-staging": a lowercase RFC 1123 subdomain')
  })

  it('locates objects renamed by substitution at the file that declares them', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps', { postBuild: { substitute: { APP: 'web' } } }),
      'apps/cm.yaml': `# settings\n${cm('cm-${APP}', 'default')}`,
    })
    expect(owner(c, 'apps').status).toBe('rendered')
    expect(c.objects.find((o) => o.object.metadata.name === 'cm-web')?.source).toEqual({ file: 'apps/cm.yaml', line: 2 })
  })

  it('fails on a label value the API server rejects', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps', { commonMetadata: { labels: { team: 'platform team' } } }),
      'apps/cm.yaml': cm('app', 'default'),
    })
    expect(owner(c, 'apps')).toMatchObject({ status: 'failed', note: expect.stringContaining('ConfigMap "app" is invalid: metadata.labels: Invalid value: "platform team"') })
    expect(errorsOf(c, 'apps').map((d) => d.code)).toEqual(['render/invalid-name'])
    expect(objectsOf(c, 'apps')).toEqual([])
  })

  it('fails when an object has no namespace and the Kustomization no targetNamespace (K-16a)', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/a.yaml': cm('with-ns', 'default'),
      'apps/b.yaml': cm('without-ns', undefined),
    })
    expect(owner(c, 'apps')).toMatchObject({ status: 'failed', note: 'apply failed: ConfigMap/without-ns namespace not specified: the server could not find the requested resource' })
    expect(errorsOf(c, 'apps')).toEqual([expect.objectContaining({ code: 'render/namespace-missing', location: { file: 'apps/b.yaml', line: 1 } })])
    expect(objectsOf(c, 'apps')).toEqual([])
  })

  it('fails when a SOPS Secret cannot be decrypted (no decryption configured, K-17)', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/cm.yaml': cm('app', 'default'),
      'apps/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\ndata: {password: RU5DW0FFUzI1Nl9HQ00sZGF0YTp4eF0=}\nsops: {mac: "ENC[AES256_GCM,data:abc]", version: 3.9.0}\n',
    })
    expect(owner(c, 'apps')).toMatchObject({ status: 'failed', note: 'apply failed: Secret/default/db is SOPS encrypted, configuring decryption is required for this secret to be reconciled' })
    expect(errorsOf(c, 'apps')).toEqual([expect.objectContaining({ code: 'render/sops-not-decrypted', location: { file: 'apps/secret.yaml', line: 1 } })])
    expect(objectsOf(c, 'apps')).toEqual([])
  })

  it('fails when a Flux kind uses a version Flux never served (V-1)', async () => {
    const c = await render({
      'clusters/prod/apps.yaml': ks('apps', './apps'),
      'apps/ks.yaml': ks('child', './child').replace('kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v3'),
      'apps/cm.yaml': cm('app', 'default'),
    })
    expect(owner(c, 'apps')).toMatchObject({ status: 'failed', note: 'apply failed: Kustomization/flux-system/child dry-run failed: no matches for kind "Kustomization" in version "kustomize.toolkit.fluxcd.io/v3"' })
    expect(errorsOf(c, 'apps').map((d) => d.code)).toEqual(['render/unknown-api-version'])
    expect(objectsOf(c, 'apps')).toEqual([])
  })
})

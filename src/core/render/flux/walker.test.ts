import { MemoryTree } from '../../tree/memory-tree.js'
import { collectSecretValues, maskRenderedObject, Redactor } from '../../mask/index.js'
import { renderFleet } from '../render-fleet.js'
import type { ClusterRender } from '../../model/render-result.js'

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

function ks(name: string, path: string, extra: Record<string, unknown> = {}): string {
  const spec = { interval: '10m', path, prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...extra }
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: ${JSON.stringify(spec)}\n`
}

const cm = (name: string, ns: string, data: Record<string, string>): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: ${ns}}\ndata: ${JSON.stringify(data)}\n`

async function render(files: Record<string, string>, repoUrl?: string): Promise<ClusterRender> {
  const r = await renderFleet(MemoryTree.fromRecord(files), { revision: 'abc', paths: ['clusters/prod'], ...(repoUrl ? { repoUrl } : {}) }, {})
  return r.clusters[0]!
}

const names = (c: ClusterRender): string[] => c.objects.map((o) => `${o.owner.name}:${o.object.kind}/${o.object.metadata.name}`)
const errors = (c: ClusterRender): string[] => c.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)

describe('fleet walk', () => {
  it('follows Kustomizations to any depth in dependsOn order, with parents, flags and locations', async () => {
    const c = await render({
      'clusters/prod/flux-system/gotk-sync.yaml': gotk,
      'clusters/prod/apps.yaml': ks('apps', './apps', { dependsOn: [{ name: 'infra' }], suspend: true }),
      'clusters/prod/infra.yaml': ks('infra', './infra', { prune: false }),
      'infra/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n',
      'infra/nested.yaml': ks('nested', './nested'),
      'nested/cm.yaml': cm('deep', 'web', { a: '1' }),
      'apps/cm.yaml': cm('app', 'web', { b: '2' }),
    })
    expect(errors(c)).toEqual([])
    expect(c.owners.map((o) => o.ref.name)).toEqual(['flux-system', 'infra', 'apps', 'nested'])
    const byName = Object.fromEntries(c.owners.map((o) => [o.ref.name, o]))
    expect(byName['flux-system']!.parent).toBeUndefined()
    expect(byName['nested']).toMatchObject({ parent: { kind: 'Kustomization', namespace: 'flux-system', name: 'infra' }, status: 'rendered', prune: true, location: { file: 'infra/nested.yaml', line: 1 } })
    expect(byName['infra']!.prune).toBe(false)
    expect(byName['apps']).toMatchObject({ suspended: true, dependsOn: [{ kind: 'Kustomization', namespace: 'flux-system', name: 'infra' }] })
    expect(names(c)).toContain('nested:ConfigMap/deep')
    const deep = c.objects.find((o) => o.object.metadata.name === 'deep')!
    expect(deep.source).toEqual({ file: 'nested/cm.yaml', line: 1 })
    expect(deep.object.metadata.labels).toEqual({ 'kustomize.toolkit.fluxcd.io/name': 'nested', 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' })
  })

  it('substitutes from a ConfigMap another Kustomization renders (S-4) and applies targetNamespace', async () => {
    const c = await render({
      'clusters/prod/vars.yaml': ks('vars', './vars'),
      'clusters/prod/app.yaml': ks('app', './app', { targetNamespace: 'team', dependsOn: [{ name: 'vars' }], postBuild: { substituteFrom: [{ kind: 'ConfigMap', name: 'cluster-vars' }] } }),
      'vars/cm.yaml': cm('cluster-vars', 'flux-system', { env: 'prod' }),
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  env: ${env}\n  cost: $${notavar}\n',
    })
    expect(errors(c)).toEqual([])
    const settings = c.objects.find((o) => o.object.metadata.name === 'settings')!.object
    expect(settings.metadata.namespace).toBe('team')
    expect(settings['data']).toEqual({ env: 'prod', cost: '${notavar}' })
  })

  it('substitutes Secret values and records them on the owner, so every view of the object masks them', async () => {
    const c = await render({
      'clusters/prod/vars.yaml': ks('vars', './vars'),
      'clusters/prod/app.yaml': ks('app', './app', { dependsOn: [{ name: 'vars' }], postBuild: { substituteFrom: [{ kind: 'Secret', name: 'creds' }] } }),
      'vars/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata: {name: creds, namespace: flux-system}\nstringData: {token: supersecret-123}\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: uses, namespace: default}\ndata: {auth: "Bearer ${token}", plain: "x"}\n',
    })
    expect(errors(c)).toEqual([])
    const o = c.objects.find((x) => x.object.metadata.name === 'uses')!
    expect(o.object['data']).toEqual({ auth: 'Bearer supersecret-123', plain: 'x' })
    expect(c.owners.find((x) => x.ref.name === 'app')!.secretValues).toContain('supersecret-123')
    const shown = maskRenderedObject(o, new Redactor(collectSecretValues([{ revision: 'r', clusters: [c], diagnostics: [], durationMs: 0 }])))
    expect(shown['data']).toEqual({ auth: 'Bearer ***', plain: 'x' })
  })

  it('reports missing paths and broken YAML with locations, and renders the rest', async () => {
    const c = await render({
      'clusters/prod/a.yaml': ks('gone', './does/not/exist'),
      'clusters/prod/b.yaml': ks('broken', './broken'),
      'clusters/prod/c.yaml': ks('fine', './fine'),
      'broken/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x\n',
      'fine/cm.yaml': cm('ok', 'default', {}),
    })
    const byName = Object.fromEntries(c.owners.map((o) => [o.ref.name, o]))
    expect(byName['gone']!.status).toBe('failed')
    expect(byName['broken']!.status).toBe('failed')
    expect(byName['fine']!.status).toBe('rendered')
    expect(c.diagnostics.find((d) => d.code === 'render/path-not-found')).toMatchObject({ owner: 'Kustomization/flux-system/gone', cluster: 'prod' })
    expect(c.diagnostics.find((d) => d.code === 'kustomize/not-kubernetes-yaml')?.location).toMatchObject({ file: 'broken/x.yaml' })
    expect(names(c)).toContain('fine:ConfigMap/ok')
  })

  it('clamps a path that climbs out of the artifact at its root (K-1)', async () => {
    const c = await render({ 'clusters/prod/a.yaml': ks('up', '../../../clusters/prod/sub'), 'clusters/prod/sub/cm.yaml': cm('inside', 'default', {}) })
    expect(names(c)).toContain('up:ConfigMap/inside')
  })

  it('detects Kustomization cycles and does not follow them', async () => {
    const c = await render({
      'clusters/prod/a.yaml': ks('a', './a'),
      'a/b.yaml': ks('b', './b'),
      'b/a.yaml': ks('a', './a'),
    })
    expect(c.diagnostics.find((d) => d.code === 'render/cycle')).toMatchObject({ severity: 'error', owner: 'Kustomization/flux-system/b' })
    expect(c.owners.map((o) => o.ref.name)).toEqual(['flux-system', 'a', 'b'])
  })

  it('reports dependsOn cycles and missing dependencies but still renders the members', async () => {
    const c = await render({
      'clusters/prod/a.yaml': ks('a', './x', { dependsOn: [{ name: 'b' }] }),
      'clusters/prod/b.yaml': ks('b', './x', { dependsOn: [{ name: 'a' }, { name: 'ghost' }] }),
      'x/cm.yaml': cm('x', 'default', {}),
    })
    expect(c.diagnostics.map((d) => d.code).sort()).toEqual(['cluster/root-synthesised', 'render/dependency-cycle', 'render/dependency-missing', 'render/duplicate-object'])
    expect(c.owners.filter((o) => o.status === 'rendered').map((o) => o.ref.name)).toEqual(['flux-system', 'a', 'b'])
  })

  it('marks sources outside the repository as external and does not render them', async () => {
    const other = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: other, namespace: flux-system}\nspec: {interval: 1m, url: https://github.com/someone/else}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: oci, namespace: flux-system}\nspec: {interval: 1m, url: oci://ghcr.io/x/y}\n`
    const c = await render({
      'clusters/prod/sources.yaml': other,
      'clusters/prod/x.yaml': ks('x', './', { sourceRef: { kind: 'GitRepository', name: 'other' } }),
      'clusters/prod/y.yaml': ks('y', './', { sourceRef: { kind: 'OCIRepository', name: 'oci' } }),
    })
    const byName = Object.fromEntries(c.owners.map((o) => [o.ref.name, o]))
    expect(byName['x']).toMatchObject({ status: 'external' })
    expect(byName['y']).toMatchObject({ status: 'external' })
    expect(errors(c)).toEqual([])
  })

  it('recognises a GitRepository of this repository by its URL and honours its spec.ignore', async () => {
    const c = await render(
      {
        'clusters/prod/src.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: mine, namespace: flux-system}\nspec: {interval: 1m, url: "ssh://git@GitHub.com/example/fleet.git", ignore: "skip/\\n"}\n`,
        'clusters/prod/x.yaml': ks('x', './app', { sourceRef: { kind: 'GitRepository', name: 'mine' } }),
        'app/cm.yaml': cm('kept', 'default', {}),
        'app/skip/values.yaml': 'not: kubernetes\n',
      },
      'https://github.com/example/fleet',
    )
    expect(errors(c)).toEqual([])
    expect(names(c)).toContain('x:ConfigMap/kept')
  })

  it('mounts include artifacts at toPath before the including repository\'s ignore rules (G-5)', async () => {
    const repos = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: shared, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/example/fleet, ignore: "/*\\n!/lib/\\n"}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: main, namespace: flux-system}
spec:
  interval: 1m
  url: https://github.com/example/fleet
  include: [{repository: {name: shared}, fromPath: lib/common, toPath: vendor/common}]
`
    const c = await render(
      {
        'clusters/prod/repos.yaml': repos,
        'clusters/prod/x.yaml': ks('x', './app', { sourceRef: { kind: 'GitRepository', name: 'main' } }),
        'app/kustomization.yaml': 'resources: [../vendor/common]\n',
        'lib/common/kustomization.yaml': 'resources: [cm.yaml]\n',
        'lib/common/cm.yaml': cm('common', 'default', {}),
      },
      'https://github.com/example/fleet',
    )
    expect(errors(c)).toEqual([])
    expect(names(c)).toContain('x:ConfigMap/common')
  })

  it('reports a kustomization resource that leaves the repository, located, and renders the rest', async () => {
    const c = await render({
      'clusters/prod/x.yaml': ks('x', './app'),
      'clusters/prod/y.yaml': ks('y', './ok'),
      'app/kustomization.yaml': 'resources: [../../../etc/passwd]\n',
      'ok/cm.yaml': cm('fine', 'default', {}),
    })
    const d = c.diagnostics.find((x) => x.owner === 'Kustomization/flux-system/x' && x.severity === 'error')
    expect(d?.code).toBe('kustomize/outside-root')
    expect(d?.location?.file).toBeDefined()
    expect(names(c)).toContain('y:ConfigMap/fine')
  })

  it('renders ExternalArtifacts built by an ArtifactGenerator (flux2.7 layout)', async () => {
    const gen = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: {name: gen, namespace: flux-system}
spec:
  sources: [{alias: mono, kind: GitRepository, name: flux-system}]
  artifacts:
    - name: apps
      copy:
        - {from: "@mono/apps/base/**", to: "@artifact/base/"}
        - {from: "@mono/apps/prod/**", to: "@artifact/prod/"}
`
    const c = await render({
      'clusters/prod/gen.yaml': gen,
      'clusters/prod/apps.yaml': ks('apps', './prod', { sourceRef: { kind: 'ExternalArtifact', name: 'apps' } }),
      'apps/base/cm.yaml': cm('base', 'default', {}),
      'apps/base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'apps/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
    })
    expect(errors(c)).toEqual([])
    expect(names(c)).toContain('apps:ConfigMap/prod-base')
  })
})

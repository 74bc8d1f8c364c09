import type { SourceLocation } from '../../src/core/diagnostics/diagnostic.js'
import type { ClusterRender } from '../../src/core/model/render-result.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { describeWith } from '../support/components.js'
import { configMap, fluxKs, gotkSync, helmRelease } from './fixtures.js'
import { chartFiles, fleet, HELM } from './support.js'

async function render(files: Record<string, string>, opts: { repoUrl?: string; helm?: HelmCli } = {}): Promise<ClusterRender> {
  const r = await renderFleet(fleet(files), { revision: 'head', paths: ['clusters/prod'], ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}) }, opts.helm ? { helm: opts.helm } : {})
  const c = r.clusters[0]!
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
  return c
}

/** Where each object of the render points: `Kind/namespace/name` → location. */
function sources(c: ClusterRender): Map<string, SourceLocation | undefined> {
  return new Map(c.objects.map((o) => [`${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`, o.source]))
}

const deployment = (name: string, namespace?: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  replicas: 1\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      containers: [{name: app, image: "nginx:1.27"}]\n`

describe('object provenance through a Flux build', () => {
  it('attributes a Deployment from ../base to the base file, not to another file declaring the same kind and name', async () => {
    const c = await render({
      'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
      'clusters/prod/apps.yaml': fluxKs('apps', './apps/prod'),
      'clusters/prod/tools.yaml': fluxKs('tools', './tools/prod', '  targetNamespace: tools\n'),
      'apps/base/kustomization.yaml': 'resources:\n- service-account.yaml\n- deployment.yaml\n',
      'apps/base/service-account.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n',
      'apps/base/deployment.yaml': `# The web front end.\n\n${deployment('web')}`,
      'apps/prod/kustomization.yaml': 'namespace: prod\nresources:\n- ../base\n',
      // Unrelated files that declare the same object, in the namespace it ends up in.
      'docs/example.yaml': deployment('web', 'prod'),
      'apps/prod/README.yaml': deployment('web', 'prod'),
      // A rename on the way: the base file still declares `web`.
      'tools/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'tools/base/deployment.yaml': deployment('web'),
      'tools/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
      'tools/prod/deployment.yaml': deployment('prod-web', 'tools'),
    })
    const at = sources(c)
    expect(at.get('Deployment/prod/web')).toEqual({ file: 'apps/base/deployment.yaml', line: 3 })
    expect(at.get('ServiceAccount/prod/web')).toEqual({ file: 'apps/base/service-account.yaml', line: 1 })
    expect(at.get('Deployment/tools/prod-web')).toEqual({ file: 'tools/base/deployment.yaml', line: 1 })
  })

  it('points a generated Secret at its generator entry in the file as written, even when Flux rewrites that kustomization', async () => {
    const kustomization = [
      '# Generated objects for the app.',
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - cm.yaml',
      'secretGenerator:',
      '  - name: token',
      '    literals: [token=not-a-secret]',
      'configMapGenerator:',
      '  - name: settings',
      '    literals: [LOG=info]',
      '',
    ].join('\n')
    const c = await render({
      'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
      // Flux writes namePrefix, images and patches into the kustomization before building (K-7 … K-10).
      'clusters/prod/app.yaml': fluxKs('app', './app', '  targetNamespace: app\n  namePrefix: x-\n  images: [{name: nginx, newTag: "1.28"}]\n  patches:\n    - patch: |\n        apiVersion: v1\n        kind: ConfigMap\n        metadata: {name: plain, namespace: app}\n        data: {b: "2"}\n'),
      'app/kustomization.yaml': kustomization,
      'app/cm.yaml': configMap('plain', 'app', { a: '1' }),
    })
    const generated = c.objects.filter((o) => o.object.kind === 'Secret' || o.object.metadata.name.startsWith('x-settings-'))
    expect(generated.map((o) => [o.object.metadata.name.replace(/-\w{10}$/, ''), o.source])).toEqual([
      ['x-settings', { file: 'app/kustomization.yaml', line: 10, via: 'configMapGenerator' }],
      ['x-token', { file: 'app/kustomization.yaml', line: 7, via: 'secretGenerator' }],
    ])
    expect(sources(c).get('ConfigMap/app/x-plain')).toEqual({ file: 'app/cm.yaml', line: 1 })
  })

  it('ignores a golden file that declares the generated Secret by its hashed name', async () => {
    const files = {
      'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
      'clusters/prod/app.yaml': fluxKs('app', './app', '  targetNamespace: app\n'),
      'app/kustomization.yaml': 'secretGenerator:\n- name: token\n  literals: [token=x]\n',
    }
    const first = await render(files)
    const name = first.objects[0]!.object.metadata.name
    const c = await render({ ...files, 'testdata/golden.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: app\n` })
    expect(c.objects.filter((o) => o.object.kind === 'Secret').map((o) => o.source)).toEqual([{ file: 'app/kustomization.yaml', line: 2, via: 'secretGenerator' }])
  })

  it('keeps the file:line of objects whose name and namespace come from postBuild substitution', async () => {
    const c = await render({
      'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
      'clusters/prod/app.yaml': fluxKs('app', './app', '  postBuild:\n    substitute: {APP: web, NS: team}\n'),
      'app/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${NS}\n',
      'app/cm.yaml': '---\n# settings of ${APP}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${APP}\n  namespace: ${NS}\ndata: {a: "1"}\n',
    })
    const at = sources(c)
    expect(at.get('ConfigMap/team/cm-web')).toEqual({ file: 'app/cm.yaml', line: 3 })
    expect(at.get('Namespace//team')).toEqual({ file: 'app/namespace.yaml', line: 1 })
  })

  it('maps objects of an included repository and of an ExternalArtifact back to repository paths', async () => {
    const repos = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: shared, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/example/fleet}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: main, namespace: flux-system}
spec:
  interval: 1m
  url: https://github.com/example/fleet
  include: [{repository: {name: shared}, fromPath: lib/common, toPath: vendor/common}]
---
apiVersion: source.extensions.fluxcd.io/v1beta1
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
    const c = await render(
      {
        'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
        'clusters/prod/repos.yaml': repos,
        'clusters/prod/vendored.yaml': fluxKs('vendored', './app').replace('name: flux-system}', 'name: main}').replace('{kind: GitRepository, name: flux-system}', '{kind: GitRepository, name: main}'),
        'clusters/prod/apps.yaml': fluxKs('apps', './prod').replace('{kind: GitRepository, name: flux-system}', '{kind: ExternalArtifact, name: apps}'),
        'app/kustomization.yaml': 'resources: [../vendor/common]\n',
        'lib/common/kustomization.yaml': 'resources: [cm.yaml]\n',
        'lib/common/cm.yaml': configMap('common', 'default', {}),
        'apps/base/kustomization.yaml': 'resources: [cm.yaml]\n',
        'apps/base/cm.yaml': `---\n${configMap('base', 'default', {})}`,
        'apps/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\n',
      },
      { repoUrl: 'https://github.com/example/fleet' },
    )
    const at = sources(c)
    expect(at.get('ConfigMap/default/common')).toEqual({ file: 'lib/common/cm.yaml', line: 1 })
    expect(at.get('ConfigMap/default/prod-base')).toEqual({ file: 'apps/base/cm.yaml', line: 2 })
  })

  it('locates a finding about one built object by where it was read, not by its name', async () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: app\nstringData:\n  token: ENC[AES256_GCM,data:abc,type:str]\nsops:\n  mac: ENC[AES256_GCM,data:def,type:str]\n  version: 3.8.1\n'
    const r = await renderFleet(
      fleet({
        'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
        'clusters/prod/app.yaml': fluxKs('app', './app/prod'),
        'app/base/kustomization.yaml': 'resources: [secret.yaml]\n',
        'app/base/secret.yaml': `# encrypted with sops\n${secret}`,
        'app/prod/kustomization.yaml': 'resources: [../base]\n',
        'app/prod/secret.yaml': secret,
      }),
      { revision: 'head', paths: ['clusters/prod'] },
    )
    const d = r.clusters[0]!.diagnostics.find((x) => x.code === 'render/sops-not-decrypted')
    expect(d?.location).toEqual({ file: 'app/base/secret.yaml', line: 2 })
  })
})

describeWith(['helm'], 'chart object provenance with the real helm', () => {
  const helm = new HelmCli({ helmPath: HELM })

  it('points chart objects at their HelmRelease and names the chart template, through a post-renderer that deletes one', async () => {
    const files: Record<string, string> = {
      'clusters/prod/flux-system/gotk-sync.yaml': gotkSync('prod'),
      'clusters/prod/release.yaml': `# the web release\n${helmRelease(
        'web',
        'flux-system',
        '  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef: {kind: GitRepository, name: flux-system}\n',
        '  postRenderers:\n    - kustomize:\n        patches:\n          - patch: |\n              $patch: delete\n              apiVersion: v1\n              kind: Service\n              metadata: {name: web, namespace: flux-system}\n',
      )}`,
    }
    for (const [p, t] of Object.entries(chartFiles('web', '0.4.0'))) files[`charts/web/${p}`] = t
    files['charts/web/templates/extra.yaml'] = '# a second object after the deleted one\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-extra\n'
    const c = await render(files, { helm })
    const chartObjects = c.objects.filter((o) => o.owner.kind === 'HelmRelease')
    expect(chartObjects.map((o) => [`${o.object.kind}/${o.object.metadata.name}`, o.source]).sort()).toEqual([
      ['ConfigMap/web-extra', { file: 'clusters/prod/release.yaml', line: 2, via: 'chart web 0.4.0 templates/extra.yaml' }],
      ['CustomResourceDefinition/widgets.example.com', { file: 'clusters/prod/release.yaml', line: 2, via: 'chart web 0.4.0 crds/widgets.yaml' }],
      ['Deployment/web', { file: 'clusters/prod/release.yaml', line: 2, via: 'chart web 0.4.0 templates/deployment.yaml' }],
    ])
  })
})

import { renderFlow } from '../../../flows/render.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { renderFleet } from '../render-fleet.js'
import { instanceRoot } from './root.js'

const gitRepo = (name: string, url = 'https://github.com/acme/fleet'): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  url: ${url}\n  ref:\n    branch: main\n`
const ks = (name: string, path: string, source = 'flux-system', extra = ''): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: ${source}\n${extra}`
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: default\ndata:\n  a: "1"\n`

// A Secret as `sops --encrypt --encrypted-regex '^(data|stringData)$'` writes it.
const SOPS_SECRET = `apiVersion: v1
kind: Secret
metadata:
    name: s
    namespace: default
type: Opaque
stringData:
    password: ENC[AES256_GCM,data:Tk9UQVJFQUxWQUxVRQ==,iv:MTIzNDU2Nzg5MDEyMzQ1Ng==,tag:YWJjZGVmZ2hpamtsbW5vcA==,type:str]
sops:
    age:
        - recipient: age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
          enc: |
            -----BEGIN AGE ENCRYPTED FILE-----
            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBub3RhcmVhbGtleQo=
            -----END AGE ENCRYPTED FILE-----
    lastmodified: "2024-05-01T10:00:00Z"
    mac: ENC[AES256_GCM,data:bWFjbWFjbWFj,iv:aXZpdml2aXZpdml2aXZpdg==,tag:dGFndGFndGFndGFndGFnIQ==,type:str]
    encrypted_regex: ^(data|stringData)$
    version: 3.8.1
`

describe('the root of a cluster, as written in Git', () => {
  it('is gotk-sync.yaml\'s Kustomization with its decryption: a SOPS Secret in the cluster folder renders, masked', async () => {
    const decryption = '  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n'
    const tree = MemoryTree.fromRecord({
      'clusters/c/flux-system/gotk-sync.yaml': `${gitRepo('flux-system')}---\n${ks('flux-system', './clusters/c', 'flux-system', decryption)}`,
      'clusters/c/flux-system/kustomization.yaml': 'resources: [gotk-sync.yaml]\n',
      'clusters/c/secret.yaml': SOPS_SECRET,
    })
    const r = await renderFlow({ tree, origin: { kind: 'local' }, revision: 'abc' })
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    const c = r.fleet.clusters[0]!
    expect(c.root).toEqual({ from: 'bootstrap', kustomization: { kind: 'Kustomization', namespace: 'flux-system', name: 'flux-system' }, source: { kind: 'GitRepository', namespace: 'flux-system', name: 'flux-system' }, location: { file: 'clusters/c/flux-system/gotk-sync.yaml', line: 12 } })
    expect(c.owners.map((o) => o.ref.name)).toEqual(['flux-system'])
    expect(c.owners[0]!.object['spec']).toMatchObject({ decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } })
    const root = r.objects.find((o) => o.object.kind === 'Kustomization')!
    expect(root.object['spec']).toMatchObject({ decryption: { provider: 'sops' } })
    const secret = r.objects.find((o) => o.object.kind === 'Secret')!
    expect(JSON.stringify(secret.object)).not.toContain('ENC[AES256_GCM,data:Tk9U')
    expect(secret.object['data']).toEqual({ password: '***' })
  })

  it('keeps the root\'s name, namespace and source name; a root named otherwise applies itself once, owned by itself (no cycle, no second owner)', async () => {
    const tree = MemoryTree.fromRecord({
      'clusters/c/flux-system/gotk-sync.yaml': `${gitRepo('fleet')}---\n${ks('cluster', './clusters/c', 'fleet')}`,
      'clusters/c/apps.yaml': ks('apps', './apps', 'fleet'),
      'apps/cm.yaml': cm('app'),
    })
    const r = await renderFleet(tree, { revision: 'abc', paths: ['clusters/c'] })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(c.owners.map((o) => [o.ref.name, o.status, o.parent?.name])).toEqual([
      ['cluster', 'rendered', undefined],
      ['apps', 'rendered', 'cluster'],
    ])
    const selves = c.objects.filter((o) => o.object.kind === 'Kustomization' && o.object.metadata.name === 'cluster')
    expect(selves.map((o) => o.owner)).toEqual([{ kind: 'Kustomization', namespace: 'flux-system', name: 'cluster' }])
    expect(c.objects.find((o) => o.object.metadata.name === 'app')?.owner.name).toBe('apps')
  })

  it('is a Kustomization of the entry folder bootstrapped with kubectl apply -k, whatever the file is called', async () => {
    const tree = MemoryTree.fromRecord({
      'kubernetes/flux/config/cluster.yaml': `${gitRepo('home-kubernetes', 'https://github.com/me/home')}---\n${ks('cluster', './kubernetes/flux', 'home-kubernetes')}`,
      'kubernetes/flux/apps.yaml': ks('cluster-apps', './kubernetes/apps', 'home-kubernetes'),
      'kubernetes/apps/cm.yaml': cm('app'),
    })
    const r = await renderFleet(tree, { revision: 'abc', repoUrl: 'https://github.com/me/home.git' })
    expect(r.clusters.map((c) => [c.name, c.root?.from, c.root?.kustomization.name])).toEqual([['flux', 'kustomization', 'cluster']])
    expect(r.clusters[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    expect(r.clusters[0]!.objects.map((o) => `${o.owner.name}:${o.object.kind}/${o.object.metadata.name}`).sort()).toEqual([
      'cluster-apps:ConfigMap/app',
      'cluster:GitRepository/home-kubernetes',
      'cluster:Kustomization/cluster',
      'cluster:Kustomization/cluster-apps',
    ])
  })

  it('is made as flux bootstrap would, with a note, only when nothing in Git defines it', async () => {
    const r = await renderFleet(MemoryTree.fromRecord({ 'clusters/c/cm.yaml': cm('x') }), { revision: 'abc', paths: ['clusters/c'] })
    expect(r.clusters[0]!.root?.from).toBe('synthesised')
    expect(r.clusters[0]!.diagnostics).toContainEqual(expect.objectContaining({ code: 'cluster/root-synthesised', severity: 'info' }))
  })
})

const instance = (extra: string): string => `apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata:
  name: flux
  namespace: flux-system
spec:
  distribution:
    version: 2.x
    registry: ghcr.io/fluxcd
  sync:
    kind: GitRepository
    url: https://github.com/old-org/fleet-before-rename.git
    ref: refs/heads/main
    path: clusters/staging
    pullSecret: flux-system
${extra}`

const patches = `  kustomize:
    patches:
      - target:
          kind: Kustomization
          name: flux-system
        patch: |
          - op: add
            path: /spec/decryption
            value:
              provider: sops
              secretRef:
                name: sops-age
      - target:
          kind: Deployment
          name: "(kustomize-controller|helm-controller)"
        patch: |
          - op: add
            path: /spec/template/spec/containers/0/args/-
            value: --concurrent=10
`

describe('a FluxInstance sync as the root', () => {
  it('makes the source and Kustomization flux-operator generates, with the instance\'s patches applied', () => {
    const made = instanceRoot({ apiVersion: 'fluxcd.controlplane.io/v1', kind: 'FluxInstance', metadata: { name: 'flux', namespace: 'flux-system' }, spec: { sync: { kind: 'OCIRepository', url: 'oci://ghcr.io/acme/fleet', ref: 'latest', path: 'clusters/prod', pullSecret: 'ghcr-auth' } } })!
    expect(made.source).toEqual({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { interval: '1m0s', ref: { tag: 'latest' }, secretRef: { name: 'ghcr-auth' }, url: 'oci://ghcr.io/acme/fleet' } })
    expect(made.kustomization).toEqual({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'flux-system', namespace: 'flux-system' }, spec: { interval: '10m0s', path: 'clusters/prod', prune: true, sourceRef: { kind: 'OCIRepository', name: 'flux-system' } } })
  })

  it('renders the cluster from this repository even under another URL, decrypting as its patch says', async () => {
    const tree = MemoryTree.fromRecord({
      'clusters/staging/flux-system/flux-instance.yaml': instance(patches),
      'clusters/staging/secret.yaml': SOPS_SECRET,
      'clusters/staging/apps.yaml': ks('apps', './apps'),
      'apps/cm.yaml': cm('app'),
    })
    const r = await renderFleet(tree, { revision: 'abc', repoUrl: 'https://github.com/acme/fleet', branch: 'main' })
    const c = r.clusters[0]!
    expect(c.root).toMatchObject({ from: 'flux-instance', kustomization: { name: 'flux-system' }, source: { kind: 'GitRepository', name: 'flux-system' }, location: { file: 'clusters/staging/flux-system/flux-instance.yaml', line: 1 } })
    expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(c.owners[0]!.object['spec']).toMatchObject({ path: 'clusters/staging', decryption: { provider: 'sops', secretRef: { name: 'sops-age' } } })
    expect(c.owners.map((o) => [o.ref.name, o.status])).toEqual([
      ['flux-system', 'rendered'],
      ['apps', 'rendered'],
    ])
    expect(c.objects.find((o) => o.object.kind === 'Secret')?.sops).toBe(true)
    expect(c.objects.find((o) => o.object.metadata.name === 'app')?.owner.name).toBe('apps')
  })

  it('accepts the operator\'s kinds in Alert and Receiver enums, which it patches into their CRDs', async () => {
    const alert = `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Alert\nmetadata:\n  name: flux\n  namespace: flux-system\nspec:\n  providerRef:\n    name: slack\n  eventSources:\n    - kind: FluxInstance\n      name: flux\n    - kind: ResourceSet\n      name: '*'\n`
    const files = { 'clusters/staging/flux-system/flux-instance.yaml': instance(''), 'clusters/staging/alert.yaml': alert }
    const r = await renderFleet(MemoryTree.fromRecord(files), { revision: 'abc' })
    expect(r.clusters[0]!.diagnostics.filter((d) => d.severity === 'error')).toEqual([])
    // Without Flux Operator the bundled CRD refuses them, as the API server would.
    const plain = await renderFleet(MemoryTree.fromRecord({ 'clusters/staging/alert.yaml': alert }), { revision: 'abc' })
    expect(plain.clusters[0]!.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code)).toEqual(['render/invalid-flux-object'])
  })
})

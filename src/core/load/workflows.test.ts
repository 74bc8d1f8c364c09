import { renderFlow } from '../../flows/render.js'
import { MemoryTree } from '../tree/memory-tree.js'
import { parseRenderSettings, parseSourceFlag } from './render-settings.js'
import { ociRepository, pushedArtifacts } from './workflows.js'

// The Flux Operator reference fleets' workflows (controlplaneio-fluxcd d2-fleet, d2-apps), abridged.
const distributionPush = `name: push-artifact
on: {push: {branches: [main]}}
jobs:
  flux-push:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        component: [frontend, backend]
    steps:
      - uses: actions/checkout@v4
      - name: Push artifact
        uses: controlplaneio-fluxcd/distribution/actions/push@main
        with:
          repository: ghcr.io/\${{ github.repository }}/\${{ matrix.component }}
          path: "./components/\${{ matrix.component }}"
          diff-tag: latest
`
const fluxCliPush = `name: publish
on: {push: {branches: [main]}}
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: fluxcd/flux2/action@main
      - run: |
          flux push artifact oci://ghcr.io/\${{ github.repository_owner }}/kubernetes:$(git rev-parse --short HEAD) \\
            --path="./kubernetes" \\
            --source="$(git config --get remote.origin.url)" \\
            --revision="$(git branch --show-current)@sha1:$(git rev-parse HEAD)"
      - run: flux push artifact oci://ghcr.io/acme/\${{ secrets.NAME }}:latest --path=./secret-dependent
`

describe('OCI artifacts the repository\'s workflows push', () => {
  it('reads distribution push steps (matrix values filled in) and flux push artifact commands', () => {
    const tree = MemoryTree.fromRecord({ '.github/workflows/push.yaml': distributionPush, '.github/workflows/publish.yml': fluxCliPush, '.github/workflows/notes.md': 'x' })
    expect(pushedArtifacts(tree, 'https://github.com/Acme/Fleet.git')).toEqual([
      { repository: 'ghcr.io/acme/kubernetes', path: 'kubernetes', file: '.github/workflows/publish.yml' },
      { repository: 'ghcr.io/acme/fleet/frontend', path: 'components/frontend', file: '.github/workflows/push.yaml' },
      { repository: 'ghcr.io/acme/fleet/backend', path: 'components/backend', file: '.github/workflows/push.yaml' },
    ])
    // Without the repository's URL, `github.repository` cannot be known: nothing is guessed.
    expect(pushedArtifacts(tree, undefined)).toEqual([])
  })

  it('compares OCI repositories without scheme, tag, digest or case', () => {
    expect(ociRepository('oci://GHCR.io/Acme/Fleet:latest')).toBe('ghcr.io/acme/fleet')
    expect(ociRepository('oci://localhost:5000/fleet@sha256:abc')).toBe('localhost:5000/fleet')
  })
})

describe('render settings: sources and cluster names', () => {
  it('reads sources: and clusterNames:, refusing keys that are no source and folders that leave the repository', () => {
    const s = parseRenderSettings('sources:\n  OCIRepository/flux-system/apps: ./kubernetes/apps/\n  Deployment/x/y: ./z\n  OCIRepository/a/b: ../../etc\nclusterNames:\n  production/cluster-kubeconfig: production\n')
    expect([...s.sources]).toEqual([['OCIRepository/flux-system/apps', 'kubernetes/apps']])
    expect([...s.clusterNames]).toEqual([['production/cluster-kubeconfig', 'production']])
    expect(s.diagnostics.map((d) => d.message)).toEqual([
      "sources.Deployment/x/y: 'Deployment/x/y' is not Kind/namespace/name of a GitRepository, OCIRepository, Bucket or ExternalArtifact",
      "sources.OCIRepository/a/b: folder '../../etc' leaves the repository",
    ])
  })

  it('reads --source KIND/NS/NAME=PATH', () => {
    expect(parseSourceFlag('ExternalArtifact/flux-system/apps=.')).toEqual({ key: 'ExternalArtifact/flux-system/apps', path: '' })
    expect(parseSourceFlag('OCIRepository/flux-system/apps')).toEqual({ error: '--source OCIRepository/flux-system/apps: expected KIND/NAMESPACE/NAME=PATH' })
  })
})

const gotk = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 1m, url: https://github.com/acme/fleet, ref: {branch: main}}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/prod, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`
const oci = (name: string, url: string): string =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 5m, url: "${url}", ref: {tag: latest}}\n`
const ks = (name: string, path: string, kind: string, source: string): string =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: ${name}, namespace: flux-system}\nspec: {interval: 10m, path: ${path}, prune: true, sourceRef: {kind: ${kind}, name: ${source}}}\n`
const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {a: "1"}\n`
// The layout of a home-lab fleet: an ArtifactGenerator over an OCIRepository that is this repository's ./kubernetes.
const generator = `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata: {name: apps, namespace: flux-system}
spec:
  sources: [{alias: repo, kind: OCIRepository, name: kubernetes}]
  artifacts:
    - name: media
      copy: [{from: "@repo/apps/media/**", to: "@artifact/"}]
`

describe('sources that carry this repository', () => {
  const fleet = {
    'clusters/prod/flux-system/gotk-sync.yaml': gotk,
    'clusters/prod/sources.yaml': `${oci('kubernetes', 'oci://ghcr.io/acme/kubernetes')}---\n${generator}`,
    'clusters/prod/media.yaml': ks('media', './', 'ExternalArtifact', 'media'),
    'clusters/prod/tools.yaml': `${oci('tools', 'oci://ghcr.io/acme/tools')}---\n${ks('tools', './', 'OCIRepository', 'tools')}`,
    'kubernetes/apps/media/cm.yaml': cm('jellyfin'),
    'tools/cm.yaml': cm('toolbox'),
  }

  it('maps an OCIRepository a workflow pushes back to its folder, through an ArtifactGenerator, with file locations', async () => {
    const tree = MemoryTree.fromRecord({ ...fleet, '.github/workflows/publish.yml': fluxCliPush })
    const r = await renderFlow({ tree, origin: { kind: 'local' }, revision: 'abc', repoUrl: 'https://github.com/acme/fleet' })
    const c = r.fleet.clusters[0]!
    expect(c.owners.map((o) => [o.ref.name, o.status])).toEqual([
      ['flux-system', 'rendered'],
      ['media', 'rendered'],
      ['tools', 'external'],
    ])
    expect(r.objects.find((o) => o.object.metadata.name === 'jellyfin')).toMatchObject({ owner: { name: 'media' }, source: { file: 'kubernetes/apps/media/cm.yaml', line: 1 } })
    // What is not mapped is a warning, never a silent info: nothing of it is rendered.
    expect(c.diagnostics.filter((d) => d.code === 'render/external-source').map((d) => [d.severity, d.owner])).toEqual([['warning', 'Kustomization/flux-system/tools']])
  })

  it('maps what the settings and --source say', async () => {
    const tree = MemoryTree.fromRecord({ ...fleet, '.github/fluxgate.yml': 'sources:\n  OCIRepository/flux-system/kubernetes: kubernetes\n' })
    const r = await renderFlow({ tree, origin: { kind: 'local' }, revision: 'abc', sources: new Map([['OCIRepository/flux-system/tools', 'tools']]) })
    expect(r.fleet.clusters[0]!.owners.map((o) => [o.ref.name, o.status])).toEqual([
      ['flux-system', 'rendered'],
      ['media', 'rendered'],
      ['tools', 'rendered'],
    ])
    expect(r.objects.find((o) => o.object.metadata.name === 'toolbox')).toMatchObject({ owner: { name: 'tools' }, source: { file: 'tools/cm.yaml' } })
  })
})

import { readYaml11 } from '../../yaml/index.js'
import type { KubeObject } from '../../model/object.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { renderFleet } from '../render-fleet.js'
import { renderResourceSet, type ConfigLookup } from './resourceset.js'

const rset = (yaml: string): KubeObject => {
  const r = readYaml11(`apiVersion: fluxcd.controlplane.io/v1\nkind: ResourceSet\nmetadata:\n  name: podinfo\n  namespace: default\n${yaml}`)
  if (!r.ok) throw new Error(r.error)
  return r.value as unknown as KubeObject
}
const none: ConfigLookup = () => undefined
const ids = (objects: KubeObject[]): string[] => objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`)
const OWNER = { 'resourceset.fluxcd.controlplane.io/name': 'podinfo', 'resourceset.fluxcd.controlplane.io/namespace': 'default' }

describe('ResourceSet expansion (flux-operator internal/builder/resourceset.go)', () => {
  it('renders the documented example: each resource template once per input set, values typed by their function', () => {
    const r = renderResourceSet(
      rset(`spec:
  commonMetadata:
    labels:
      app.kubernetes.io/name: podinfo
  inputs:
    - tenant: "team1"
      app:
       version: "6.7.x"
       replicas: 2
    - tenant: "team2"
      app:
       version: "6.6.x"
       replicas: 3
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: podinfo-<< inputs.tenant >>
        namespace: default
      spec:
        interval: 10m
        url: oci://ghcr.io/stefanprodan/charts/podinfo
        ref:
          semver: << inputs.app.version | quote >>
    - apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata:
        name: podinfo-<< inputs.tenant >>
        namespace: default
      spec:
        interval: 1h
        releaseName: podinfo-<< inputs.tenant >>
        chartRef:
          kind: OCIRepository
          name: podinfo-<< inputs.tenant >>
        values:
          replicaCount: << inputs.app.replicas | int >>
`),
      none,
    )
    expect(r.diagnostics).toEqual([])
    expect(r.status).toBe('rendered')
    expect(ids(r.objects)).toEqual(['OCIRepository/default/podinfo-team1', 'OCIRepository/default/podinfo-team2', 'HelmRelease/default/podinfo-team1', 'HelmRelease/default/podinfo-team2'])
    expect(r.objects[1]).toEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'OCIRepository',
      metadata: { name: 'podinfo-team2', namespace: 'default', labels: { ...OWNER, 'app.kubernetes.io/name': 'podinfo' } },
      spec: { interval: '10m', ref: { semver: '6.6.x' }, url: 'oci://ghcr.io/stefanprodan/charts/podinfo' },
    })
    expect(r.objects[3]!['spec']).toEqual({ chartRef: { kind: 'OCIRepository', name: 'podinfo-team2' }, interval: '1h', releaseName: 'podinfo-team2', values: { replicaCount: 3 } })
  })

  it('deduplicates shared resources, drops those the reconcile annotation disables, and knows inputs.provider', () => {
    const r = renderResourceSet(
      rset(`spec:
  inputs:
    - tenant: team1
    - tenant: team2
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: shared
        namespace: default
      data:
        by: << inputs.provider.kind >>/<< inputs.provider.namespace >>/<< inputs.provider.name >>
    - apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: flux
        namespace: << inputs.tenant >>
        annotations:
          fluxcd.controlplane.io/reconcile: << if eq inputs.tenant "team1" >>enabled<< else >>disabled<< end >>
`),
      none,
    )
    expect(ids(r.objects)).toEqual(['ConfigMap/default/shared', 'ServiceAccount/team1/flux'])
    expect(r.objects[0]!['data']).toEqual({ by: 'ResourceSet/default/podinfo' })
  })

  it('expands resourcesTemplate with range and if, and nests YAML with toYaml | nindent', () => {
    const r = renderResourceSet(
      rset(`spec:
  inputs:
    - bundle: addons
      decryption: false
      layerSelector: {mediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip", operation: copy}
      components: [ingress-nginx, cert-manager]
    - bundle: apps
      decryption: true
      layerSelector: {mediaType: "application/vnd.cncf.flux.content.v1.tar+gzip", operation: extract}
      components: [frontend]
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: << inputs.bundle >>
        namespace: flux-system
      spec:
        layerSelector: << inputs.layerSelector | toYaml | nindent 4 >>
  resourcesTemplate: |
    <<- range $component := inputs.components >>
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: << $component >>
      namespace: flux-system
    spec:
      interval: 1h
      prune: true
      <<- if inputs.decryption >>
      decryption:
        provider: sops
        secretRef:
          name: << inputs.bundle >>-sops
      <<- end >>
      sourceRef:
        kind: OCIRepository
        name: << inputs.bundle >>
      path: ./<< $component >>
    <<- end >>
`),
      none,
    )
    expect(r.diagnostics).toEqual([])
    expect(ids(r.objects)).toEqual(['OCIRepository/flux-system/addons', 'OCIRepository/flux-system/apps', 'Kustomization/flux-system/ingress-nginx', 'Kustomization/flux-system/cert-manager', 'Kustomization/flux-system/frontend'])
    expect(r.objects[1]!['spec']).toEqual({ layerSelector: { mediaType: 'application/vnd.cncf.flux.content.v1.tar+gzip', operation: 'extract' } })
    expect(r.objects[2]!['spec']).toEqual({ interval: '1h', prune: true, sourceRef: { kind: 'OCIRepository', name: 'addons' }, path: './ingress-nginx' })
    expect(r.objects[4]!['spec']).toMatchObject({ decryption: { provider: 'sops', secretRef: { name: 'apps-sops' } }, path: './frontend' })
  })

  it('defaults a missing input with get and default, and fails on an input no set has (missingkey=error)', () => {
    const ok = renderResourceSet(rset(`spec:\n  inputs: [{namespace: team1}]\n  resources:\n    - {apiVersion: v1, kind: ServiceAccount, metadata: {name: '<< get inputs "name" | default inputs.namespace >>', namespace: '<< inputs.namespace >>'}}\n`), none)
    expect(ids(ok.objects)).toEqual(['ServiceAccount/team1/team1'])
    const bad = renderResourceSet(rset(`spec:\n  inputs: [{namespace: team1}]\n  resources:\n    - {apiVersion: v1, kind: ServiceAccount, metadata: {name: '<< inputs.name >>', namespace: team1}}\n`), none)
    expect(bad.status).toBe('failed')
    expect(bad.objects).toEqual([])
    expect(bad.diagnostics).toEqual([expect.objectContaining({ code: 'render/resourceset-build-failed', severity: 'error', message: expect.stringContaining('map has no entry for key "name"') })])
  })

  it('builds resources as written when there are no inputs at all', () => {
    const r = renderResourceSet(rset('spec:\n  resources:\n    - {apiVersion: v1, kind: Namespace, metadata: {name: plain}}\n'), none)
    expect(ids(r.objects)).toEqual(['Namespace//plain'])
  })

  it('copies data from a ConfigMap the render holds (copyFrom), and says when the source is only in the cluster', () => {
    const lookup: ConfigLookup = (kind, ns, name) => (kind === 'ConfigMap' && ns === 'flux-system' && name === 'runtime-info' ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { ENV: 'staging' } } : undefined)
    const r = renderResourceSet(
      rset(`spec:
  inputs: [{tenant: team1}]
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata: {name: runtime-info, namespace: << inputs.tenant >>, annotations: {fluxcd.controlplane.io/copyFrom: flux-system/runtime-info}}
    - apiVersion: v1
      kind: Secret
      metadata: {name: auth, namespace: << inputs.tenant >>, annotations: {fluxcd.controlplane.io/copyFrom: flux-system/ghcr-auth}}
`),
      lookup,
    )
    expect(r.objects[0]!['data']).toEqual({ ENV: 'staging' })
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 'render/resourceset-copy-unknown', severity: 'info', message: expect.stringContaining('Secret flux-system/ghcr-auth') })])
  })

  it('reports inputs from ResourceSetInputProviders as unknown: inline ones still render, none when the provider is all', () => {
    const both = renderResourceSet(rset(`spec:\n  inputsFrom: [{kind: ResourceSetInputProvider, name: pull-requests}]\n  inputs: [{id: main}]\n  resources:\n    - {apiVersion: v1, kind: Namespace, metadata: {name: 'app-<< inputs.id >>'}}\n`), none)
    expect(ids(both.objects)).toEqual(['Namespace//app-main'])
    expect(both.diagnostics).toEqual([expect.objectContaining({ code: 'render/resourceset-external-inputs', severity: 'info' })])
    const only = renderResourceSet(rset(`spec:\n  inputsFrom: [{kind: ResourceSetInputProvider, name: pull-requests}]\n  resources:\n    - {apiVersion: v1, kind: Namespace, metadata: {name: 'app-<< inputs.id >>'}}\n`), none)
    expect(only.status).toBe('external')
    expect(only.diagnostics).toEqual([expect.objectContaining({ code: 'render/resourceset-external-inputs', severity: 'warning', message: expect.stringContaining('ResourceSetInputProvider pull-requests') })])
  })

  it('refuses a resource defined in two steps, as the operator does', () => {
    const r = renderResourceSet(rset('spec:\n  steps:\n    - name: one\n      resources: [{apiVersion: v1, kind: Namespace, metadata: {name: a}}]\n    - name: two\n      resources: [{apiVersion: v1, kind: Namespace, metadata: {name: a}}]\n'), none)
    expect(r.status).toBe('failed')
    expect(r.diagnostics[0]!.message).toContain('duplicate resource Namespace/a in step "two", already defined in step "one"')
  })
})

describe('ResourceSets in a fleet walk', () => {
  it('owns what it generates, and the Kustomizations it generates render in turn', async () => {
    const tree = MemoryTree.fromRecord({
      'clusters/prod/tenants.yaml': `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: tenants
  namespace: flux-system
spec:
  inputs:
    - tenant: frontend
    - tenant: backend
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: << inputs.tenant >>
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: apps
        namespace: << inputs.tenant >>
      spec:
        interval: 10m
        prune: true
        targetNamespace: << inputs.tenant >>
        path: ./apps/<< inputs.tenant >>
        sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
`,
      'apps/frontend/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {a: "1"}\n',
      'apps/backend/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: api}\ndata: {a: "1"}\n',
    })
    const r = await renderFleet(tree, { revision: 'abc' })
    const c = r.clusters[0]!
    expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
    expect(c.owners.map((o) => [`${o.ref.kind}/${o.ref.namespace}/${o.ref.name}`, o.status, o.prune])).toEqual([
      ['Kustomization/flux-system/flux-system', 'rendered', true],
      ['ResourceSet/flux-system/tenants', 'rendered', true],
      ['Kustomization/frontend/apps', 'rendered', true],
      ['Kustomization/backend/apps', 'rendered', true],
    ])
    const owned = (name: string): string => {
      const o = c.objects.find((x) => x.object.metadata.name === name)!
      return `${o.owner.kind}/${o.owner.name}@${o.object.metadata.namespace ?? ''}`
    }
    expect(owned('frontend')).toBe('ResourceSet/tenants@')
    expect(owned('web')).toBe('Kustomization/apps@frontend')
    expect(owned('api')).toBe('Kustomization/apps@backend')
    expect(c.objects.find((x) => x.object.metadata.name === 'frontend')!.source).toEqual({ file: 'clusters/prod/tenants.yaml', line: 1 })
  })
})

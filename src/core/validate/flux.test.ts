import { parseAllDocuments } from 'yaml'
import { FLUX_KINDS, FLUX_OPERATOR_KINDS } from '../model/flux-kinds.js'
import type { KubeObject } from '../model/object.js'
import { FLUX_SCHEMAS } from './data/flux-schemas.generated.js'
import { compareMinor, FluxSchemas, validateObjects } from './index.js'

const objects = (text: string): KubeObject[] => parseAllDocuments(text).map((d) => d.toJS() as KubeObject)
const details = (text: string, crds: KubeObject[] = []): string[] => validateObjects(objects(text), { crds }).map((f) => `${f.object} ${f.detail}`)

const kustomization = (spec: string, apiVersion = 'kustomize.toolkit.fluxcd.io/v1'): string => `
apiVersion: ${apiVersion}
kind: Kustomization
metadata: {name: apps, namespace: flux-system}
spec:
${spec}`

describe('the bundled Flux schemas', () => {
  it('name their upstream release, commit and file digest, and resolve every shared type', () => {
    expect(FLUX_SCHEMAS.sources.length).toBeGreaterThan(10)
    for (const s of FLUX_SCHEMAS.sources) {
      expect(s).toEqual({ repo: expect.stringMatching(/^(fluxcd|controlplaneio-fluxcd)\//), tag: expect.stringMatching(/^v\d+\.\d+\.\d+$/), commit: expect.stringMatching(/^[0-9a-f]{40}$/), file: expect.stringMatching(/^config\/crd\/bases\/.+\.yaml$/), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })
    }
    const refs = JSON.stringify(FLUX_SCHEMAS).match(/"\$ref":"[^"]+"/g) ?? []
    expect(refs.filter((r) => !Object.hasOwn(FLUX_SCHEMAS.types, r.slice(8, -1)))).toEqual([])
  })

  it('hold every version a Flux 2.7 or later cluster serves, and only versions Fluxgate knows of', () => {
    const known = [...FLUX_KINDS, ...FLUX_OPERATOR_KINDS].flatMap((k) => k.versions.map((v) => ({ key: `${k.group}/${v.version}/${k.kind}`, removedIn: v.removedIn })))
    const bundled = new FluxSchemas().keys()
    // Versions gone before Flux 2.7 (v1beta1) have no schema: such objects are known but not checked.
    expect(known.filter((k) => !k.removedIn || compareMinor(k.removedIn, '2.7') > 0).map((k) => k.key).filter((k) => !bundled.includes(k))).toEqual([])
    expect(bundled.filter((k) => !known.some((x) => x.key === k))).toEqual([])
  })

  it('take each version from the newest release that serves it', () => {
    const f = new FluxSchemas()
    expect(f.sourceOf('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')).toMatchObject({ repo: 'fluxcd/kustomize-controller', tag: 'v1.9.4' })
    expect(f.sourceOf('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization')).toMatchObject({ repo: 'fluxcd/kustomize-controller', tag: 'v1.7.3' })
    expect(f.sourceOf('helm.toolkit.fluxcd.io/v2', 'HelmRelease')).toMatchObject({ tag: 'v1.6.3' })
  })
})

describe('validating Flux objects against their CRDs', () => {
  it('reports the required fields a Kustomization lacks (issue #21)', () => {
    expect(details(kustomization('  sourceRef: {kind: GitRepository, name: flux-system}\n  path: ./apps'))).toEqual([
      'Kustomization/flux-system/apps spec.interval: Required value',
      'Kustomization/flux-system/apps spec.prune: Required value',
    ])
  })

  it('accepts a complete Kustomization, with its defaults applied as the API server would', () => {
    expect(details(kustomization('  interval: 10m\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n  path: ./apps\n  postBuild: {substitute: {env: prod}}\n  dependsOn: [{name: infra}]'))).toEqual([])
  })

  it('rejects a HelmChart without interval and with a sourceRef.namespace its schema does not have', () => {
    const chart = `
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: podinfo, namespace: flux-system}
spec:
  chart: podinfo
  sourceRef: {kind: HelmRepository, name: podinfo, namespace: other}
`
    expect(details(chart)).toEqual([
      'HelmChart/flux-system/podinfo spec.interval: Required value',
      'HelmChart/flux-system/podinfo .spec.sourceRef.namespace: field not declared in schema',
    ])
  })

  it('accepts a HelmRelease chart template sourceRef in another namespace, and requires interval in v2', () => {
    const release = (extra: string) => `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
${extra}  chart:
    spec:
      chart: podinfo
      version: 6.x
      sourceRef: {kind: HelmRepository, name: podinfo, namespace: flux-system}
`
    expect(details(release('  interval: 5m\n'))).toEqual([])
    expect(details(release(''))).toEqual(['HelmRelease/apps/podinfo spec.interval: Required value'])
  })

  it('checks enums, patterns, bounds and CEL rules', () => {
    const text = `
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: web, namespace: apps}
spec:
  interval: 5 minutes
  releaseName: ${'r'.repeat(54)}
  chart: {spec: {chart: web, sourceRef: {kind: HelmRepository, name: web}}}
  chartRef: {kind: OCIRepository, name: web}
  driftDetection: {mode: always}
`
    const pattern = `HelmRelease/apps/web spec.interval: Invalid value: "5 minutes": spec.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'`
    const tooLong = 'HelmRelease/apps/web spec.releaseName: Too long: may not be more than 53 bytes'
    expect(details(text)).toEqual([
      pattern,
      tooLong,
      'HelmRelease/apps/web spec.driftDetection.mode: Unsupported value: "always": supported values: "enabled", "warn", "disabled"',
    ])
    // The API server evaluates CEL rules only once no value has the wrong type or an unsupported enum value.
    expect(details(text.replace('{mode: always}', '{mode: enabled}'))).toEqual([pattern, tooLong, 'HelmRelease/apps/web spec: Invalid value: "object": either chart or chartRef must be set'])
  })

  it('checks a version an older Flux serves against that version’s schema', () => {
    const spec = '  interval: 10m\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n  validation: client'
    expect(details(kustomization(spec, 'kustomize.toolkit.fluxcd.io/v1beta2'))).toEqual([])
    expect(details(kustomization(spec))).toEqual(['Kustomization/flux-system/apps .spec.validation: field not declared in schema'])
  })

  it('checks the Flux Operator kinds, including their rules on metadata', () => {
    const instance = (name: string) => `
apiVersion: fluxcd.controlplane.io/v1
kind: FluxInstance
metadata: {name: ${name}, namespace: flux-system}
spec:
  distribution: {version: "2.x", registry: ghcr.io/fluxcd}
`
    expect(details(instance('flux'))).toEqual([])
    expect(details(instance('flux2'))).toEqual(['FluxInstance/flux-system/flux2 <root>: Invalid value: "object": the only accepted name for a FluxInstance is \'flux\''])
  })

  it('reports duplicate keys of a map list', () => {
    const receiver = `
apiVersion: notification.toolkit.fluxcd.io/v1
kind: Receiver
metadata: {name: hook, namespace: flux-system}
spec:
  type: generic-oidc
  resources: [{kind: GitRepository, name: flux-system}]
  oidcProviders:
    - {issuerURL: "https://token.actions.githubusercontent.com", validations: [{expression: "true", message: ok}]}
    - {issuerURL: "https://token.actions.githubusercontent.com", validations: [{expression: "true", message: ok}]}
`
    expect(details(receiver)).toEqual(['Receiver/flux-system/hook spec.oidcProviders[1]: Duplicate value: {"issuerURL":"https://token.actions.githubusercontent.com"}'])
  })

  it('uses a Flux CRD from the render over the bundled one, as the cluster would', () => {
    const crd = objects(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: kustomizations.kustomize.toolkit.fluxcd.io}
spec:
  group: kustomize.toolkit.fluxcd.io
  names: {kind: Kustomization, plural: kustomizations}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              required: [interval]
              x-kubernetes-preserve-unknown-fields: true
              properties: {interval: {type: string}}
`)
    const ks = kustomization('  interval: 10m\n  sourceRef: {kind: GitRepository, name: flux-system}')
    expect(details(ks, crd)).toEqual([])
    expect(validateObjects(objects(ks)).map((f) => `${f.schema} ${f.detail}`)).toEqual(['flux spec.prune: Required value'])
  })

  it('does not judge masked values, nor rules from a pull request it cannot run as the API server does', () => {
    expect(details(kustomization('  interval: "*** (after)"\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}'))).toEqual([])
    const crd = objects(`
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties: {size: {type: integer}, name: {type: string}}
              x-kubernetes-validations:
                - {rule: "self.name.matches('^(a+)+$')", message: regex}
                - {rule: "self.size == oldSelf.size", message: immutable}
                - {rule: "self.size > 2", message: too small}
`)
    const widget = (size: number) => `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: apps}\nspec: {size: ${size}, name: bbb}\n`
    expect(details(widget(3), crd)).toEqual([])
    expect(details(widget(1), crd)).toEqual(['Widget/apps/w spec: Invalid value: "object": too small'])
  })
})

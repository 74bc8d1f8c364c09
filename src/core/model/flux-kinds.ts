/**
 * Every Flux kind in every API version Flux has served (flux-semantics §7.1).
 * `current` is the version Flux 2.9 serves; `removedIn` says which Flux release stopped
 * serving an older version.
 */
export interface FluxKindInfo {
  group: string
  kind: string
  current: string
  versions: readonly { version: string; removedIn?: string }[]
}

const source = 'source.toolkit.fluxcd.io'
const image = 'image.toolkit.fluxcd.io'

export const FLUX_KINDS: readonly FluxKindInfo[] = Object.freeze([
  {
    group: 'kustomize.toolkit.fluxcd.io',
    kind: 'Kustomization',
    current: 'v1',
    versions: [{ version: 'v1beta1', removedIn: '2.7' }, { version: 'v1beta2', removedIn: '2.8' }, { version: 'v1' }],
  },
  {
    group: 'helm.toolkit.fluxcd.io',
    kind: 'HelmRelease',
    current: 'v2',
    versions: [{ version: 'v2beta1', removedIn: '2.7' }, { version: 'v2beta2', removedIn: '2.8' }, { version: 'v2' }],
  },
  ...['GitRepository', 'HelmRepository', 'HelmChart', 'Bucket'].map((kind) => ({
    group: source,
    kind,
    current: 'v1',
    versions: [{ version: 'v1beta1', removedIn: '2.7' }, { version: 'v1beta2', removedIn: '2.8' }, { version: 'v1' }],
  })),
  { group: source, kind: 'OCIRepository', current: 'v1', versions: [{ version: 'v1beta2', removedIn: '2.8' }, { version: 'v1' }] },
  { group: source, kind: 'ExternalArtifact', current: 'v1', versions: [{ version: 'v1' }] },
  { group: 'source.extensions.fluxcd.io', kind: 'ArtifactGenerator', current: 'v1beta1', versions: [{ version: 'v1beta1' }] },
  ...['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation'].map((kind) => ({
    group: image,
    kind,
    current: 'v1',
    versions: [{ version: 'v1beta1', removedIn: '2.7' }, { version: 'v1beta2', removedIn: '2.9' }, { version: 'v1' }],
  })),
  // Alert and Provider never reached v1; notification-controller v1.9 (Flux 2.9) serves v1beta3 only.
  ...['Alert', 'Provider'].map((kind) => ({
    group: 'notification.toolkit.fluxcd.io',
    kind,
    current: 'v1beta3',
    versions: [{ version: 'v1beta1', removedIn: '2.7' }, { version: 'v1beta2', removedIn: '2.9' }, { version: 'v1beta3' }],
  })),
  {
    group: 'notification.toolkit.fluxcd.io',
    kind: 'Receiver',
    current: 'v1',
    versions: [{ version: 'v1beta1', removedIn: '2.7' }, { version: 'v1beta2', removedIn: '2.9' }, { version: 'v1' }],
  },
])

/**
 * The Flux Operator's kinds (controlplaneio-fluxcd/flux-operator): versioned apart from Flux,
 * and not what makes a folder a cluster, but checked against their CRDs like Flux's own.
 */
export const FLUX_OPERATOR_KINDS: readonly FluxKindInfo[] = Object.freeze(
  ['FluxInstance', 'FluxReport', 'ResourceSet', 'ResourceSetInputProvider'].map((kind) => ({ group: 'fluxcd.controlplane.io', kind, current: 'v1', versions: [{ version: 'v1' }] })),
)

/** The FluxKindInfo for an apiVersion + kind, or undefined when it is not a Flux kind. */
export function fluxKindOf(apiVersion: string, kind: string): FluxKindInfo | undefined {
  const slash = apiVersion.indexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  return FLUX_KINDS.find((k) => k.group === group && k.kind === kind)
}

/** fluxKindOf, or the Flux Operator kind: every kind whose CRD Fluxgate bundles. */
export function fluxOrOperatorKindOf(apiVersion: string, kind: string): FluxKindInfo | undefined {
  const slash = apiVersion.indexOf('/')
  const group = slash < 0 ? '' : apiVersion.slice(0, slash)
  return fluxKindOf(apiVersion, kind) ?? FLUX_OPERATOR_KINDS.find((k) => k.group === group && k.kind === kind)
}

export function isFluxKustomization(apiVersion: string, kind: string): boolean {
  return kind === 'Kustomization' && apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')
}

export function isHelmRelease(apiVersion: string, kind: string): boolean {
  return kind === 'HelmRelease' && apiVersion.startsWith('helm.toolkit.fluxcd.io/')
}

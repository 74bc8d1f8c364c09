/**
 * The kinds the API double serves. One row per kind; every version in `versions` is served and
 * the first one is preferred in discovery. Objects are stored once per group + kind, so reading
 * a kind through another served version only rewrites `apiVersion` (no conversion webhooks).
 * To serve a new kind, add a row.
 */
export interface ResourceType {
  group: string
  versions: readonly string[]
  kind: string
  plural: string
  namespaced: boolean
  /** Has a `/status` subresource: writes to the main resource keep the stored status. */
  status: boolean
  /** A built-in kind: strategic merge patch works on it (custom resources answer 415). */
  builtin: boolean
  /** kubectl's short names (`deploy`, `ks`). */
  shortNames: readonly string[]
}

function row(group: string, versions: string[], kind: string, plural: string, namespaced: boolean, status: boolean, shortNames: string[] = []): ResourceType {
  return Object.freeze({ group, versions: Object.freeze(versions), kind, plural, namespaced, status, builtin: !group.endsWith('.fluxcd.io'), shortNames: Object.freeze(shortNames) })
}

const source = 'source.toolkit.fluxcd.io'
const image = 'image.toolkit.fluxcd.io'

/** Core, apps and Flux kinds (Flux 2.9 versions; image automation also at v1beta2 for older clients). */
export const DEFAULT_RESOURCES: readonly ResourceType[] = Object.freeze([
  row('', ['v1'], 'Namespace', 'namespaces', false, true, ['ns']),
  row('', ['v1'], 'ConfigMap', 'configmaps', true, false, ['cm']),
  row('', ['v1'], 'Secret', 'secrets', true, false),
  row('', ['v1'], 'Service', 'services', true, true, ['svc']),
  row('', ['v1'], 'ServiceAccount', 'serviceaccounts', true, false, ['sa']),
  row('', ['v1'], 'PersistentVolumeClaim', 'persistentvolumeclaims', true, true, ['pvc']),
  row('apps', ['v1'], 'Deployment', 'deployments', true, true, ['deploy']),
  row('apps', ['v1'], 'StatefulSet', 'statefulsets', true, true, ['sts']),
  row('kustomize.toolkit.fluxcd.io', ['v1'], 'Kustomization', 'kustomizations', true, true, ['ks']),
  row('helm.toolkit.fluxcd.io', ['v2'], 'HelmRelease', 'helmreleases', true, true, ['hr']),
  row(source, ['v1'], 'GitRepository', 'gitrepositories', true, true, ['gitrepo']),
  row(source, ['v1'], 'HelmRepository', 'helmrepositories', true, true, ['helmrepo']),
  row(source, ['v1'], 'OCIRepository', 'ocirepositories', true, true, ['ocirepo']),
  row(image, ['v1', 'v1beta2'], 'ImageRepository', 'imagerepositories', true, true),
  row(image, ['v1', 'v1beta2'], 'ImagePolicy', 'imagepolicies', true, true),
  row(image, ['v1', 'v1beta2'], 'ImageUpdateAutomation', 'imageupdateautomations', true, true),
])

/** `apps/v1`, or `v1` for the core group. */
export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version
}

/** The kinds and lookups of one server. */
export class ResourceTable {
  constructor(readonly types: readonly ResourceType[] = DEFAULT_RESOURCES) {}

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.plural === plural && t.versions.includes(version))
  }

  byKind(apiVersion: string, kind: string): ResourceType | undefined {
    const slash = apiVersion.indexOf('/')
    const group = slash < 0 ? '' : apiVersion.slice(0, slash)
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1)
    return this.types.find((t) => t.group === group && t.kind === kind && t.versions.includes(version))
  }

  /** Every served group except core, with its versions in preference order. */
  groups(): { name: string; versions: string[] }[] {
    const out = new Map<string, string[]>()
    for (const t of this.types) {
      if (!t.group) continue
      const vs = out.get(t.group) ?? []
      for (const v of t.versions) if (!vs.includes(v)) vs.push(v)
      out.set(t.group, vs)
    }
    return [...out].map(([name, versions]) => ({ name, versions }))
  }

  /** APIResourceList entries for one group/version, with `{plural}/status` where it exists. */
  resourceList(group: string, version: string): Record<string, unknown>[] | undefined {
    const rows = this.types.filter((t) => t.group === group && t.versions.includes(version))
    if (rows.length === 0) return undefined
    return rows.flatMap((t) => {
      const main = {
        name: t.plural,
        singularName: t.kind.toLowerCase(),
        namespaced: t.namespaced,
        kind: t.kind,
        ...(t.shortNames.length > 0 ? { shortNames: t.shortNames } : {}),
        ...(t.group.endsWith('.fluxcd.io') ? { categories: ['all'] } : {}),
        verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      }
      const status = { name: `${t.plural}/status`, singularName: '', namespaced: t.namespaced, kind: t.kind, verbs: ['get', 'patch', 'update'] }
      return t.status ? [main, status] : [main]
    })
  }
}

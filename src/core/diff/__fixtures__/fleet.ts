import { parseAllDocuments } from 'yaml'
import type { ClusterRender, FleetRender, KubeObject, OwnerRef, RenderedObject, RenderedOwner } from '../../model/index.js'

/** Test builder for hand-made renders (what renderFleet returns), written as YAML. */
export function ks(name: string, opts: Partial<RenderedOwner> & { namespace?: string; spec?: Record<string, unknown> } = {}): RenderedOwner {
  const namespace = opts.namespace ?? 'flux-system'
  const prune = opts.prune ?? true
  const ref: OwnerRef = { kind: 'Kustomization', namespace, name }
  const object: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name, namespace },
    spec: { interval: '10m', path: `./${name}`, prune, sourceRef: { kind: 'GitRepository', name: 'flux-system' }, ...(opts.spec ?? {}) } as never,
  }
  return {
    ref,
    object: opts.object ?? object,
    status: opts.status ?? 'rendered',
    prune,
    suspended: opts.suspended ?? false,
    dependsOn: opts.dependsOn ?? [],
    ...(opts.parent ? { parent: opts.parent } : {}),
    ...(opts.note ? { note: opts.note } : {}),
    ...(opts.secretValues ? { secretValues: opts.secretValues } : {}),
  }
}

/** A HelmRelease owner. */
export function hr(name: string, namespace: string, opts: Partial<RenderedOwner> & { values?: Record<string, unknown> } = {}): RenderedOwner {
  const object: KubeObject = {
    apiVersion: 'helm.toolkit.fluxcd.io/v2',
    kind: 'HelmRelease',
    metadata: { name, namespace },
    spec: { interval: '1h', chart: { spec: { chart: name, sourceRef: { kind: 'HelmRepository', name } } }, values: opts.values ?? {} } as never,
  }
  return {
    ref: { kind: 'HelmRelease', namespace, name },
    object: opts.object ?? object,
    status: opts.status ?? 'rendered',
    prune: true,
    suspended: opts.suspended ?? false,
    dependsOn: opts.dependsOn ?? [],
    ...(opts.parent ? { parent: opts.parent } : {}),
    ...(opts.secretValues ? { secretValues: opts.secretValues } : {}),
  }
}

/** Every YAML document of `text` as an object applied by `owner`. */
export function objs(owner: RenderedOwner | OwnerRef, text: string): RenderedObject[] {
  const ref = 'ref' in owner ? owner.ref : owner
  return parseAllDocuments(text)
    .map((d) => d.toJS() as KubeObject | null)
    .filter((o): o is KubeObject => o !== null)
    .map((object) => ({ object, owner: ref }))
}

/** The Flux object of an owner as an object its parent applies. */
export function ownerObject(o: RenderedOwner): RenderedObject {
  if (!o.parent) throw new Error('entry owner has no parent')
  return { object: o.object, owner: o.parent }
}

/** A cluster render; owners' own objects are added to `objects` for every owner with a parent. */
export function cluster(name: string, owners: RenderedOwner[], objects: RenderedObject[], path = `clusters/${name}`): ClusterRender {
  return { name, path, owners, objects: [...owners.filter((o) => o.parent).map(ownerObject), ...objects], diagnostics: [] }
}

/** A fleet render at one revision. */
export function fleet(revision: string, clusters: ClusterRender[], durationMs = 1200): FleetRender {
  return { revision, clusters, diagnostics: [], durationMs }
}

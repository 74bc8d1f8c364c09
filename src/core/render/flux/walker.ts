import type { FileTree } from '../../../ports/file-tree.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { bootstrapKustomization, type ClusterEntry } from '../../load/clusters.js'
import { SourceResolver, type ArtifactResult, type SourceRef } from '../../load/sources.js'
import { groupOf } from '../../model/resource-id.js'
import type { KubeObject } from '../../model/object.js'
import { ownerKey, type ClusterRender, type RenderedObject } from '../../model/render-result.js'
import { renderHelmRelease } from '../helm/helm-release.js'
import { renderKustomization, sourceRefOf } from './kustomization.js'
import type { DeclarationIndex } from './object-index.js'
import { dependsOnOf, ownerRefOf, toRenderedOwner, type OwnerState } from './owners.js'

/** Options of one cluster walk (see RenderOptions). */
export interface WalkOptions {
  repoUrl?: string
  branch?: string
  strictSubstitution: boolean
  allowRemoteCharts: boolean
}

const SOURCE_GROUPS = new Set(['source.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'])

/**
 * Walks one cluster from its entry path (G-9): renders Kustomizations to any depth, in
 * dependsOn order, then HelmReleases, collecting every object with its owner. Cycles and
 * duplicates become diagnostics; everything else still renders.
 */
export async function renderCluster(tree: FileTree, entry: ClusterEntry, opts: WalkOptions, helm: HelmRunner | undefined, index: DeclarationIndex): Promise<ClusterRender> {
  const owners = new Map<string, OwnerState>()
  const order: OwnerState[] = []
  const objects: RenderedObject[] = []
  const diagnostics: Diagnostic[] = []
  const find = (group: (g: string) => boolean, kind: string, namespace: string, name: string): KubeObject | undefined => {
    for (const r of objects) {
      const o = r.object
      if (o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === namespace && group(groupOf(o.apiVersion))) return o
    }
    return undefined
  }
  const findSource = (kind: string, namespace: string, name: string): KubeObject | undefined => find((g) => SOURCE_GROUPS.has(g), kind, namespace, name)
  const lookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string): KubeObject | undefined => find((g) => g === '', kind, namespace, name)
  const sources = new SourceResolver(tree, { ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}), ...(opts.branch ? { branch: opts.branch } : {}) }, {
    find: findSource,
    generatorFor: (namespace, name) =>
      objects.map((r) => r.object).find((o) => o.kind === 'ArtifactGenerator' && (o.metadata.namespace ?? 'default') === namespace && artifactNames(o).includes(name)),
  })
  const resolveSource = (ref: SourceRef): ArtifactResult => sources.resolve(ref)

  const entryObj = bootstrapKustomization(entry)
  const entryState: OwnerState = { ref: ownerRefOf(entryObj)!, object: entryObj, done: false, location: { file: entry.path } }
  owners.set(ownerKey(entryState.ref), entryState)
  if (tree.stat(entry.path)?.type !== 'dir') {
    diagnostics.push({ code: 'cluster/path-not-found', severity: 'error', message: `cluster path ${entry.path} does not exist in the repository`, location: { file: entry.path } })
  }

  const ctxFor = (s: OwnerState): ((d: Diagnostic) => Diagnostic) => (d) => ({ ...d, cluster: entry.name, owner: ownerKey(s.ref), ...(d.location ? {} : s.location ? { location: s.location } : {}) })

  for (;;) {
    const pending = [...owners.values()].filter((s) => !s.done)
    if (pending.length === 0) break
    const next = pickNext(pending, owners, resolveSource, diagnostics, entry.name)
    next.done = true
    order.push(next)
    const tag = ctxFor(next)
    if (next.ref.kind === 'Kustomization') {
      const r = renderKustomization(next.object, { resolveSource, lookup, strictSubstitution: opts.strictSubstitution })
      next.status = r.status
      if (r.note) next.note = r.note
      diagnostics.push(...r.diagnostics.map(tag))
      const fromRepo = r.artifact?.source.startsWith('this repository') ?? false
      for (const pb of r.objects) {
        const source = fromRepo ? index.locate(pb.object) : undefined
        objects.push({ object: pb.object, owner: next.ref, ...(source ? { source } : {}), ...(pb.sops ? { sops: true } : {}) })
        addChild(pb.object, next, source)
      }
    } else {
      const r = await renderHelmRelease(next.object, { lookup, findSource, resolveArtifact: resolveSource, allowRemoteCharts: opts.allowRemoteCharts, ...(helm ? { helm } : {}) })
      next.status = r.status
      next.helm = r.helm
      if (r.note) next.note = r.note
      diagnostics.push(...r.diagnostics.map(tag))
      for (const o of r.objects) objects.push({ object: o, owner: next.ref })
    }
  }

  function addChild(obj: KubeObject, parent: OwnerState, location: ClusterRender['objects'][number]['source']): void {
    const ref = ownerRefOf(obj)
    if (!ref) return
    const key = ownerKey(ref)
    const existing = owners.get(key)
    if (!existing) {
      owners.set(key, { ref, object: obj, parent: parent.ref, done: false, ...(location ? { location } : {}) })
      return
    }
    if (existing === entryState && parent === entryState) {
      // The cluster's own flux-system Kustomization (gotk-sync.yaml): the bootstrap entry itself.
      entryState.object = obj
      if (location) entryState.location = location
      return
    }
    const cycle = ancestors(parent).some((a) => ownerKey(a.ref) === key)
    diagnostics.push({
      code: cycle ? 'render/cycle' : 'render/duplicate-owner',
      severity: cycle ? 'error' : 'warning',
      message: cycle
        ? `${key} is applied again by its descendant ${ownerKey(parent.ref)}: Kustomization cycle, not followed`
        : `${key} is declared by both ${existing.parent ? ownerKey(existing.parent) : 'the entry'} and ${ownerKey(parent.ref)}; the first one is rendered`,
      cluster: entry.name,
      owner: ownerKey(parent.ref),
      ...(location ? { location } : {}),
    })
  }

  function ancestors(s: OwnerState): OwnerState[] {
    const out: OwnerState[] = []
    let cur: OwnerState | undefined = s
    while (cur && !out.includes(cur)) {
      out.push(cur)
      cur = cur.parent ? owners.get(ownerKey(cur.parent)) : undefined
    }
    return out
  }

  return { name: entry.name, path: entry.path, owners: order.map(toRenderedOwner), objects, diagnostics }
}

function artifactNames(gen: KubeObject): string[] {
  const spec = gen['spec']
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return []
  const arts = (spec as Record<string, unknown>)['artifacts']
  return Array.isArray(arts) ? arts.map((a) => String((a as Record<string, unknown>)?.['name'] ?? '')) : []
}

/**
 * The next owner to render: Kustomizations before HelmReleases (HelmReleases read values and
 * repositories that any Kustomization may define); among them the first whose dependsOn are
 * rendered and whose source is already known. When none qualifies, dependsOn cycles are
 * reported and the first pending one is taken anyway.
 */
function pickNext(pending: OwnerState[], owners: Map<string, OwnerState>, resolve: (r: SourceRef) => ArtifactResult, diagnostics: Diagnostic[], cluster: string): OwnerState {
  const ks = pending.filter((s) => s.ref.kind === 'Kustomization')
  const pool = ks.length > 0 ? ks : pending
  const depsDone = (s: OwnerState): boolean => dependsOnOf(s).every((d) => owners.get(ownerKey(d))?.done !== false)
  const sourceKnown = (s: OwnerState): boolean => s.ref.kind !== 'Kustomization' || resolve(sourceRefOf(s.object)).type !== 'missing'
  const ready = pool.find((s) => depsDone(s) && sourceKnown(s)) ?? pool.find((s) => sourceKnown(s) && !blockedByPending(s, owners)) ?? pool.find(depsDone)
  if (ready) return ready
  const first = pool[0]!
  diagnostics.push({
    code: 'render/dependency-cycle',
    severity: 'warning',
    message: `dependsOn of ${ownerKey(first.ref)} cannot be satisfied (cycle among ${pool.map((p) => ownerKey(p.ref)).join(', ')}); Flux would never apply them`,
    cluster,
    owner: ownerKey(first.ref),
  })
  return first
}

function blockedByPending(s: OwnerState, owners: Map<string, OwnerState>): boolean {
  return dependsOnOf(s).some((d) => owners.get(ownerKey(d))?.done === false)
}

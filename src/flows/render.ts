import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import { collectSecretValues, maskRenderedObject, maskShown, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { FleetRender, OwnerRef, OwnerStatus } from '../core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../core/render/render-fleet.js'
import type { Clock } from '../ports/clock.js'
import type { FileTree } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { ThreadPool } from '../ports/threads.js'
import type { Logger } from '../ports/logger.js'
import type { RenderCache } from '../ports/render-cache.js'
import { UnitMemo } from '../core/render/flux/unit-memo.js'
import type { UnitMemoStats } from '../core/render/flux/unit-memo-types.js'
import { GATE_CONFIG_FILE, quietLogger, renderSettingsOf } from './plan.js'
import { parseClusterValues } from '../core/load/cluster-values.js'
import { capabilitiesOf, chartPolicy, decideTrust, type ChangeOrigin } from './trust.js'

/** What to render: one tree of the repository. */
export interface RenderRequest extends Omit<RenderOptions, 'allowRemoteCharts' | 'remoteChartsOff' | 'helmOff'> {
  tree: FileTree
  origin: ChangeOrigin
  /** No chart fetches (`--offline`); default false: a trusted render fetches remote charts. */
  offline?: boolean
  /** @deprecated Remote charts are fetched by default; `false` means `offline: true`. */
  allowRemoteCharts?: boolean
  helm?: HelmRunner
  /** Other threads to walk clusters in (ports/threads.ts); without, every cluster renders in this one. */
  threads?: ThreadPool
  logger?: Logger
  clock?: Clock
  /** Values never to show. */
  secretValues?: readonly string[]
  /** Told each step as it starts, for progress on a terminal. */
  progress?: (step: string) => void
  /** Where renders of Kustomizations and HelmReleases are kept between runs (`--render-cache`). */
  renderCache?: RenderCache
}

/** One object as it may be shown: masked, with its cluster, owner and source. */
export interface ShownObject {
  cluster: string
  owner: OwnerRef
  source?: SourceLocation
  object: KubeObject
}

/** One Kustomization or HelmRelease of the render as it may be shown (`fluxgate get`). */
export interface ShownOwner {
  cluster: string
  ref: OwnerRef
  /** The Flux object as its parent applies it, masked. */
  object: KubeObject
  parent?: OwnerRef
  status: OwnerStatus
  suspended: boolean
  prune: boolean
  dependsOn: OwnerRef[]
  /** Where it is declared, when known. */
  location?: SourceLocation
  /** For a HelmRelease: the chart and version the render used (or compared by values). */
  chart?: { name: string; version: string }
  /** Why it was not rendered (external, values-only, failed), masked. */
  note?: string
}

/** A render ready to present: every object, owner and diagnostic with secret values removed. */
export interface RenderedRepository {
  /** The raw render (holds secret values in memory: never print it). */
  fleet: FleetRender
  objects: ShownObject[]
  owners: ShownOwner[]
  diagnostics: Diagnostic[]
  /** With a renderCache: how many Kustomizations and HelmReleases were rendered, and how many reused. */
  units?: UnitMemoStats
}

/**
 * Renders every cluster of one tree (`fluxgate render`, `get`, `check`), with
 * trust deciding what may run, and masks the result once for every presenter: Secret and SOPS
 * values become `***`, values taken from Secrets are removed from objects and messages.
 */
export async function renderFlow(req: RenderRequest): Promise<RenderedRepository> {
  const can = capabilitiesOf(decideTrust(req.origin), chartPolicy(req))
  const { tree, origin: _origin, helm, logger, clock, secretValues, clusterValues: given, offline: _offline, allowRemoteCharts: _allow, sources, clusterNames, progress, renderCache, threads, ...opts } = req
  // The tree's own `.github/fluxgate.yml` first; values given by the caller (--values-file) win.
  const bytes = tree.readFile(GATE_CONFIG_FILE)
  const own = bytes ? parseClusterValues(new TextDecoder().decode(bytes), GATE_CONFIG_FILE) : { values: [], diagnostics: [] }
  const clusterValues = [...own.values, ...(given ?? [])]
  const settings = renderSettingsOf(tree, sources)
  for (const [k, v] of clusterNames ?? []) settings.clusterNames.set(k, v)
  const off = { ...(can.remoteChartsOff ? { remoteChartsOff: can.remoteChartsOff } : {}), ...(can.helmOff ? { helmOff: can.helmOff } : {}) }
  progress?.('rendering')
  // Always a memo, a render cache or not: through it a HelmRelease of a chart in Git starts
  // rendering when a Kustomization places it, beside the walk, instead of after every
  // Kustomization (the 10,000-Kustomization render took 148 s instead of 165 s). Without a
  // cache nothing is asked twice, so it keeps no result beyond a release's turn.
  const units = new UnitMemo(renderCache ? { store: renderCache } : { retain: false })
  const fleet = await renderFleet(
    tree,
    {
      ...opts,
      ...(clusterValues.length > 0 ? { clusterValues } : {}),
      allowRemoteCharts: can.remoteCharts,
      ...off,
      ...(settings.sources.size > 0 ? { sources: settings.sources } : {}),
      ...(settings.clusterNames.size > 0 ? { clusterNames: settings.clusterNames } : {}),
    },
    { logger: logger ?? quietLogger, units, ...(clock ? { clock } : {}), ...(can.helm && helm ? { helm } : {}), ...(threads ? { threads } : {}) },
  )
  // Records were written beside the render; they are kept before the caller prunes the cache.
  await renderCache?.settled?.()
  fleet.diagnostics.unshift(...own.diagnostics)
  fleet.diagnostics.push(...settings.diagnostics)
  const redactor = new Redactor(collectSecretValues([fleet], secretValues ?? []))
  // Owners and diagnostics whole, not only messages: a Secret's value can reach a name (`leak-${S}`).
  const objects = fleet.clusters.flatMap((c) => c.objects.map((o) => ({ cluster: c.name, owner: maskShown(o.owner, redactor), ...(o.source ? { source: o.source } : {}), object: maskRenderedObject(o, redactor) })))
  const owners = fleet.clusters.flatMap((c) =>
    c.owners.map(
      (o): ShownOwner => ({
        cluster: c.name,
        ref: maskShown(o.ref, redactor),
        object: maskRenderedObject({ object: o.object }, redactor),
        ...(o.parent ? { parent: maskShown(o.parent, redactor) } : {}),
        status: o.status,
        suspended: o.suspended,
        prune: o.prune,
        dependsOn: maskShown(o.dependsOn, redactor),
        ...(o.location ? { location: o.location } : {}),
        ...(o.helm ? { chart: { name: redactor.text(o.helm.chart), version: redactor.text(o.helm.version) } } : {}),
        ...(o.note ? { note: redactor.text(o.note) } : {}),
      }),
    ),
  )
  const diagnostics = [...fleet.diagnostics, ...fleet.clusters.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cluster: d.cluster ?? c.name })))].map((d) => maskShown(d, redactor))
  return { fleet, objects, owners, diagnostics, ...(units ? { units: units.stats } : {}) }
}

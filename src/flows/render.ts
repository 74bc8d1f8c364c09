import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import { collectSecretValues, maskRenderedObject, maskShown, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { FleetRender, OwnerRef } from '../core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../core/render/render-fleet.js'
import type { Clock } from '../ports/clock.js'
import type { FileTree } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { Logger } from '../ports/logger.js'
import type { RenderCache } from '../ports/render-cache.js'
import { UnitMemo, type UnitMemoStats } from '../core/render/flux/unit-memo.js'
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
  logger?: Logger
  clock?: Clock
  /** Values never to show. */
  secretValues?: readonly string[]
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

/** A render ready to present: every object and diagnostic with secret values removed. */
export interface RenderedRepository {
  /** The raw render (holds secret values in memory: never print it). */
  fleet: FleetRender
  objects: ShownObject[]
  diagnostics: Diagnostic[]
  /** With a renderCache: how many Kustomizations and HelmReleases were rendered, and how many reused. */
  units?: UnitMemoStats
}

/**
 * Renders every cluster of one tree (`fluxgate render`, and the listings built on it), with
 * trust deciding what may run, and masks the result once for every presenter: Secret and SOPS
 * values become `***`, values taken from Secrets are removed from objects and messages.
 */
export async function renderFlow(req: RenderRequest): Promise<RenderedRepository> {
  const can = capabilitiesOf(decideTrust(req.origin), chartPolicy(req))
  const { tree, origin: _origin, helm, logger, clock, secretValues, renderCache, clusterValues: given, offline: _offline, allowRemoteCharts: _allow, sources, clusterNames, ...opts } = req
  // The tree's own `.github/fluxgate.yml` first; values given by the caller (--values-file) win.
  const bytes = tree.readFile(GATE_CONFIG_FILE)
  const own = bytes ? parseClusterValues(new TextDecoder().decode(bytes), GATE_CONFIG_FILE) : { values: [], diagnostics: [] }
  const clusterValues = [...own.values, ...(given ?? [])]
  const settings = renderSettingsOf(tree, sources)
  for (const [k, v] of clusterNames ?? []) settings.clusterNames.set(k, v)
  const off = { ...(can.remoteChartsOff ? { remoteChartsOff: can.remoteChartsOff } : {}), ...(can.helmOff ? { helmOff: can.helmOff } : {}) }
  const units = renderCache ? new UnitMemo({ store: renderCache }) : undefined
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
    { logger: logger ?? quietLogger, ...(units ? { units } : {}), ...(clock ? { clock } : {}), ...(can.helm && helm ? { helm } : {}) },
  )
  fleet.diagnostics.unshift(...own.diagnostics)
  fleet.diagnostics.push(...settings.diagnostics)
  const redactor = new Redactor(collectSecretValues([fleet], secretValues ?? []))
  // Owners and diagnostics whole, not only messages: a Secret's value can reach a name (`leak-${S}`).
  const objects = fleet.clusters.flatMap((c) => c.objects.map((o) => ({ cluster: c.name, owner: maskShown(o.owner, redactor), ...(o.source ? { source: o.source } : {}), object: maskRenderedObject(o, redactor) })))
  const diagnostics = [...fleet.diagnostics, ...fleet.clusters.flatMap((c) => c.diagnostics)].map((d) => maskShown(d, redactor))
  return { fleet, objects, diagnostics, ...(units ? { units: units.stats } : {}) }
}

import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import { collectSecretValues, maskRenderedObject, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { FleetRender, OwnerRef } from '../core/model/render-result.js'
import { UnitMemo, type UnitMemoStats } from '../core/render/flux/unit-memo.js'
import { renderFleet, type RenderOptions } from '../core/render/render-fleet.js'
import type { Clock } from '../ports/clock.js'
import type { FileTree } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { Logger } from '../ports/logger.js'
import type { RenderCache } from '../ports/render-cache.js'
import { quietLogger } from './plan.js'
import { capabilitiesOf, decideTrust, type ChangeOrigin } from './trust.js'

/** What to render: one tree of the repository. */
export interface RenderRequest extends Omit<RenderOptions, 'allowRemoteCharts'> {
  tree: FileTree
  origin: ChangeOrigin
  allowRemoteCharts?: boolean
  helm?: HelmRunner
  logger?: Logger
  clock?: Clock
  /** Values never to show. */
  secretValues?: readonly string[]
  /** Where renders of Kustomizations and HelmReleases are kept between runs (plan.ts). */
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
  const can = capabilitiesOf(decideTrust(req.origin), { allowRemoteCharts: req.allowRemoteCharts === true })
  const { tree, origin: _origin, helm, logger, clock, secretValues, renderCache, ...opts } = req
  const units = renderCache ? new UnitMemo({ store: renderCache }) : undefined
  const fleet = await renderFleet(tree, { ...opts, allowRemoteCharts: can.remoteCharts }, { logger: logger ?? quietLogger, ...(units ? { units } : {}), ...(clock ? { clock } : {}), ...(can.helm && helm ? { helm } : {}) })
  const redactor = new Redactor(collectSecretValues([fleet], secretValues ?? []))
  const objects = fleet.clusters.flatMap((c) => c.objects.map((o) => ({ cluster: c.name, owner: o.owner, ...(o.source ? { source: o.source } : {}), object: maskRenderedObject(o, redactor) })))
  const diagnostics = [...fleet.diagnostics, ...fleet.clusters.flatMap((c) => c.diagnostics)].map((d) => ({ ...d, message: redactor.text(d.message) }))
  return { fleet, objects, diagnostics, ...(units ? { units: units.stats } : {}) }
}

import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import { collectSecretValues, maskRenderedObject, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { FleetRender, OwnerRef, OwnerStatus } from '../core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../core/render/render-fleet.js'
import type { Clock } from '../ports/clock.js'
import type { FileTree } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { Logger } from '../ports/logger.js'
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
  /** Told each step as it starts, for progress on a terminal. */
  progress?: (step: string) => void
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
}

/**
 * Renders every cluster of one tree (`fluxgate render`, `get`, `check`), with
 * trust deciding what may run, and masks the result once for every presenter: Secret and SOPS
 * values become `***`, values taken from Secrets are removed from objects and messages.
 */
export async function renderFlow(req: RenderRequest): Promise<RenderedRepository> {
  const can = capabilitiesOf(decideTrust(req.origin), { allowRemoteCharts: req.allowRemoteCharts === true })
  const { tree, origin: _origin, helm, logger, clock, secretValues, progress, ...opts } = req
  progress?.('rendering')
  const fleet = await renderFleet(tree, { ...opts, allowRemoteCharts: can.remoteCharts }, { logger: logger ?? quietLogger, ...(clock ? { clock } : {}), ...(can.helm && helm ? { helm } : {}) })
  const redactor = new Redactor(collectSecretValues([fleet], secretValues ?? []))
  const objects = fleet.clusters.flatMap((c) => c.objects.map((o) => ({ cluster: c.name, owner: o.owner, ...(o.source ? { source: o.source } : {}), object: maskRenderedObject(o, redactor) })))
  const owners = fleet.clusters.flatMap((c) =>
    c.owners.map(
      (o): ShownOwner => ({
        cluster: c.name,
        ref: o.ref,
        object: maskRenderedObject({ object: o.object }, redactor),
        ...(o.parent ? { parent: o.parent } : {}),
        status: o.status,
        suspended: o.suspended,
        prune: o.prune,
        dependsOn: o.dependsOn,
        ...(o.location ? { location: o.location } : {}),
        ...(o.helm ? { chart: { name: redactor.text(o.helm.chart), version: redactor.text(o.helm.version) } } : {}),
        ...(o.note ? { note: redactor.text(o.note) } : {}),
      }),
    ),
  )
  const diagnostics = [...fleet.diagnostics, ...fleet.clusters.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cluster: d.cluster ?? c.name })))].map((d) => ({ ...d, message: redactor.text(d.message) }))
  return { fleet, objects, owners, diagnostics }
}

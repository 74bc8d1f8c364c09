import type { SourceLocation } from '../core/diagnostics/diagnostic.js'
import { ownerKey, type ClusterCandidate, type ClusterRender, type FleetRender } from '../core/model/render-result.js'

/** One cluster as `fluxgate clusters` reports it. */
export interface ClusterListing {
  name: string
  path: string
  /** How the root was found (entry clusters). */
  root?: { from: string; kustomization: string; source: string; location?: string }
  /** The hub and kubeConfig (remote clusters). */
  remote?: { hub: string; kubeConfig: string; owners: string[] }
  owners: number
  objects: number
  errors: number
}

/** What `fluxgate clusters --format json` prints. */
export interface ClustersReport {
  clusters: ClusterListing[]
  /** Every candidate discovery weighed (absent when the paths were given). */
  candidates?: (Omit<ClusterCandidate, 'location'> & { location?: string })[]
}

const ROOT_FROM: Record<string, string> = {
  bootstrap: 'flux bootstrap sync (gotk-sync.yaml)',
  kustomization: 'a Kustomization of the entry folder',
  'flux-instance': 'a FluxInstance sync',
  synthesised: 'made as flux bootstrap would (nothing in Git defines it)',
}

function where(l: SourceLocation | undefined): string | undefined {
  return l ? `${l.file}${l.line ? `:${l.line}` : ''}` : undefined
}

/** The clusters of a render and how each was found, plus the candidates discovery turned down. */
export function clustersReport(fleet: FleetRender): ClustersReport {
  const clusters = fleet.clusters.map((c): ClusterListing => {
    const location = where(c.root?.location)
    return {
      name: c.name,
      path: c.path,
      ...(c.root
        ? { root: { from: c.root.from, kustomization: ownerKey(c.root.kustomization), source: `${c.root.source.kind}/${c.root.source.namespace}/${c.root.source.name}`, ...(location ? { location } : {}) } }
        : {}),
      ...(c.remote ? { remote: { hub: c.remote.hub, kubeConfig: `${c.remote.kubeConfig.kind}/${c.remote.kubeConfig.namespace}/${c.remote.kubeConfig.name}`, owners: remoteOwners(c) } } : {}),
      owners: c.owners.length,
      objects: c.objects.length,
      errors: c.diagnostics.filter((d) => d.severity === 'error').length,
    }
  })
  const candidates = fleet.discovery?.map((c) => {
    const { location, ...rest } = c
    const at = where(location)
    return { ...rest, ...(at ? { location: at } : {}) }
  })
  return { clusters, ...(candidates ? { candidates } : {}) }
}

function remoteOwners(c: ClusterRender): string[] {
  return c.owners.filter((o) => o.parent !== undefined && !c.owners.some((p) => ownerKey(p.ref) === ownerKey(o.parent!))).map((o) => ownerKey(o.ref))
}

/** Printable on a terminal: control characters from repository names cannot reach it. */
function safe(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?')
}

/** `fluxgate clusters` for a terminal: each cluster, how its root was found, then what was not taken and why. */
export function renderClustersText(report: ClustersReport): string {
  const out: string[] = [`Clusters (${report.clusters.length})`]
  for (const c of report.clusters) {
    out.push(`  ${safe(c.name)}  (${c.remote ? `through ${safe(c.remote.hub)}` : safe(c.path || '.')}): ${c.owners} owners, ${c.objects} objects${c.errors ? `, ${c.errors} errors` : ''}`)
    if (c.root) out.push(`    root: ${safe(c.root.kustomization)} from ${safe(c.root.source)}, ${ROOT_FROM[c.root.from] ?? c.root.from}${c.root.location ? ` (${safe(c.root.location)})` : ''}`)
    if (c.remote) {
      out.push(`    kubeConfig: ${safe(c.remote.kubeConfig)}`)
      if (c.remote.owners.length > 0) out.push(`    applied by: ${c.remote.owners.map(safe).join(', ')}`)
    }
    const found = report.candidates?.find((k) => k.accepted && k.path === c.path && !c.remote)
    if (found) out.push(`    found: ${safe(found.reason)}${found.location ? ` (${safe(found.location)})` : ''}`)
  }
  const rejected = (report.candidates ?? []).filter((k) => !k.accepted)
  if (rejected.length > 0) {
    out.push('', `Not clusters (${rejected.length})`)
    for (const k of rejected) out.push(`  ${safe(k.path || '.')}: ${safe(k.reason)}${k.location ? ` (${safe(k.location)})` : ''}`)
  }
  return out.join('\n') + '\n'
}

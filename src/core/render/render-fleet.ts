import type { Clock } from '../../ports/clock.js'
import type { FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { Logger } from '../../ports/logger.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { clusterEntries, discoverClusters, type ClusterEntry } from '../load/clusters.js'
import type { ClusterRender, FleetRender } from '../model/render-result.js'
import { phase } from '../timings/phases.js'
import { DeclarationIndex } from './flux/object-index.js'
import type { UnitMemo } from './flux/unit-memo.js'
import { renderCluster } from './flux/walker.js'

/** Options of a fleet render; defaults follow Flux 2.9 (9.1). */
export interface RenderOptions {
  /** The commit SHA being rendered (reported as is). */
  revision: string
  /** Cluster entry paths; default: each folder under `clusters/` that holds Flux objects. */
  paths?: string[]
  /** URL of the repository under review: GitRepositories with this URL render from `tree` (G-1). */
  repoUrl?: string
  /** The branch this revision stands for; GitRepositories of this repository on other refs are external (G-10). */
  branch?: string
  /** kc StrictPostBuildSubstitutions gate (S-11); default true (Flux 2.9). */
  strictSubstitution?: boolean
  /** Fetch charts from HelmRepositories/OCI registries; otherwise values-only (default false). */
  allowRemoteCharts?: boolean
}

/** What a fleet render reaches outside the core; each is optional. */
export interface RenderPorts {
  helm?: HelmRunner
  logger?: Logger
  /** Times the render (`durationMs`); without one it is reported as 0. */
  clock?: Clock
  /**
   * Reuses earlier renders of Flux Kustomizations and HelmReleases whose read-sets are
   * unchanged (an earlier tree rendered with the same memo, or its RenderCache).
   */
  units?: UnitMemo
}

/**
 * Renders every cluster of a repository tree as Flux would apply it: the single entry point
 * for diff, report and gate. Helm and registries are reached only through `ports.helm`.
 */
export async function renderFleet(tree: FileTree, opts: RenderOptions, ports: RenderPorts = {}): Promise<FleetRender> {
  const started = ports.clock?.now() ?? 0
  const diagnostics: Diagnostic[] = []
  const entries: ClusterEntry[] = opts.paths && opts.paths.length > 0 ? clusterEntries(opts.paths) : phase('walk: cluster discovery', () => discoverClusters(tree))
  if (entries.length === 0) {
    diagnostics.push({ code: 'cluster/none-found', severity: 'error', message: 'no cluster found: no folder under clusters/ holds Flux objects; pass --path' })
  }
  const index = new DeclarationIndex(tree, ports.units?.store)
  const clusters: ClusterRender[] = []
  for (const entry of entries) {
    ports.logger?.info(`rendering cluster ${entry.name} (${entry.path})`)
    clusters.push(
      await renderCluster(
        tree,
        entry,
        {
          ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}),
          ...(opts.branch ? { branch: opts.branch } : {}),
          strictSubstitution: opts.strictSubstitution ?? true,
          revision: opts.revision,
          allowRemoteCharts: opts.allowRemoteCharts ?? false,
          ...(ports.units ? { units: ports.units } : {}),
        },
        ports.helm,
        index,
      ),
    )
  }
  return { revision: opts.revision, clusters, diagnostics, durationMs: ports.clock ? ports.clock.now() - started : 0 }
}

import type { Clock } from '../../ports/clock.js'
import type { FileTree } from '../../ports/file-tree.js'
import type { HelmRunner } from '../../ports/helm.js'
import type { Logger } from '../../ports/logger.js'
import type { ThreadPool } from '../../ports/threads.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { clusterEntries, discoverClusters, type ClusterEntry } from '../load/clusters.js'
import type { ClusterValues } from '../load/cluster-values.js'
import { pushedArtifacts } from '../load/workflows.js'
import { scanRepository } from '../load/repo-scan.js'
import type { ScanStore } from '../load/scan-records.js'
import type { ClusterCandidate, ClusterRender, FleetRender } from '../model/render-result.js'
import { addPhases, phase, recordingPhases } from '../timings/phases.js'
import type { UnitMemo } from './flux/unit-memo.js'
import type { FleetMemo } from './fleet-memo.js'
import { ClusterReads, WatchedDeclared, type ClusterMemo } from './cluster-memo.js'
import { renderClusters, type WalkOptions } from './flux/walker.js'
import { isWalkAnswer, type WalkTask } from './thread-walk.js'
import { DeclaredValues } from './values/creators.js'

/** Options of a fleet render; defaults follow Flux 2.9 (9.1). */
export interface RenderOptions {
  /** The commit SHA being rendered (reported as is). */
  revision: string
  /** Cluster entry paths; default: discovered (gotk-sync.yaml, FluxInstance sync, `clusters/` folders). */
  paths?: string[]
  /** URL of the repository under review: GitRepositories with this URL render from `tree` (G-1). */
  repoUrl?: string
  /** The branch this revision stands for; GitRepositories of this repository on other refs are external (G-10). */
  branch?: string
  /** kc StrictPostBuildSubstitutions gate (S-11); default true (Flux 2.9). */
  strictSubstitution?: boolean
  /** Fetch charts from HelmRepositories/OCI registries; otherwise values-only (default false). */
  allowRemoteCharts?: boolean
  /** Values of ConfigMaps/Secrets that live only in the cluster (`clusterValues`, src/core/load/cluster-values.ts). */
  clusterValues?: ClusterValues
  /** Why remote charts are not fetched (`--offline`, an untrusted change): said once per cluster. */
  remoteChartsOff?: string
  /** Why helm is not run, when the caller withholds it (an untrusted change). */
  helmOff?: string
  /**
   * Sources that carry this repository: `Kind/namespace/name` → repository folder (the
   * settings' `sources:` and `--source`). OCIRepositories a workflow pushes are found alone.
   */
  sources?: ReadonlyMap<string, string>
  /** Names of remote (kubeConfig) clusters, keyed by the kubeConfig Secret's `namespace/name`. */
  clusterNames?: ReadonlyMap<string, string>
}

/** What a fleet render reaches outside the core; each is optional. */
export interface RenderPorts {
  helm?: HelmRunner
  logger?: Logger
  /** Times the render (`durationMs`); without one it is reported as 0. */
  clock?: Clock
  /**
   * Reuses earlier renders of Flux Kustomizations and HelmReleases whose read-sets are
   * unchanged (an earlier tree rendered with the same memo: the base of a pull request).
   */
  units?: UnitMemo
  /**
   * Other threads: with two clusters or more, each cluster's walks are made in one of them,
   * unless the memo's render cache cannot be opened there.
   */
  threads?: ThreadPool
  /**
   * Whole renders of trees rendered before with the same options (a long-lived planner's):
   * such a tree is not walked again. Used with `units` only, which tells a render that fetched
   * from a registry (never kept).
   */
  fleets?: FleetMemo
  /**
   * Whole cluster walks, reused in a later tree that answers every question they asked alike
   * (a pull request's head, for each cluster its change does not reach). Used with `units`
   * only, and not for walks sent to other threads.
   */
  clusters?: ClusterMemo
}

/**
 * Renders every cluster of a repository tree as Flux would apply it: the single entry point
 * for diff, report and gate. Helm and registries are reached only through `ports.helm`.
 */
export async function renderFleet(tree: FileTree, opts: RenderOptions, ports: RenderPorts = {}): Promise<FleetRender> {
  return (await renderFleets([{ tree, opts }], ports))[0]!
}

/** One tree of renderFleets. */
export interface FleetSide {
  tree: FileTree
  opts: RenderOptions
}

/** A tree's discovered clusters and what every walk of it shares. */
interface Side {
  entries: ClusterEntry[]
  declared: DeclaredValues
  walk: Omit<WalkOptions, 'units'>
  diagnostics: Diagnostic[]
  discovery?: ClusterCandidate[]
  tree: FileTree
  /** When its last cluster was rendered. */
  ended: number
}

/**
 * renderFleet of several trees (the base and head of a plan) with the same ports, each fleet as
 * renderFleet gives it. A cluster found in several trees is walked in each, one after another,
 * and different clusters side by side: with `ports.units`, the later trees reuse what the
 * earlier walks of their cluster rendered; with `ports.threads`, the walks of one cluster go
 * to another thread together, so what they share crosses back once.
 */
export async function renderFleets(list: readonly FleetSide[], ports: RenderPorts = {}): Promise<FleetRender[]> {
  const { fleets, units } = ports
  const keys = list.map((s) => (fleets && units ? fleets.keyOf(s.tree, s.opts, ports.helm) : undefined))
  const known = keys.map((k) => (k === undefined ? undefined : fleets!.get(k)))
  const todo = list.flatMap((_, i) => (known[i] ? [] : [i]))
  if (units && todo.length < list.length) units.stats.wholeTrees = (units.stats.wholeTrees ?? 0) + list.length - todo.length
  if (todo.length === 0) return known as FleetRender[]
  const uncacheable = units?.stats.uncacheable ?? 0
  const made = await walkFleets(todo.map((i) => list[i]!), ports, todo[0] === 0)
  const out = list.map((_, i) => known[i] ?? made[todo.indexOf(i)]!)
  // Kept only when no unit was templated from a registry's chart (its answer is not in the tree).
  if (fleets && units && units.stats.uncacheable === uncacheable) {
    for (const i of todo) if (keys[i] !== undefined) fleets.set(keys[i], out[i]!)
  }
  return out
}

/** renderFleets of the trees no FleetMemo holds; `keepScan`: the first of them is the plan's base. */
async function walkFleets(list: readonly FleetSide[], ports: RenderPorts, keepScan: boolean): Promise<FleetRender[]> {
  const started = ports.clock?.now() ?? 0
  // Scan records are kept for the first tree only: the base of a plan, which the next plan of
  // the branch renders again. A head shares the base's bytes, and scans only what differs
  // faster than it reads a record.
  const scanStore = keepScan ? ports.units?.scanStore() : undefined
  const sides = list.map((s, i) => discover(s.tree, s.opts, i === 0 ? scanStore : undefined))
  // Clusters by entry across the trees, in the order first found; each walked in every tree that has it.
  const groups = new Map<string, { side: number; entry: ClusterEntry }[]>()
  // Each tree's group keys in its own entry order (its fleet lists its clusters in that order).
  const keysOf = sides.map((side, i) => {
    const seen = new Map<string, number>()
    return side.entries.map((entry) => {
      const same = `${entry.name}\u0000${entry.path}`
      const n = (seen.get(same) ?? 0) + 1
      seen.set(same, n)
      const key = `${same}\u0000${n}`
      const g = groups.get(key) ?? []
      g.push({ side: i, entry })
      groups.set(key, g)
      return key
    })
  })
  const rendered = new Map<string, ClusterRender[][]>()
  const memo = ports.units?.threadMode()
  const threads = groups.size > 1 && (memo !== undefined || !ports.units) ? ports.threads : undefined
  // A walk is kept only while no walk of these trees has fetched from a registry (clusters walk
  // side by side, so one walk's fetch cannot be told from another's).
  const uncacheable = ports.units?.stats.uncacheable ?? 0
  const here = async (walks: { side: number; entry: ClusterEntry }[]): Promise<ClusterRender[][]> => {
    const out: ClusterRender[][] = []
    for (const w of walks) {
      const side = sides[w.side]!
      const walks = ports.units ? ports.clusters : undefined
      const key = walks?.keyOf(side.tree, w.entry, side.walk, ports.helm)
      const known = key === undefined ? undefined : walks!.find(key, side.tree, w.entry, side.declared)
      if (known) {
        ports.units!.reusedWalk(known)
        out.push([...known])
      } else {
        const reads = key === undefined ? undefined : new ClusterReads(side.tree)
        const declared = reads ? new WatchedDeclared(side.declared) : side.declared
        const result = await renderClusters(reads ?? side.tree, w.entry, { ...side.walk, ...(ports.units ? { units: ports.units } : {}) }, ports.helm, declared)
        if (reads && !ports.units!.readOnly && ports.units!.stats.uncacheable === uncacheable) walks!.keep(key!, side.tree, w.entry, reads, declared as WatchedDeclared, result)
        out.push(result)
      }
      side.ended = ports.clock?.now() ?? 0
    }
    return out
  }
  // Each cluster walk is independent of the others (its own owners, values and results), so a
  // walk in another thread gives what it gives here; results are kept in entry order.
  // Without threads, clusters still render side by side: each walk runs until it waits for
  // helm, and the next cluster's Kustomizations are built meanwhile.
  await Promise.all([...groups].map(async ([key, walks]) => {
    const entry = walks[0]!.entry
    ports.logger?.info(`rendering cluster ${entry.name} (${entry.path || '.'})`)
    const task: WalkTask = { kind: 'fluxgate/walk', walks: walks.map((w, n) => ({ tree: n, entry: w.entry, opts: sides[w.side]!.walk })), ...(memo ? { memo } : {}), timings: recordingPhases() }
    const there = threads?.run(walks.map((w) => sides[w.side]!.tree), key, task, ports.helm)
    let result: ClusterRender[][]
    if (!there) result = await here(walks)
    else {
      result = await there.then(
        (answer) => {
          if (!isWalkAnswer(answer) || answer.clusters.length !== walks.length) throw new Error('a thread answered a cluster walk with something else')
          if (answer.units) ports.units?.absorb(answer.units)
          if (answer.phases) addPhases(answer.phases)
          for (const w of walks) sides[w.side]!.ended = ports.clock?.now() ?? 0
          return answer.clusters
        },
      ).catch((err: unknown) => {
        // A thread that fails (out of memory, killed) loses nothing: the cluster renders here.
        ports.logger?.warn(`cluster ${entry.name} is rendered in this thread: its own failed (${err instanceof Error ? err.message : String(err)})`)
        return here(walks)
      })
    }
    rendered.set(key, result)
  }))
  return sides.map((side, i) => {
    const clusters = keysOf[i]!.flatMap((key) => rendered.get(key)?.[groups.get(key)!.findIndex((w) => w.side === i)] ?? [])
    return {
      revision: list[i]!.opts.revision,
      clusters: uniqueNames(clusters),
      diagnostics: side.diagnostics,
      durationMs: ports.clock ? Math.max(0, side.ended - started) : 0,
      ...(side.discovery ? { discovery: side.discovery } : {}),
    }
  })
}

function discover(tree: FileTree, opts: RenderOptions, store: ScanStore | undefined): Side {
  const diagnostics: Diagnostic[] = []
  const given = opts.paths && opts.paths.length > 0
  // The repository scan that discovery (and each walk's root) reads, from its record where one is kept.
  if (store) phase('walk: cluster discovery', () => scanRepository(tree, store))
  const discovery = given ? undefined : phase('walk: cluster discovery', () => discoverClusters(tree, opts.repoUrl ? { repoUrl: opts.repoUrl } : {}))
  const entries: ClusterEntry[] = discovery ? discovery.entries : clusterEntries(opts.paths!)
  if (discovery && entries.length === 0) diagnostics.push(noneFound(discovery.candidates))
  const pushed = pushedArtifacts(tree, opts.repoUrl)
  const walk: Omit<WalkOptions, 'units'> = {
    ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}),
    ...(opts.clusterValues ? { clusterValues: opts.clusterValues } : {}),
    ...(opts.branch ? { branch: opts.branch } : {}),
    strictSubstitution: opts.strictSubstitution ?? true,
    revision: opts.revision,
    allowRemoteCharts: opts.allowRemoteCharts ?? false,
    ...(opts.remoteChartsOff ? { remoteChartsOff: opts.remoteChartsOff } : {}),
    ...(opts.helmOff ? { helmOff: opts.helmOff } : {}),
    ...(opts.sources ? { sources: opts.sources } : {}),
    ...(opts.clusterNames ? { clusterNames: opts.clusterNames } : {}),
    ...(pushed.length > 0 ? { pushed } : {}),
  }
  return { entries, declared: new DeclaredValues(tree), walk, diagnostics, tree, ended: 0, ...(discovery ? { discovery: discovery.candidates } : {}) }
}

/** "No cluster found", with every candidate discovery weighed and why it was not taken. */
function noneFound(candidates: ClusterCandidate[]): Diagnostic {
  const shown = candidates.slice(0, 12).map((c) => `${c.path || '.'}: ${c.reason}`)
  const more = candidates.length > shown.length ? `; and ${candidates.length - shown.length} more` : ''
  const why = shown.length > 0 ? ` Candidates: ${shown.join('; ')}${more}.` : ' The repository has no gotk-sync.yaml, no FluxInstance with a sync path and no clusters/ folder.'
  return { code: 'cluster/none-found', severity: 'error', message: `no cluster found: nothing in the repository says what Flux syncs; pass --path.${why}` }
}

/**
 * Remote clusters of two hubs can share a kubeConfig name (each hub's spokes keep theirs in
 * the same namespace): those take their hub's name in front, so every cluster name is unique.
 */
function uniqueNames(clusters: ClusterRender[]): ClusterRender[] {
  const count = new Map<string, number>()
  for (const c of clusters) count.set(c.name, (count.get(c.name) ?? 0) + 1)
  return clusters.map((c) => {
    if ((count.get(c.name) ?? 0) < 2 || !c.remote || c.name.startsWith(`${c.remote.hub}/`)) return c
    const name = `${c.remote.hub}/${c.name}`
    return { ...c, name, diagnostics: c.diagnostics.map((d) => (d.cluster === c.name ? { ...d, cluster: name } : d)) }
  })
}

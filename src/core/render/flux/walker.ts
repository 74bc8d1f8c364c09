import type { FileTree } from '../../../ports/file-tree.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import type { ClusterEntry } from '../../load/clusters.js'
import { SourceResolver, type SourceOptions } from '../../load/sources.js'
import type { PushedArtifact } from '../../load/workflows.js'
import type { KubeObject } from '../../model/object.js'
import { ownerKey, type ClusterRender, type ClusterRoot, type OwnerRef } from '../../model/render-result.js'
import { watchedTree } from '../../tree/tree-delta.js'
import type { ClusterValues } from '../../load/cluster-values.js'
import { renderHelmRelease, type HelmContext } from '../helm/helm-release.js'
import { skippedSummary, type SkippedRelease } from '../helm/skipped.js'
import type { DeclaredLookup } from '../values/creators.js'
import { resolveValueSource } from '../values/sources.js'
import { renderKustomization, sourceRefOf, type KustomizationContext } from './kustomization.js'
import { ownerRefOf, toRenderedOwner, type OwnerState } from './owners.js'
import { RemoteClusters } from './remote.js'
import { renderResourceSet } from './resourceset.js'
import { resolveRoot } from './root.js'
import { depsDone, nextHelmWave, nextKustomization, type FindOwner } from './schedule.js'
import type { UnitMemo } from './unit-memo.js'
import { OwnerGraph } from './owner-graph.js'
import { PlacedObjects } from './placed-objects.js'
import { WalkValues } from './walk-values.js'
import { placementOf } from './unit-placement.js'
import { artifactNames, crdApiVersions, duplicateObjects, gitChart, missingDependencies, redact, redactMessages } from './walk-support.js'

/** Options of one cluster walk (see RenderOptions). */
export interface WalkOptions {
  /** Values of ConfigMaps/Secrets that live only in the cluster, supplied by the user. */
  clusterValues?: ClusterValues
  repoUrl?: string
  branch?: string
  strictSubstitution: boolean
  allowRemoteCharts: boolean
  /** Why remote charts are off, and why helm is not run, when the caller says (ChartContext). */
  remoteChartsOff?: string
  helmOff?: string
  /** The commit rendered (H-5 Revision strategy). */
  revision?: string
  /** `Kind/namespace/name` → repository folder, for sources that carry this repository. */
  sources?: ReadonlyMap<string, string>
  /** OCI artifacts the repository's workflows push from its folders. */
  pushed?: readonly PushedArtifact[]
  /** Names for remote clusters, keyed by their kubeConfig Secret's `namespace/name`. */
  clusterNames?: ReadonlyMap<string, string>
  /** Reuses earlier renders of units whose read-sets are unchanged (incremental planning). */
  units?: UnitMemo
}


/** The entry cluster's key among the walk's clusters; a remote cluster's key names its kubeConfig. */
const ENTRY = ''

/**
 * Walks one cluster from its root (G-9): renders Kustomizations and ResourceSets to any depth,
 * in dependsOn order, then HelmReleases (in dependsOn waves, concurrently within a wave),
 * collecting every object with its owner. Cycles and duplicates become diagnostics;
 * everything else still renders. The entry cluster comes first; each distinct
 * `spec.kubeConfig` of a Kustomization or HelmRelease is a remote cluster of its own, after it.
 */
export async function renderClusters(tree: FileTree, entry: ClusterEntry, opts: WalkOptions, helm: HelmRunner | undefined, declared?: DeclaredLookup): Promise<ClusterRender[]> {
  return new ClusterWalk(tree, entry, opts, helm, declared).run()
}

/** The entry cluster of renderClusters (remote clusters left out). */
export async function renderCluster(tree: FileTree, entry: ClusterEntry, opts: WalkOptions, helm: HelmRunner | undefined, declared?: DeclaredLookup): Promise<ClusterRender> {
  return (await renderClusters(tree, entry, opts, helm, declared))[0]!
}

class ClusterWalk {
  private readonly owners: OwnerGraph
  private readonly placed = new PlacedObjects()
  private readonly values: WalkValues
  private readonly skipped: (SkippedRelease & { target: string })[] = []
  /** HelmReleases placed since the last prefetch. */
  private readonly placedReleases: OwnerState[] = []
  private readonly diagnostics: Diagnostic[] = []
  private readonly resolvers = new Map<string, SourceResolver>()
  private readonly remotes: RemoteClusters
  private readonly entryState: OwnerState
  private readonly root: ClusterRoot
  private readonly rootSource: SourceOptions['root']

  constructor(
    private readonly tree: FileTree,
    private readonly entry: ClusterEntry,
    private readonly opts: WalkOptions,
    private readonly helm: HelmRunner | undefined,
    declared?: DeclaredLookup,
  ) {
    this.remotes = new RemoteClusters(entry.name, opts.clusterNames)
    // The root is found from a scan of the whole repository, cached per tree: never through a
    // tree that watches the walk's reads (a cluster's record compares the root itself).
    const root = resolveRoot(watchedTree(tree), entry)
    this.root = root.root
    this.rootSource = root.source
    for (const d of root.diagnostics) this.diagnostics.push({ ...d, cluster: entry.name })
    const obj = root.kustomization
    this.entryState = { ref: ownerRefOf(obj)!, object: obj, done: false, home: ENTRY, target: ENTRY, ...(root.location ? { location: root.location } : {}) }
    this.owners = new OwnerGraph(this.entryState)
    this.values = new WalkValues(this.placed, this.owners, (t) => this.nameOf(t), opts.clusterValues, declared)
  }

  async run(): Promise<ClusterRender[]> {
    if (this.entry.path !== '' && this.tree.stat(this.entry.path)?.type !== 'dir') {
      this.diagnostics.push({ code: 'cluster/path-not-found', severity: 'error', message: `cluster path ${this.entry.path} does not exist in the repository`, location: { file: this.entry.path }, cluster: this.entry.name })
    }
    const find = (s: OwnerState, d: OwnerRef): OwnerState | undefined => this.owners.find(s, d)
    const known = (s: OwnerState): boolean => s.ref.kind !== 'Kustomization' || this.resolver(s.home).resolve(sourceRefOf(s.object)).type !== 'missing'
    const clusterOf = (s: OwnerState): string => this.nameOf(s.target)
    for (;;) {
      const pending = this.owners.pending()
      if (pending.size === 0) break
      const next = nextKustomization(pending, find, known, this.diagnostics, clusterOf)
      if (next) {
        this.owners.start(next)
        this.guard(next, () => (next.ref.kind === 'ResourceSet' ? this.resourceSet(next) : this.kustomization(next)))
        this.prefetchReleases(find)
        if (this.opts.units?.rendering()) await this.helm?.yieldToRenders?.()
        continue
      }
      const wave = nextHelmWave(pending, find, this.diagnostics, clusterOf)
      for (const hr of wave) this.owners.start(hr)
      const results = await Promise.all(wave.map((hr) => this.helmRelease(hr).catch((err: unknown) => () => this.guard(hr, () => { throw err }))))
      for (const finish of results) this.guard(wave[results.indexOf(finish)]!, finish)
    }
    // A release rendered ahead whose owner was taken back (a crash) still has helm running.
    await this.opts.units?.settled()
    this.diagnostics.push(...missingDependencies(this.owners.order, find, (t) => this.nameOf(t)), ...duplicateObjects(this.placed.blocks, (t) => this.nameOf(t)))
    for (const t of [ENTRY, ...this.remotes.keys()]) {
      this.diagnostics.push(...skippedSummary(this.skipped.filter((k) => k.target === t), this.nameOf(t)))
      const everything = this.values.context(undefined, [], t)
      const sources = this.values.unknown.get(t)
      if (sources) this.diagnostics.push(...sources.diagnostics(this.nameOf(t), (ref) => resolveValueSource(ref, everything)?.origin))
    }
    return this.split().map(redactMessages)
  }

  /** One ClusterRender per cluster reached: the entry first, then each kubeConfig's, in the order met. */
  private split(): ClusterRender[] {
    const targets = [ENTRY, ...this.remotes.keys()]
    return targets.map((t) => {
      const name = this.nameOf(t)
      const remote = this.remotes.get(t)
      const encrypted = this.values.encrypted.filter((e) => e.target === t).map((e) => e.e)
      return {
        name,
        path: this.entry.path,
        owners: this.owners.order.filter((s) => s.target === t).map(toRenderedOwner),
        objects: this.placed.in(t),
        ...(encrypted.length > 0 ? { encrypted } : {}),
        diagnostics: this.diagnostics.filter((d) => (d.cluster ?? this.entry.name) === name),
        ...(remote ? { remote: { hub: this.entry.name, kubeConfig: remote.kubeConfig } } : { root: this.root }),
      }
    })
  }

  private nameOf(target: string): string {
    return target === ENTRY ? this.entry.name : (this.remotes.get(target)?.name ?? target)
  }

  private resolver(home: string): SourceResolver {
    let r = this.resolvers.get(home)
    if (!r) {
      const opts: SourceOptions = {
        ...(this.opts.repoUrl ? { repoUrl: this.opts.repoUrl } : {}),
        ...(this.opts.branch ? { branch: this.opts.branch } : {}),
        ...(this.opts.sources ? { mapped: this.opts.sources } : {}),
        ...(this.opts.pushed ? { pushed: this.opts.pushed } : {}),
        // The root source belongs to the entry cluster; a remote cluster's Flux has its own.
        ...(home === ENTRY && this.rootSource ? { root: this.rootSource } : {}),
      }
      r = new SourceResolver(this.tree, opts, {
        find: (kind, ns, name) => this.values.findSource(kind, ns, name, home),
        generatorFor: (ns, name) => this.values.find((g) => g === 'source.extensions.fluxcd.io', 'ArtifactGenerator', ns, undefined, home).find((o) => artifactNames(o).includes(name)),
      })
      this.resolvers.set(home, r)
    }
    return r
  }

  /** The cluster an owner's objects land in: its home, or the remote cluster its `spec.kubeConfig` names. */
  private targetOf(obj: KubeObject, home: string): string {
    return this.remotes.targetOf(obj, home, (t) => this.nameOf(t))
  }

  // A bug in one owner's render (an engine crash) must not lose the rest of the fleet.
  private guard(s: OwnerState, fn: () => void): void {
    const before = this.placed.mark
    try {
      fn()
    } catch (err) {
      this.placed.rollback(before)
      s.status = 'failed'
      s.note = 'internal error while rendering'
      const message = `internal error while rendering ${ownerKey(s.ref)}: ${err instanceof Error ? err.message : String(err)}`
      this.diagnostics.push(this.tag(s, { code: 'render/internal-error', severity: 'error', message }, []))
    }
  }

  private tag(s: OwnerState, d: Diagnostic, secrets: string[]): Diagnostic {
    return { ...d, message: redact(d.message, secrets), cluster: this.nameOf(s.target), owner: ownerKey(s.ref), ...(d.location ? {} : s.location ? { location: s.location } : {}) }
  }

  private kustomization(s: OwnerState): void {
    const ctx: KustomizationContext = {
      resolveSource: (ref) => this.resolver(s.home).resolve(ref),
      values: (built) => this.values.resolver(s, built),
      strictSubstitution: this.opts.strictSubstitution,
      crds: () => this.placed.ofKind(s.target, 'CustomResourceDefinition').map((r) => r.object),
      fluxOperator: () => (s.target === ENTRY && this.root.from === 'flux-instance') || this.placed.ofKind(s.target, 'FluxInstance').length > 0,
    }
    const r = this.opts.units ? this.opts.units.kustomization(s.object, ctx) : renderKustomization(s.object, ctx)
    const secrets = r.secretValues ?? []
    s.secretValues = secrets
    s.status = r.status
    if (r.note) s.note = redact(r.note, secrets)
    const placement = placementOf(r, s.ref)
    // A finding about one built object (SOPS, substitution, namespace) points at its source.
    const at = (d: Diagnostic): Diagnostic => {
      const subject = d.location ? undefined : r.subjects?.get(d)
      const location = subject ? r.sources?.get(subject) : undefined
      return location ? { ...d, location } : d
    }
    // A whole-file SOPS document is reported once per file, however many documents it holds.
    const encryptedFiles = new Set<string>()
    const once = (d: Diagnostic): boolean => d.code !== 'render/sops-encrypted-object' || !d.location || (!encryptedFiles.has(d.location.file) && !!encryptedFiles.add(d.location.file))
    if (r.diagnostics.length > 0) this.diagnostics.push(...r.diagnostics.map((d) => this.tag(s, at(d), secrets)).filter(once))
    this.values.noteReads(s, r.reads ?? [], 'substituteFrom')
    const placeholders = placement.placeholders
    if (placeholders.length > 0) this.values.of(s.home).effect(s.ref, `${placeholders.slice(0, 8).join(', ')}${placeholders.length > 8 ? ` and ${placeholders.length - 8} more` : ''} stay placeholders in Kustomization ${s.ref.namespace}/${s.ref.name}`)
    for (const e of placement.encrypted) this.values.encrypted.push({ e, target: s.target })
    this.placed.addBlock(placement.block, s.target)
    for (const c of placement.children) this.addChild(c.object, s, c.location)
  }

  /** Expands a ResourceSet in its own cluster; its objects are declared by the ResourceSet itself. */
  private resourceSet(s: OwnerState): void {
    const r = renderResourceSet(s.object, (k, ns, n) => this.values.lookup(k, ns, n, s.home))
    s.status = r.status
    if (r.note) s.note = r.note
    this.diagnostics.push(...r.diagnostics.map((d) => this.tag(s, d, [])))
    for (const o of r.objects) {
      this.placed.add({ object: o, owner: s.ref, ...(s.location ? { source: s.location } : {}) }, s.target)
      this.addChild(o, s, s.location)
    }
  }

  /**
   * HelmReleases just placed whose dependencies are rendered and whose chart is in Git start
   * rendering now, beside the walk (UnitMemo.prefetchHelmRelease): their turn comes only once
   * every Kustomization is rendered, and helm would otherwise run after the walk instead of
   * beside it. Their turn replays what they read, so the output is the same.
   */
  private prefetchReleases(find: FindOwner): void {
    const fresh = this.placedReleases.splice(0)
    if (!this.opts.units || !this.helm) return
    for (const s of fresh) if (s.done === false && gitChart(s.object) && depsDone(s, find)) this.opts.units.prefetchHelmRelease(s.object, this.helmContext(s))
  }

  private helmContext(s: OwnerState): HelmContext {
    return {
      values: this.values.resolver(s, []),
      findSource: (k, ns, n) => this.values.findSource(k, ns, n, s.home),
      resolveArtifact: (ref) => this.resolver(s.home).resolve(ref),
      allowRemoteCharts: this.opts.allowRemoteCharts,
      ...(this.opts.remoteChartsOff ? { remoteChartsOff: this.opts.remoteChartsOff } : {}),
      ...(this.opts.helmOff ? { helmOff: this.opts.helmOff } : {}),
      apiVersions: crdApiVersions(this.placed.ofKind(s.target, 'CustomResourceDefinition')),
      ...(this.opts.revision ? { revision: this.opts.revision } : {}),
      ...(this.helm ? { helm: this.helm } : {}),
    }
  }

  /** Renders a HelmRelease; the returned function records the result (keeps output order stable). */
  private async helmRelease(s: OwnerState): Promise<() => void> {
    const ctx = this.helmContext(s)
    const r = this.opts.units ? await this.opts.units.helmRelease(s.object, ctx) : await renderHelmRelease(s.object, ctx)
    return () => {
      s.status = r.status
      s.helm = r.helm
      s.secretValues = r.secretValues
      if (r.note) s.note = redact(r.note, r.secretValues)
      if (r.skipped) this.skipped.push({ ref: s.ref, reason: r.skipped, target: s.target })
      this.diagnostics.push(...r.diagnostics.map((d) => this.tag(s, d, r.secretValues)))
      this.values.noteReads(s, r.reads ?? [], 'valuesFrom')
      for (const u of r.unknown ?? []) this.values.of(s.home).effect(s.ref, u.text, u.ref)
      // Chart objects point at the HelmRelease, and say which chart template made them.
      for (const [i, o] of r.objects.entries()) {
        const template = r.templates[i]
        const source = s.location ? { ...s.location, ...(template ? { via: template } : {}) } : undefined
        this.placed.add({ object: o, owner: s.ref, ...(source ? { source } : {}) }, s.target)
      }
    }
  }

  /** A Flux object one owner applies: a new owner in the cluster it lands in, unless it is already known. */
  private addChild(obj: KubeObject, parent: OwnerState, location: SourceLocation | undefined): void {
    const problem = this.owners.addChild(obj, parent, location, (o, home) => this.targetOf(o, home), this.nameOf(parent.target))
    if (problem) this.diagnostics.push(problem)
    const ref = ownerRefOf(obj)
    const child = ref?.kind === 'HelmRelease' ? this.owners.get(parent.target, ref) : undefined
    if (child?.object === obj) this.placedReleases.push(child)
  }
}


import type { FileTree } from '../../../ports/file-tree.js'
import type { HelmRunner } from '../../../ports/helm.js'
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import { bootstrapKustomization, type ClusterEntry } from '../../load/clusters.js'
import { SourceResolver, type ArtifactResult, type SourceRef } from '../../load/sources.js'
import { groupOf } from '../../model/resource-id.js'
import { collectSecretValues, secretForms } from '../../mask/policy.js'
import { Redactor } from '../../mask/redactor.js'
import { isJsonObject, type KubeObject } from '../../model/object.js'
import { ownerKey, type ClusterRender, type RenderedObject } from '../../model/render-result.js'
import { renderHelmRelease, type HelmContext } from '../helm/helm-release.js'
import { renderKustomization, type KustomizationContext } from './kustomization.js'
import type { DeclarationIndex } from './object-index.js'
import { dependsOnOf, ownerRefOf, toRenderedOwner, type OwnerState } from './owners.js'
import { nextHelmWave, nextKustomization } from './schedule.js'
import type { UnitMemo } from './unit-memo.js'

/** Options of one cluster walk (see RenderOptions). */
export interface WalkOptions {
  repoUrl?: string
  branch?: string
  strictSubstitution: boolean
  allowRemoteCharts: boolean
  /** The commit rendered (H-5 Revision strategy). */
  revision?: string
  /** Reuses earlier renders of units whose read-sets are unchanged (incremental planning). */
  units?: UnitMemo
}

const SOURCE_GROUPS = new Set(['source.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'])

/**
 * Walks one cluster from its entry path (G-9): renders Kustomizations to any depth, in
 * dependsOn order, then HelmReleases (in dependsOn waves, concurrently within a wave),
 * collecting every object with its owner. Cycles and duplicates become diagnostics;
 * everything else still renders.
 */
export async function renderCluster(tree: FileTree, entry: ClusterEntry, opts: WalkOptions, helm: HelmRunner | undefined, index: DeclarationIndex): Promise<ClusterRender> {
  const walk = new ClusterWalk(tree, entry, opts, helm, index)
  return walk.run()
}

class ClusterWalk {
  private readonly owners = new Map<string, OwnerState>()
  private readonly order: OwnerState[] = []
  private readonly objects: RenderedObject[] = []
  /** The CustomResourceDefinitions among `objects`, kept apart: every unit asks for them. */
  private readonly crdObjects: KubeObject[] = []
  private readonly byName = new Map<string, KubeObject[]>()
  private readonly diagnostics: Diagnostic[] = []
  private readonly sources: SourceResolver
  private readonly entryState: OwnerState

  constructor(
    private readonly tree: FileTree,
    private readonly entry: ClusterEntry,
    private readonly opts: WalkOptions,
    private readonly helm: HelmRunner | undefined,
    private readonly index: DeclarationIndex,
  ) {
    const sourceOpts = { ...(opts.repoUrl ? { repoUrl: opts.repoUrl } : {}), ...(opts.branch ? { branch: opts.branch } : {}) }
    this.sources = new SourceResolver(tree, sourceOpts, {
      find: (kind, ns, name) => this.findSource(kind, ns, name),
      generatorFor: (ns, name) => this.find((g) => g === 'source.extensions.fluxcd.io', 'ArtifactGenerator', ns, undefined).find((o) => artifactNames(o).includes(name)),
    })
    const obj = bootstrapKustomization(entry)
    this.entryState = { ref: ownerRefOf(obj)!, object: obj, done: false, location: { file: entry.path } }
    this.owners.set(ownerKey(this.entryState.ref), this.entryState)
  }

  async run(): Promise<ClusterRender> {
    if (this.tree.stat(this.entry.path)?.type !== 'dir') {
      this.diagnostics.push({ code: 'cluster/path-not-found', severity: 'error', message: `cluster path ${this.entry.path} does not exist in the repository`, location: { file: this.entry.path }, cluster: this.entry.name })
    }
    const resolve = (ref: SourceRef): ArtifactResult => this.sources.resolve(ref)
    for (;;) {
      const pending = [...this.owners.values()].filter((s) => !s.done)
      if (pending.length === 0) break
      const ks = nextKustomization(pending, this.owners, resolve, this.diagnostics, this.entry.name)
      if (ks) {
        this.start(ks)
        this.guard(ks, () => this.kustomization(ks))
        continue
      }
      const wave = nextHelmWave(pending, this.owners, this.diagnostics, this.entry.name)
      for (const hr of wave) this.start(hr)
      const results = await Promise.all(wave.map((hr) => this.helmRelease(hr).catch((err: unknown) => () => this.guard(hr, () => { throw err }))))
      for (const finish of results) this.guard(wave[results.indexOf(finish)]!, finish)
    }
    this.checkDependencies()
    this.checkDuplicates()
    const result: ClusterRender = { name: this.entry.name, path: this.entry.path, owners: this.order.map(toRenderedOwner), objects: this.objects, diagnostics: this.diagnostics }
    return redactMessages(result)
  }

  // Two owners applying one object fight over it, and each prunes it when it leaves the other.
  private checkDuplicates(): void {
    const seen = new Map<string, RenderedObject>()
    for (const r of this.objects) {
      const o = r.object
      const key = `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`
      const first = seen.get(key)
      if (!first) {
        seen.set(key, r)
        continue
      }
      if (ownerKey(first.owner) === ownerKey(r.owner)) continue
      this.diagnostics.push({
        code: 'render/duplicate-object',
        severity: 'warning',
        message: `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} is applied by both ${ownerKey(first.owner)} and ${ownerKey(r.owner)}`,
        cluster: this.entry.name,
        owner: ownerKey(r.owner),
        ...(r.source ? { location: r.source } : {}),
      })
    }
  }

  // K-19: a dependency that does not exist keeps the dependent waiting forever.
  private checkDependencies(): void {
    for (const s of this.order) {
      for (const d of dependsOnOf(s)) {
        if (this.owners.has(ownerKey(d))) continue
        this.diagnostics.push({ code: 'render/dependency-missing', severity: 'warning', message: `${ownerKey(s.ref)} depends on ${ownerKey(d)}, which this cluster does not define: Flux would not apply it until it exists (K-19)`, cluster: this.entry.name, owner: ownerKey(s.ref), ...(s.location ? { location: s.location } : {}) })
      }
    }
  }

  // A bug in one owner's render (an engine crash) must not lose the rest of the fleet.
  private guard(s: OwnerState, fn: () => void): void {
    const before = this.objects.length
    const crdsBefore = this.crdObjects.length
    try {
      fn()
    } catch (err) {
      this.objects.splice(before)
      this.crdObjects.splice(crdsBefore)
      s.status = 'failed'
      s.note = 'internal error while rendering'
      const message = `internal error while rendering ${ownerKey(s.ref)}: ${err instanceof Error ? err.message : String(err)}`
      this.diagnostics.push(this.tag(s, { code: 'render/internal-error', severity: 'error', message }, []))
    }
  }

  private start(s: OwnerState): void {
    s.done = true
    this.order.push(s)
  }

  private tag(s: OwnerState, d: Diagnostic, secrets: string[]): Diagnostic {
    return { ...d, message: redact(d.message, secrets), cluster: this.entry.name, owner: ownerKey(s.ref), ...(d.location ? {} : s.location ? { location: s.location } : {}) }
  }

  private kustomization(s: OwnerState): void {
    const ctx: KustomizationContext = {
      resolveSource: (ref) => this.sources.resolve(ref),
      lookup: (k, ns, n) => this.lookup(k, ns, n),
      strictSubstitution: this.opts.strictSubstitution,
      crds: () => [...this.crdObjects],
    }
    const r = this.opts.units ? this.opts.units.kustomization(s.object, ctx) : renderKustomization(s.object, ctx)
    const secrets = r.secretValues ?? []
    s.secretValues = secrets
    s.status = r.status
    if (r.note) s.note = redact(r.note, secrets)
    // Objects point back at the repository file when the artifact came from this repository.
    const origin = r.artifact?.origin
    const repoDir = origin ? (r.artifact!.dir === '' ? '' : origin(r.artifact!.dir)) : undefined
    // A finding about one built object (SOPS, substitution, namespace) points at its file.
    const at = (d: Diagnostic): Diagnostic => {
      const subject = d.location ? undefined : r.subjects?.get(d)
      const location = subject && repoDir !== undefined ? this.index.locate(subject, repoDir) : undefined
      return location ? { ...d, location } : d
    }
    this.diagnostics.push(...r.diagnostics.map((d) => this.tag(s, at(d), secrets)))
    for (const pb of r.objects) {
      // Located by the object as built, before substitution: its file declares `cm-${APP}`, not `cm-web`.
      const source = repoDir !== undefined ? this.index.locate(pb.built, repoDir) : undefined
      this.add({ object: pb.object, owner: s.ref, ...(source ? { source } : {}), ...(pb.sops ? { sops: true } : {}) })
      this.addChild(pb.object, s, source)
    }
  }

  /** Renders a HelmRelease; the returned function records the result (keeps output order stable). */
  private async helmRelease(s: OwnerState): Promise<() => void> {
    const ctx: HelmContext = {
      lookup: (k, ns, n) => this.lookup(k, ns, n),
      findSource: (k, ns, n) => this.findSource(k, ns, n),
      resolveArtifact: (ref) => this.sources.resolve(ref),
      allowRemoteCharts: this.opts.allowRemoteCharts,
      apiVersions: crdApiVersions(this.crdObjects),
      ...(this.opts.revision ? { revision: this.opts.revision } : {}),
      ...(this.helm ? { helm: this.helm } : {}),
    }
    const r = this.opts.units ? await this.opts.units.helmRelease(s.object, ctx) : await renderHelmRelease(s.object, ctx)
    return () => {
      s.status = r.status
      s.helm = r.helm
      s.secretValues = r.secretValues
      if (r.note) s.note = redact(r.note, r.secretValues)
      this.diagnostics.push(...r.diagnostics.map((d) => this.tag(s, d, r.secretValues)))
      for (const o of r.objects) this.add({ object: o, owner: s.ref })
    }
  }

  private add(r: RenderedObject): void {
    this.objects.push(r)
    if (r.object.kind === 'CustomResourceDefinition') this.crdObjects.push(r.object)
    const key = `${r.object.kind}/${r.object.metadata.name}`
    const list = this.byName.get(key) ?? []
    list.push(r.object)
    this.byName.set(key, list)
  }

  private find(group: (g: string) => boolean, kind: string, namespace: string, name: string | undefined): KubeObject[] {
    const pool = name === undefined ? this.objects.map((r) => r.object).filter((o) => o.kind === kind) : (this.byName.get(`${kind}/${name}`) ?? [])
    return pool.filter((o) => (o.metadata.namespace ?? 'default') === namespace && group(groupOf(o.apiVersion)))
  }

  private findSource(kind: string, namespace: string, name: string): KubeObject | undefined {
    return this.find((g) => SOURCE_GROUPS.has(g), kind, namespace, name)[0]
  }

  private lookup(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): KubeObject | undefined {
    return this.find((g) => g === '', kind, namespace, name)[0]
  }

  private addChild(obj: KubeObject, parent: OwnerState, location: SourceLocation | undefined): void {
    const ref = ownerRefOf(obj)
    if (!ref) return
    const key = ownerKey(ref)
    const existing = this.owners.get(key)
    if (!existing) {
      this.owners.set(key, { ref, object: obj, parent: parent.ref, done: false, ...(location ? { location } : {}) })
      return
    }
    if (existing === this.entryState && parent === this.entryState) {
      // The cluster's own flux-system Kustomization (gotk-sync.yaml): the bootstrap entry itself.
      this.entryState.object = obj
      if (location) this.entryState.location = location
      return
    }
    const chain = this.ancestors(parent)
    const cycle = chain.some((a) => ownerKey(a.ref) === key)
    const path = [...chain.slice(0, chain.findIndex((a) => ownerKey(a.ref) === key) + 1).reverse().map((a) => ownerKey(a.ref)), key].join(' → ')
    this.diagnostics.push({
      code: cycle ? 'render/cycle' : 'render/duplicate-owner',
      severity: cycle ? 'error' : 'warning',
      message: cycle
        ? `${key} is applied again by its descendant ${ownerKey(parent.ref)}: Kustomization cycle ${path}, not followed`
        : `${key} is declared by both ${existing.parent ? ownerKey(existing.parent) : 'the entry'} and ${ownerKey(parent.ref)}; the first one is rendered`,
      cluster: this.entry.name,
      owner: ownerKey(parent.ref),
      ...(location ? { location } : {}),
    })
  }

  private ancestors(s: OwnerState): OwnerState[] {
    const out: OwnerState[] = []
    let cur: OwnerState | undefined = s
    while (cur && !out.includes(cur)) {
      out.push(cur)
      cur = cur.parent ? this.owners.get(ownerKey(cur.parent)) : undefined
    }
    return out
  }
}

/** Text (an error message, a note) with an owner's Secret-sourced values removed. */
function redact(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : new Redactor(secretForms(secrets)).text(text)
}

/**
 * Messages and notes with every Secret value of the cluster removed. Each owner masks the values
 * it took itself, but a tool's error can quote a value an ancestor put there (a HelmRelease's
 * values filled by its parent's substituteFrom Secret, then quoted by `helm template`).
 */
function redactMessages(c: ClusterRender): ClusterRender {
  const redactor = new Redactor(collectSecretValues([{ revision: '', clusters: [c], diagnostics: [], durationMs: 0 }]))
  if (redactor.empty) return c
  return {
    ...c,
    owners: c.owners.map((o) => (o.note ? { ...o, note: redactor.text(o.note) } : o)),
    diagnostics: c.diagnostics.map((d) => ({ ...d, message: redactor.text(d.message) })),
  }
}

/** `group/version` and `group/version/Kind` of every served version of the CRDs rendered so far. */
function crdApiVersions(crds: KubeObject[]): string[] {
  const out = new Set<string>()
  for (const object of crds) {
    if (object.kind !== 'CustomResourceDefinition' || !isJsonObject(object['spec'])) continue
    const spec = object['spec']
    const group = typeof spec['group'] === 'string' ? spec['group'] : ''
    const kind = isJsonObject(spec['names']) && typeof spec['names']['kind'] === 'string' ? spec['names']['kind'] : ''
    const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isJsonObject) : []
    for (const v of versions) {
      if (v['served'] === false || typeof v['name'] !== 'string' || !group) continue
      out.add(`${group}/${v['name']}`)
      if (kind) out.add(`${group}/${v['name']}/${kind}`)
    }
  }
  return [...out].sort()
}

function artifactNames(gen: KubeObject): string[] {
  const spec = isJsonObject(gen['spec']) ? gen['spec'] : {}
  const arts = Array.isArray(spec['artifacts']) ? spec['artifacts'] : []
  return arts.filter(isJsonObject).map((a) => String(a['name'] ?? ''))
}

import type { ClusterValues } from '../../load/cluster-values.js'
import type { KubeObject } from '../../model/object.js'
import type { EncryptedObject } from '../../model/render-result.js'
import type { DeclaredLookup } from '../values/creators.js'
import { UnknownValueSources } from '../values/report.js'
import { resolveValueSource, type SourceRead, type SourceResolve, type ValueSourceContext } from '../values/sources.js'
import type { OwnerGraph } from './owner-graph.js'
import type { OwnerState } from './owners.js'
import type { PlacedObjects } from './placed-objects.js'

const SOURCE_GROUPS = new Set(['source.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'])

/**
 * What one cluster walk knows to resolve substituteFrom and valuesFrom: the objects placed so
 * far in each cluster, the whole-file SOPS documents, and what was read of each cluster's
 * value sources (for the report of values only the cluster has).
 */
export class WalkValues {
  /** Whole-file SOPS documents, with the cluster they are applied to. */
  readonly encrypted: { e: EncryptedObject; target: string }[] = []
  /** What was read of substituteFrom/valuesFrom sources, per cluster whose objects they are. */
  readonly unknown = new Map<string, UnknownValueSources>()

  constructor(
    private readonly placed: PlacedObjects,
    private readonly owners: OwnerGraph,
    private readonly nameOf: (target: string) => string,
    private readonly clusterValues?: ClusterValues,
    private readonly declared?: DeclaredLookup,
  ) {}

  find(group: (g: string) => boolean, kind: string, namespace: string, name: string | undefined, scope: string): KubeObject[] {
    return this.placed.find(group, kind, namespace, name, scope).map((r) => r.object)
  }

  /**
   * What an owner can know of its substituteFrom/valuesFrom sources: its controller reads them in
   * the owner's own cluster (`built`: a Kustomization's own objects, which may create one).
   */
  resolver(s: OwnerState, built: readonly KubeObject[]): SourceResolve {
    const ctx = this.context(s, built, s.home)
    return (ref) => resolveValueSource(ref, ctx)
  }

  context(s: OwnerState | undefined, built: readonly KubeObject[], scope: string): ValueSourceContext {
    return {
      cluster: this.nameOf(scope),
      rendered: (kind, ns, name) => this.placed.find((g) => g === '', kind, ns, name, scope)[0],
      objects: () => [...this.placed.in(scope), ...built.map((object) => ({ object }))],
      encrypted: () => this.encrypted.filter((e) => e.target === scope).map((e) => e.e),
      owners: s ? this.owners.ancestors(s).map((a) => a.ref) : [],
      ...(this.clusterValues ? { supplied: this.clusterValues } : {}),
      ...(this.declared ? { declared: this.declared } : {}),
    }
  }

  /** The value sources read in cluster `scope`. */
  of(scope: string): UnknownValueSources {
    let v = this.unknown.get(scope)
    if (!v) this.unknown.set(scope, (v = new UnknownValueSources()))
    return v
  }

  noteReads(s: OwnerState, reads: readonly SourceRead[], via: 'substituteFrom' | 'valuesFrom'): void {
    for (const { ref, resolved } of reads) this.of(s.home).record(ref, resolved, s.ref, via, s.location)
  }

  findSource(kind: string, namespace: string, name: string, scope: string): KubeObject | undefined {
    return this.find((g) => SOURCE_GROUPS.has(g), kind, namespace, name, scope)[0]
  }

  lookup(kind: 'ConfigMap' | 'Secret', namespace: string, name: string, scope: string): KubeObject | undefined {
    return this.find((g) => g === '', kind, namespace, name, scope)[0]
  }
}

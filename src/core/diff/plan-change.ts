import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { ClusterPlan, Plan } from '../model/plan.js'
import { clusterKey, type ClusterRender, type FleetRender } from '../model/render-result.js'
import { collectSecretValues } from '../mask/policy.js'
import { Redactor } from '../mask/redactor.js'
import { planPrune } from '../prune/plan-prune.js'
import { clusterPlanOf } from './cluster-plans.js'
import { compareObjects, type CompareOptions } from './compare-objects.js'
import { summarizeOwners } from './owner-summary.js'

/** Options of planChange. */
export interface PlanOptions extends CompareOptions {
  /** The ref names to show (`main`, `feature/x`); default: the rendered SHAs. */
  baseRef?: string
  headRef?: string
  /** More values to treat as secret (tokens the caller knows of). */
  secretValues?: readonly string[]
  /** The redactor to use, when the caller already built one over both renders (and its secrets). */
  redactor?: Redactor
  /** Overrides the duration recorded in the plan (default: both renders' durations). */
  durationMs?: number
}

/**
 * The plan of a change: `head` against `base`, where the caller renders the merge base of the
 * two refs as `base` so drift on the base branch does not show up. Steps:
 * 1. gather every secret value of both renders into one redactor (Secret data, values taken
 *    from Secrets by substitution or Helm valuesFrom);
 * 2. per cluster (matched by entry path, and kubeConfig for a hub's remote cluster), compare objects by ResourceId after normalizing,
 *    masking every change on the way out;
 * 3. add the prune plan (Flux GC rules, cascades, high-risk flags);
 * 4. summarize owners and carry head diagnostics over, redacted.
 * Pure: no I/O, never mutates its inputs.
 */
export function planChange(base: FleetRender, head: FleetRender, opts: PlanOptions = {}): Plan {
  const redactor = opts.redactor ?? new Redactor(collectSecretValues([base, head], opts.secretValues ?? []))
  // A hub's remote clusters share its entry path: each is matched by its kubeConfig too.
  const baseByPath = new Map(base.clusters.map((c) => [clusterKey(c), c]))
  const headByPath = new Map(head.clusters.map((c) => [clusterKey(c), c]))
  const paths = [...headByPath.keys(), ...[...baseByPath.keys()].filter((p) => !headByPath.has(p))]
  const clusters = paths.map((p) => {
    const b = baseByPath.get(p)
    const h = headByPath.get(p)
    const remote = (h ?? b)?.remote
    if (!remote) return planCluster(b, h, redactor, opts)
    // A remote cluster's owners live in its hub: the prune rules follow them there.
    const hub = { base: base.clusters.find((c) => !c.remote && c.path === (b ?? h)!.path), head: head.clusters.find((c) => !c.remote && c.path === (h ?? b)!.path) }
    return planCluster(b, h ?? { ...b!, owners: [], objects: [], diagnostics: [] }, redactor, opts, hub)
  })
  const redact = (d: Diagnostic): Diagnostic => ({ ...d, message: redactor.text(d.message) })
  return {
    base: { ref: opts.baseRef ?? base.revision, sha: base.revision },
    head: { ref: opts.headRef ?? head.revision, sha: head.revision },
    clusters,
    diagnostics: head.diagnostics.map(redact),
    durationMs: opts.durationMs ?? base.durationMs + head.durationMs,
  }
}

function planCluster(base: ClusterRender | undefined, head: ClusterRender | undefined, redactor: Redactor, opts: CompareOptions, hub?: { base?: ClusterRender; head?: ClusterRender }): ClusterPlan {
  if (!head) return removedCluster(base!, redactor)
  if (base) return clusterPlanOf(base, head, hub, redactor, opts, () => comparedCluster(base, head, redactor, opts, hub))
  return comparedCluster(base, head, redactor, opts, hub)
}

function comparedCluster(base: ClusterRender | undefined, head: ClusterRender, redactor: Redactor, opts: CompareOptions, hub?: { base?: ClusterRender; head?: ClusterRender }): ClusterPlan {
  const compared = compareObjects(base, head, redactor, opts)
  const pruneDiagnostics = planPrune(compared.changes, withOwnersOf(base, hub?.base), withOwnersOf(head, hub?.head))
  const owners = summarizeOwners(base, head, compared.changes, compared.skipped, redactor)
  const diagnostics = [...head.diagnostics, ...compared.diagnostics, ...pruneDiagnostics]
  return {
    name: head.name,
    path: head.path,
    ...(head.remote ? { remote: head.remote } : {}),
    changes: compared.changes,
    unknown: compared.unknown,
    ...(compared.ignored.length > 0 ? { ignored: compared.ignored } : {}),
    owners,
    diagnostics: diagnostics.map((d) => ({ ...d, message: redactor.text(d.message) })),
  }
}

/** A remote cluster's render with its hub's owners added after its own, for the prune rules' lookups. */
function withOwnersOf(c: ClusterRender | undefined, hub: ClusterRender | undefined): ClusterRender | undefined {
  if (!c || !hub) return c
  return { ...c, owners: [...c.owners, ...hub.owners] }
}

/**
 * A cluster whose entry folder the change deletes. The cluster's own Kustomization still points
 * at it, so kustomize-controller fails with "kustomization path not found" and applies and
 * prunes nothing: the objects stay as they are. Nothing is listed as removed; the failure is
 * an error, so the gate stops the merge (to retire a cluster, remove Flux from it first).
 */
function removedCluster(base: ClusterRender, redactor: Redactor): ClusterPlan {
  const owners = summarizeOwners(base, undefined, [], new Map(), redactor).map((o) => ({ ...o, state: 'unchanged' as const, note: 'its cluster path is gone in head: Flux fails before applying or pruning anything' }))
  return {
    name: base.name,
    path: base.path,
    changes: [],
    unknown: [],
    owners,
    diagnostics: [
      {
        code: 'diff/cluster-removed',
        severity: 'error',
        message: `cluster path ${base.path} no longer exists in head: the cluster's Kustomization fails with "kustomization path not found", so nothing is applied or pruned and its objects stay as they are`,
        cluster: base.name,
        location: { file: base.path },
      },
    ],
  }
}

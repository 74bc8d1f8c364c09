import type { ClusterPlan, ObjectChange, Plan } from '../core/model/plan.js'
import { ownerKey, type OwnerRef } from '../core/model/render-result.js'

/**
 * What `fluxgate diff` shows of a plan (flate's and flux-local's filters). Every list matches
 * any of its entries; lists that are given must all match. Empty or absent: no filter.
 */
export interface PlanFilter {
  /** Cluster names or entry paths. */
  clusters?: readonly string[]
  /** Object kinds, case-insensitive (`HelmRelease`, `deployment`). */
  kinds?: readonly string[]
  namespaces?: readonly string[]
  names?: readonly string[]
  /** Owners as `Kind/namespace/name`, `namespace/name` or `name` (a Kustomization or HelmRelease). */
  owners?: readonly string[]
}

/** True when the filter selects anything less than the whole plan. */
export function isFiltering(f: PlanFilter): boolean {
  return [f.clusters, f.kinds, f.namespaces, f.names, f.owners].some((l) => l !== undefined && l.length > 0)
}

/**
 * The part of a plan a filter selects: clusters by name or path, changes by their object's
 * kind, namespace and name and by owner, and the owner rows those changes belong to (or the
 * owners asked for). Diagnostics stay with their cluster, as a filtered view must not hide a
 * render error. Presenters show the result like any plan; the gate is still evaluated on the
 * whole plan by the caller.
 */
export function filterPlan(plan: Plan, f: PlanFilter): Plan {
  if (!isFiltering(f)) return plan
  const clusters = plan.clusters.filter((c) => !f.clusters?.length || f.clusters.includes(c.name) || f.clusters.includes(c.path)).map((c) => filterCluster(c, f))
  return { ...plan, clusters }
}

function filterCluster(c: ClusterPlan, f: PlanFilter): ClusterPlan {
  const changes = c.changes.filter((ch) => changeMatches(ch, f))
  const owners = new Set(changes.map((ch) => ownerKey(ch.owner)))
  return {
    ...c,
    changes,
    owners: c.owners.filter((o) => owners.has(ownerKey(o.ref)) || (f.owners?.length && ownerMatches(o.ref, f.owners) && !f.kinds?.length && !f.names?.length && !f.namespaces?.length)),
  }
}

function changeMatches(ch: ObjectChange, f: PlanFilter): boolean {
  const kind = ch.id.kind.toLowerCase()
  if (f.kinds?.length && !f.kinds.some((k) => k.toLowerCase() === kind)) return false
  if (f.namespaces?.length && !f.namespaces.includes(ch.id.namespace)) return false
  if (f.names?.length && !f.names.includes(ch.id.name)) return false
  if (f.owners?.length && !ownerMatches(ch.owner, f.owners) && !(ch.previousOwner && ownerMatches(ch.previousOwner, f.owners))) return false
  return true
}

function ownerMatches(ref: OwnerRef, wanted: readonly string[]): boolean {
  const full = ownerKey(ref).toLowerCase()
  const short = `${ref.namespace}/${ref.name}`.toLowerCase()
  return wanted.some((w) => {
    const x = w.toLowerCase()
    return x === full || x === short || x === ref.name.toLowerCase()
  })
}

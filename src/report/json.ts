import type { Diagnostic } from '../core/diagnostics/diagnostic.js'
import type { Verdict } from '../core/gate/index.js'
import { gateJson } from './gate.js'
import type { ClusterPlan, IgnoredChange, ObjectChange, OwnerSummary, Plan } from '../core/model/plan.js'
import { ownerKey } from '../core/model/render-result.js'
import { clusterTotals, planTotals } from './totals.js'

/** Version of the JSON report format (docs/report-format.md); bumped on a breaking change. */
export const REPORT_FORMAT_VERSION = 1

/** Options of renderJson. */
export interface JsonOptions {
  /** Include the masked, normalized `before`/`after` objects of each change. Default false. */
  objects?: boolean
  /** Indentation; default 2. */
  indent?: number
  /** The gate's verdict on the plan, when it was evaluated (the `gate` key; null otherwise). */
  verdict?: Verdict
}

/**
 * The plan as the documented JSON report (docs/report-format.md): stable keys, owners as
 * `Kind/namespace/name` strings, absent values as null. Already masked: built from a Plan.
 */
export function renderJson(plan: Plan, opts: JsonOptions = {}): string {
  const report = {
    version: REPORT_FORMAT_VERSION,
    base: plan.base,
    head: plan.head,
    durationMs: plan.durationMs,
    totals: planTotals(plan),
    gate: opts.verdict ? gateJson(opts.verdict) : null,
    clusters: plan.clusters.map((c) => jsonCluster(c, opts)),
    diagnostics: plan.diagnostics.map(jsonDiagnostic),
  }
  return JSON.stringify(report, null, opts.indent ?? 2) + '\n'
}

function jsonCluster(c: ClusterPlan, opts: JsonOptions): object {
  return {
    name: c.name,
    path: c.path,
    totals: clusterTotals(c),
    changes: c.changes.map((ch) => jsonChange(ch, opts)),
    unknown: c.unknown.map((g) => ({ owner: ownerKey(g.owner), state: g.state, reason: g.reason, objects: g.objects.map((o) => ({ apiVersion: o.apiVersion, group: o.id.group, kind: o.id.kind, namespace: o.id.namespace || null, name: o.id.name, source: o.source ?? null })) })),
    ignored: (c.ignored ?? []).map(jsonIgnored),
    owners: c.owners.map(jsonOwner),
    diagnostics: c.diagnostics.map(jsonDiagnostic),
  }
}

function jsonChange(ch: ObjectChange, opts: JsonOptions): object {
  return {
    action: ch.action,
    apiVersion: ch.apiVersion,
    group: ch.id.group,
    kind: ch.id.kind,
    namespace: ch.id.namespace || null,
    name: ch.id.name,
    owner: ownerKey(ch.owner),
    previousOwner: ch.previousOwner ? ownerKey(ch.previousOwner) : null,
    prune: ch.prune,
    pruneReason: ch.pruneReason ?? null,
    highRisk: ch.highRisk,
    note: ch.note ?? null,
    encrypted: ch.encrypted ?? null,
    source: ch.source ?? null,
    fields: ch.fields,
    ignored: ch.ignored ?? [],
    diff: ch.diff,
    ...(opts.objects ? { before: ch.before ?? null, after: ch.after ?? null } : {}),
  }
}

function jsonOwner(o: OwnerSummary): object {
  return {
    kind: o.ref.kind,
    namespace: o.ref.namespace,
    name: o.ref.name,
    parent: o.parent ? ownerKey(o.parent) : null,
    dependsOn: o.dependsOn.map(ownerKey),
    state: o.state,
    status: o.status,
    suspended: o.suspended,
    counts: o.counts,
    note: o.note ?? null,
    chart: o.chart ? { chart: o.chart.chart, before: o.chart.before, after: o.chart.after, bump: o.chart.bump, via: o.chart.via ?? null } : null,
  }
}

function jsonIgnored(i: IgnoredChange): object {
  return {
    apiVersion: i.apiVersion,
    group: i.id.group,
    kind: i.id.kind,
    namespace: i.id.namespace || null,
    name: i.id.name,
    owner: ownerKey(i.owner),
    source: i.source ?? null,
    fields: i.fields,
  }
}

function jsonDiagnostic(d: Diagnostic): object {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    location: d.location ?? null,
    cluster: d.cluster ?? null,
    owner: d.owner ?? null,
  }
}

import type { Diagnostic } from '../../core/diagnostics/diagnostic.js'
import { formatDiagnostic } from '../../core/diagnostics/diagnostic.js'
import type { ClusterPlan, ObjectChange, OwnerSummary, Plan } from '../../core/model/plan.js'
import { ownerKey } from '../../core/model/render-result.js'
import { displayId } from '../../core/model/resource-id.js'
import { clusterTotals, formatDuration, planTotals, prunePlanOf, shortSha } from '../totals.js'
import { chartChangeText, IGNORED_BY_SPEC_IGNORE, ignoredText } from '../notes.js'
import { groupDiagnostics, repeatSuffix, type Repeated } from '../repeats.js'
import { cell, code, linkCitations, table } from './md-util.js'

/** Hidden marker of the sticky plan comment (its first part). */
export const PLAN_MARKER = '<!-- fluxgate:plan -->'

/** Marker of part N (N ≥ 2) of a split plan; adapters edit or delete parts by it. */
export function partMarker(part: number): string {
  return part <= 1 ? PLAN_MARKER : `<!-- fluxgate:plan part ${part} -->`
}

/** The part number a comment body carries (1 for the main comment), or undefined. */
export function parsePartMarker(body: string): number | undefined {
  if (body.includes(PLAN_MARKER)) return 1
  const m = /<!-- fluxgate:plan part (\d+) -->/.exec(body)
  return m ? Number(m[1]) : undefined
}

/** The emoji and word for one change, as every presenter shows it (an action the report does not know yet is shown by name). */
export function actionLabel(c: ObjectChange): { icon: string; word: string } {
  if (c.action === 'added') return { icon: '➕', word: 'add' }
  if (c.action === 'changed') return { icon: '✏️', word: 'change' }
  if (c.action === 'moved') return { icon: '🔀', word: 'move' }
  if (c.action === 'removed') return c.prune === 'delete' ? { icon: '🗑️', word: 'delete' } : { icon: '📦', word: 'orphan' }
  return { icon: '❔', word: String(c.action) }
}

/** The per-cluster totals table. */
export function totalsTable(plan: Plan): string {
  if (plan.clusters.length === 0) return '_No cluster found: no folder under `clusters/` holds Flux objects._'
  const unknown = planTotals(plan).unknown > 0
  const rows = plan.clusters.map((c) => {
    const t = clusterTotals(c)
    return [code(c.name), code(c.path), n(t.add), n(t.change), n(t.delete), n(t.orphan), n(t.move), ...(unknown ? [n(t.unknown)] : []), t.errors ? `❌ ${t.errors}` : '0']
  })
  const header = ['Cluster', 'Path', '➕ Add', '✏️ Change', '🗑️ Delete', '📦 Orphan', '🔀 Move', ...(unknown ? ['❔ Unknown'] : []), 'Errors']
  return table(header, rows, header.map((_h, i) => (i < 2 ? '---' : '--:')))
}

function n(v: number): string {
  return v ? `**${v}**` : '0'
}

/** How much of the prune plan to show: every object, or counts per kind (high-risk ones still named). */
export type PruneLevel = 'full' | 'counts'

/**
 * Objects the base renders whose fate the change leaves open: kept as they are when Flux fails
 * to apply their owner, unknown when the head cannot be compared. Empty when there are none.
 */
export function unknownSection(plan: Plan, maxRows = 50): string {
  const groups = plan.clusters.flatMap((c) => c.unknown.map((g) => ({ cluster: c.name, g })))
  if (groups.length === 0) return ''
  const lines = ['### ❓ Not compared']
  const open = groups.filter((x) => x.g.state === 'not-comparable')
  if (open.length) lines.push('', `> [!WARNING]\n> The head cannot be compared for ${open.reduce((n, x) => n + x.g.objects.length, 0)} object(s) the base renders: Flux may keep, change or prune them.`)
  const rows = groups.slice(0, maxRows).map(({ cluster, g }) => [
    code(cluster),
    cell(ownerKey(g.owner)),
    g.state === 'apply-fails' ? 'kept as they are (apply fails)' : '**unknown after the change**',
    cell(g.objects.slice(0, 5).map((o) => displayId(o.id)).join(', ') + (g.objects.length > 5 ? `, … (${g.objects.length})` : '')),
    cell(g.reason),
  ])
  lines.push('', table(['Cluster', 'Owner', 'Objects', 'Which', 'Why'], rows))
  if (groups.length > maxRows) lines.push('', `… and ${groups.length - maxRows} more owners in the full report.`)
  return lines.join('\n')
}

/** The prune plan: every removed object with what Flux GC does to it and why. */
export function prunePlanSection(plan: Plan, level: PruneLevel, maxHighRisk = 50): string {
  const items = prunePlanOf(plan)
  const lines = ['### 🗑️ Prune plan']
  const unknown = planTotals(plan).unknown
  if (items.length === 0) {
    lines.push('', unknown ? `Nothing this plan can compare leaves a cluster; ${unknown} object(s) cannot be compared (below), and Flux may prune them.` : 'Nothing leaves any cluster.')
    return lines.join('\n')
  }
  const risky = acrossClusters(items.filter((i) => i.change.highRisk))
  if (risky.length) {
    const names = risky.slice(0, 8).map((i) => `${code(displayId(i.change.id))} (${cell(i.clusters.join(', '))})`).join(', ')
    const count = risky.reduce((k, r) => k + r.clusters.length, 0)
    lines.push('', `> [!CAUTION]\n> ${count} high-risk deletion${count === 1 ? '' : 's'}: ${names}${risky.length > 8 ? ', …' : ''}`)
  }
  if (level === 'full') {
    const rows = acrossClusters(items).map(({ clusters, change }) => [
      clusters.map(code).join(', '),
      `${actionLabel(change).icon} **${actionLabel(change).word}**${change.highRisk ? ' ⚠️' : ''}`,
      code(displayId(change.id)),
      cell(ownerKey(change.owner)),
      linkCitations(cell(change.pruneReason ?? '')),
    ])
    lines.push('', table(['Cluster', 'Action', 'Object', 'Owner', 'Why'], rows))
    return lines.join('\n')
  }
  lines.push('', pruneCounts(items.map((i) => i)))
  if (risky.length) {
    const rows = risky.slice(0, maxHighRisk).map(({ clusters, change }) => [clusters.map(code).join(', '), code(displayId(change.id)), cell(ownerKey(change.owner))])
    lines.push('', 'High-risk deletions:', '', table(['Cluster', 'Object', 'Owner'], rows))
    if (risky.length > maxHighRisk) lines.push('', `… and ${risky.length - maxHighRisk} more high-risk deletions in the full report.`)
  }
  return lines.join('\n')
}

/**
 * The same removal in several clusters (the usual fleet: one base, an overlay per cluster) as
 * one row naming every cluster, in plan order.
 */
function acrossClusters(items: readonly { cluster: ClusterPlan; change: ObjectChange }[]): { clusters: string[]; change: ObjectChange }[] {
  const rows = new Map<string, { clusters: string[]; change: ObjectChange }>()
  for (const { cluster, change } of items) {
    const key = [change.prune, displayId(change.id), ownerKey(change.owner), change.pruneReason ?? '', change.highRisk].join('\0')
    const row = rows.get(key)
    if (row) row.clusters.push(cluster.name)
    else rows.set(key, { clusters: [cluster.name], change })
  }
  return [...rows.values()]
}

function pruneCounts(items: { cluster: ClusterPlan; change: ObjectChange }[]): string {
  const counts = new Map<string, number>()
  const clusterOrder = [...new Set(items.map((i) => i.cluster.name))]
  const sorted = [...items].sort((a, b) => clusterOrder.indexOf(a.cluster.name) - clusterOrder.indexOf(b.cluster.name) || (a.change.prune === b.change.prune ? 0 : a.change.prune === 'delete' ? -1 : 1))
  for (const { cluster, change } of sorted) {
    const key = `${cluster.name}\0${change.prune ?? 'orphan'}\0${change.id.kind}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const rows = [...counts].map(([key, count]) => {
    const [clusterName = '', action = '', kind = ''] = key.split('\0')
    return [code(clusterName), action === 'delete' ? '🗑️ delete' : '📦 orphan', cell(kind), String(count)]
  })
  return table(['Cluster', 'Action', 'Kind', 'Objects'], rows, ['---', '---', '---', '--:'])
}

// Statuses that mean the owner's objects could not be compared on the head.
const NOT_RENDERED: ReadonlySet<string> = new Set(['failed', 'unknown'])

/** Objects of an owner that the plan adds, changes, removes or moves (or cannot tell about). */
function touched(o: OwnerSummary): number {
  return Object.values(o.counts).reduce((n, k) => n + k, 0)
}

/** Owners worth a row: something of theirs changed, they changed, or they did not render. */
export function affectedOwners(c: ClusterPlan): OwnerSummary[] {
  return c.owners.filter((o) => o.state !== 'unchanged' || NOT_RENDERED.has(o.status) || o.chart !== undefined || touched(o) > 0)
}

/** One cluster's table of affected Kustomizations and HelmReleases; at most `maxRows` rows. */
export function clusterSection(c: ClusterPlan, maxRows = Infinity): string {
  return `${clusterHeading([c])}\n\n${clusterBody(c, maxRows)}`
}

/**
 * Every cluster's table (and graph, when `graph` draws one), with clusters whose tables and
 * graphs are identical (an overlay per cluster over one base) shown once under all their names.
 */
export function clusterSections(plan: Plan, maxRows: number, graph: (c: ClusterPlan) => string): string[] {
  const groups = new Map<string, ClusterPlan[]>()
  for (const c of plan.clusters) {
    const body = [clusterBody(c, maxRows), graph(c)].filter(Boolean).join('\n\n')
    groups.set(body, [...(groups.get(body) ?? []), c])
  }
  return [...groups].map(([body, clusters]) => `${clusterHeading(clusters)}\n\n${body}`)
}

function clusterHeading(clusters: readonly ClusterPlan[]): string {
  if (clusters.length === 1) return `### Cluster ${code(clusters[0]!.name)} · ${code(clusters[0]!.path)}`
  return `### Clusters ${clusters.map((c) => code(c.name)).join(', ')} · the same in each`
}

function clusterBody(c: ClusterPlan, maxRows: number): string {
  const owners = affectedOwners(c)
  if (owners.length === 0) return 'No changes.'
  const rows = owners.slice(0, maxRows).map((o) => [
    `${o.ref.kind} ${code(`${o.ref.namespace}/${o.ref.name}`)}${o.chart ? ` · ${cell(chartChangeText(o.chart))}` : ''}`,
    o.state,
    String(o.counts.added),
    String(o.counts.changed),
    String(o.counts.removed),
    String(o.counts.moved),
    statusCell(o),
  ])
  const lines = [table(['Flux object', 'State', 'Add', 'Change', 'Remove', 'Move', 'Render'], rows, ['---', '---', '--:', '--:', '--:', '--:', '---'])]
  if (owners.length > maxRows) lines.push('', `… and ${owners.length - maxRows} more Flux objects in the full report.`)
  return [...lines, ...ignoredLines(c)].join('\n')
}

/** Objects a Git change does not touch because `spec.ignore` keeps the paths it changes. */
function ignoredLines(c: ClusterPlan, max = 10): string[] {
  const list = c.ignored ?? []
  if (list.length === 0) return []
  const lines = ['', `Unchanged on the cluster, ${IGNORED_BY_SPEC_IGNORE}:`, '']
  for (const i of list.slice(0, max)) lines.push(`- ${code(displayId(i.id))} (${cell(ownerKey(i.owner))}): ${cell(ignoredText(i.fields))}`)
  if (list.length > max) lines.push(`- … and ${list.length - max} more in the full report.`)
  return lines
}

const STATUS_ICON: Readonly<Record<string, string>> = Object.freeze({ rendered: '', failed: '❌ ', unknown: '❔ ' })

function statusCell(o: OwnerSummary): string {
  // The reason (values-only, external, failed) is in Diagnostics; the table stays one line.
  return `${STATUS_ICON[o.status] ?? 'ℹ️ '}${o.status}${o.suspended ? ' · suspended' : ''}`
}

/** Diagnostics worth a reviewer's eye (errors, then warnings), repeated ones on one line, at most `max` lines. */
export function diagnosticsSection(plan: Plan, max = 30): string {
  const all: Diagnostic[] = [...plan.diagnostics, ...plan.clusters.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cluster: d.cluster ?? c.name })))]
  const shown = all.filter((d) => d.severity !== 'info').sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1))
  if (shown.length === 0) return ''
  const groups = groupDiagnostics(shown)
  const lines = ['### Diagnostics', '']
  for (const g of groups.slice(0, max)) lines.push(`- ${g.first.severity === 'error' ? '❌' : '⚠️'} ${diagnosticText(g)}`)
  if (groups.length > max) lines.push(`- … and ${groups.length - max} more in the full report.`)
  return lines.join('\n')
}

function diagnosticText(g: Repeated<Diagnostic>): string {
  const d = g.first
  if (g.count === 1) return `${linkCitations(cell(formatDiagnostic(d)))}${d.cluster ? ` (${code(d.cluster)})` : ''}`
  const where = g.places.length <= 1 && d.location ? `${d.location.file}${d.location.line ? `:${d.location.line}` : ''}: ` : ''
  const first = `${d.severity} [${d.code}] ${where}${d.message}`
  return `${linkCitations(cell(first))}${repeatSuffix(g, (p) => code(p))}`
}

/** Footer: the rendered SHAs and how long the plan took. */
export function footer(plan: Plan, opts: { commands?: boolean } = {}): string {
  const base = `${code(shortSha(plan.base.sha))}${plan.base.ref !== plan.base.sha ? ` (${cell(plan.base.ref)})` : ''}`
  const head = `${code(shortSha(plan.head.sha))}${plan.head.ref !== plan.head.sha ? ` (${cell(plan.head.ref)})` : ''}`
  const commands = opts.commands ? ' · comment `/fluxgate help` for commands' : ''
  return `<sub>Rendered merge base ${base} → head ${head} in ${formatDuration(plan.durationMs)} · Fluxgate${commands}</sub>`
}

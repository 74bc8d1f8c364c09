import type { ObjectChange, Plan } from '../core/model/plan.js'
import { ownerKey } from '../core/model/render-result.js'
import { displayId } from '../core/model/resource-id.js'
import { chartChangeText, IGNORED_BY_SPEC_IGNORE, ignoredText } from './notes.js'
import { diagnosticLines } from './repeats.js'
import { formatDuration, planSentence, planTotals, prunePlanOf, shortSha } from './totals.js'

/** Options of renderText. */
export interface TextOptions {
  /** ANSI colours; the CLI turns them on only for a TTY without NO_COLOR. */
  color: boolean
  /** Print each change's unified diff. Default true. */
  diffs?: boolean
}

const ANSI = { red: '31', green: '32', yellow: '33', cyan: '36', magenta: '35', bold: '1', dim: '2' } as const
type Colour = keyof typeof ANSI

/**
 * The plan for a terminal, Terraform-like: per cluster and owner, one line per object with a
 * `+ ~ - >` sign, its diff indented below, the prune plan, diagnostics (repeated ones on one
 * line), and a closing `Plan:` line. An owner whose changes are the same as in a cluster shown
 * before (one base, an overlay per cluster) says so in one line instead of repeating them.
 * Plain text when `color` is false.
 */
export function renderText(plan: Plan, opts: TextOptions): string {
  const paint = (c: Colour, s: string): string => (opts.color ? `\u001b[${ANSI[c]}m${s}\u001b[0m` : s)
  const out: string[] = []
  const shown = new Map<string, string>()
  for (const cluster of plan.clusters) {
    out.push(paint('bold', `Cluster ${cluster.name} (${cluster.path})`))
    if (cluster.changes.length === 0) out.push('  no changes')
    for (const o of cluster.owners) if (o.chart) out.push(`  ${paint('cyan', ownerKey(o.ref))}: ${chartChangeText(o.chart)}`)
    for (const [owner, changes] of byOwner(cluster.changes)) {
      const signature = `${owner}\0${changes.map(changeSignature).join('\0')}`
      const earlier = shown.get(signature)
      if (earlier) {
        out.push(`  ${paint('cyan', owner)}: ${changes.length === 1 ? 'the same change' : `the same ${changes.length} changes`} as in cluster ${earlier}`)
        continue
      }
      shown.set(signature, cluster.name)
      out.push(`  ${paint('cyan', owner)}`)
      for (const ch of changes) {
        out.push(`    ${changeLine(ch, paint)}`)
        if (ch.ignored?.length) out.push(`      ${paint('dim', `${ignoredText(ch.ignored)} ${IGNORED_BY_SPEC_IGNORE}`)}`)
        if (opts.diffs !== false && ch.diff) for (const l of ch.diff.split('\n')) out.push(`        ${diffLine(l, paint)}`)
      }
    }
    for (const i of cluster.ignored ?? []) out.push(`  ${paint('dim', `= ${displayId(i.id)} (${ownerKey(i.owner)}): ${ignoredText(i.fields)} ${IGNORED_BY_SPEC_IGNORE}`)}`)
    out.push('')
  }
  const open = plan.clusters.flatMap((c) => c.unknown.map((g) => ({ cluster: c.name, g })))
  if (open.length) {
    out.push(paint('bold', 'Not compared'))
    for (const { cluster, g } of open) {
      const word = g.state === 'apply-fails' ? paint('yellow', 'kept (apply fails)') : paint('red', 'unknown')
      out.push(`  ${word} ${ownerKey(g.owner)} [${cluster}]: ${g.objects.map((o) => displayId(o.id)).join(', ')}`)
      out.push(`      ${g.reason}`)
    }
    out.push('')
  }
  const prune = prunePlanOf(plan)
  if (prune.length) {
    out.push(paint('bold', 'Prune plan'))
    for (const { cluster, change } of prune) {
      const word = change.prune === 'delete' ? paint('red', 'delete') : paint('yellow', 'orphan')
      out.push(`  ${word} ${displayId(change.id)} [${cluster.name}]${change.highRisk ? paint('red', ' (high risk)') : ''}: ${change.pruneReason ?? ''}`)
    }
    out.push('')
  }
  const diagnostics = [...plan.diagnostics, ...plan.clusters.flatMap((c) => c.diagnostics)].filter((d) => d.severity !== 'info')
  for (const line of diagnosticLines(diagnostics)) out.push(paint(line.startsWith('error') ? 'red' : 'yellow', line))
  if (diagnostics.length) out.push('')
  out.push(`${paint('bold', 'Plan:')} ${planSentence(planTotals(plan))}.`)
  out.push(paint('dim', `Rendered ${shortSha(plan.base.sha)} → ${shortSha(plan.head.sha)} in ${formatDuration(plan.durationMs)}.`))
  return out.join('\n') + '\n'
}

/** What SOPS hides of a change (ObjectChange.encrypted), in a few words. */
const ENCRYPTED: Readonly<Record<NonNullable<ObjectChange['encrypted']>, string>> = { identity: 'encrypted', input: 'encrypted input changed', data: 'encrypted values changed' }

/** Changes grouped by owner, owners in order of first appearance. */
function byOwner(changes: readonly ObjectChange[]): Map<string, ObjectChange[]> {
  const out = new Map<string, ObjectChange[]>()
  for (const ch of changes) {
    const key = ownerKey(ch.owner)
    out.set(key, [...(out.get(key) ?? []), ch])
  }
  return out
}

function changeSignature(ch: ObjectChange): string {
  return [ch.action, displayId(ch.id), ch.prune ?? '', ch.pruneReason ?? '', ch.note ?? '', ch.diff, JSON.stringify(ch.ignored ?? [])].join('\u0001')
}

function changeLine(ch: ObjectChange, paint: (c: Colour, s: string) => string): string {
  const id = ch.encrypted ? `${displayId(ch.id)} (${ENCRYPTED[ch.encrypted]})` : displayId(ch.id)
  if (ch.action === 'added') return paint('green', `+ ${id}`)
  if (ch.action === 'changed') return paint('yellow', `~ ${id}`)
  if (ch.action === 'moved') return paint('magenta', `> ${id} (from ${ownerKey(ch.previousOwner ?? ch.owner)})${ch.note ? ': may be deleted and recreated' : ''}`)
  if (ch.action === 'removed') return paint('red', `- ${id} (${ch.prune ?? 'orphan'})`)
  return paint('dim', `? ${id} (${String(ch.action)}${ch.note ? `: ${ch.note}` : ''})`)
}

function diffLine(line: string, paint: (c: Colour, s: string) => string): string {
  if (line.startsWith('+')) return paint('green', line)
  if (line.startsWith('-')) return paint('red', line)
  if (line.startsWith('@@')) return paint('cyan', line)
  return line
}

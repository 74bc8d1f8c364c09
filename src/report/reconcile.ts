import { mdCell, mdCodeCell } from './escape.js'
import type { ReconcileReport, TargetResult } from '../core/reconcile/types.js'

/** Opening and closing markers of the reconcile section inside the sticky plan comment. */
export const RECONCILE_START = '<!-- fluxgate:reconcile:start -->'
export const RECONCILE_END = '<!-- fluxgate:reconcile:end -->'

const ICONS: Record<TargetResult['outcome'], string> = {
  succeeded: '✅',
  failed: '❌',
  stalled: '🛑',
  'timed-out': '⏱️',
  suspended: '⏸️',
  skipped: '⏭️',
  'not-found': '❓',
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}

function name(r: TargetResult): string {
  return `${r.ref.kind} ${r.ref.namespace ? `${r.ref.namespace}/` : ''}${r.ref.name}`
}

/** What a person reads for one result: Flux's own message, prefixed by the reason. */
function detail(r: TargetResult): string {
  if (r.outcome === 'succeeded') return r.message ?? ''
  const reason = r.reason ? `${r.reason}: ` : ''
  return `${reason}${r.message ?? ''}`
}

/** Plain text for the terminal: one line per object, then the verdict. */
export function reconcileText(reports: readonly ReconcileReport[]): string {
  const lines: string[] = []
  for (const rep of reports) {
    lines.push(`cluster ${rep.cluster} (context ${rep.context}), merge ${rep.mergeSha.slice(0, 7)}`)
    for (const r of rep.results) {
      const rev = r.revision ? `  ${r.revision}` : ''
      lines.push(`  ${r.outcome.padEnd(10)} ${name(r)}${rev}  ${seconds(r.durationMs)}`)
      const d = detail(r)
      if (d && r.outcome !== 'succeeded') lines.push(`             ${d}`)
    }
    if (rep.results.length === 0) lines.push('  nothing to reconcile')
    lines.push(rep.ok ? `reconciled in ${seconds(rep.durationMs)}` : 'reconcile FAILED')
  }
  return lines.join('\n') + '\n'
}

const cell = mdCell

/** The markdown section for the pull request comment: a table per cluster, between the markers. */
export function reconcileMarkdown(reports: readonly ReconcileReport[]): string {
  const out = [RECONCILE_START, '### Reconcile after merge']
  for (const rep of reports) {
    out.push('', `**${cell(rep.cluster)}** — ${rep.ok ? '✅ applied' : '❌ failed'} (merge \`${rep.mergeSha.slice(0, 7)}\`, ${seconds(rep.durationMs)})`, '')
    if (rep.results.length === 0) {
      out.push('Nothing to reconcile.')
      continue
    }
    out.push('| | Object | Revision | Ready | Time |', '|---|---|---|---|---|')
    for (const r of rep.results) {
      out.push(`| ${ICONS[r.outcome]} | ${cell(name(r))} | ${r.revision ? mdCodeCell(r.revision) : ''} | ${cell(detail(r) || r.outcome)} | ${seconds(r.durationMs)} |`)
    }
  }
  out.push(RECONCILE_END)
  return out.join('\n')
}

/** `body` with its reconcile section replaced by `section` (or `section` appended). */
export function withReconcileSection(body: string, section: string): string {
  const start = body.indexOf(RECONCILE_START)
  const end = body.indexOf(RECONCILE_END)
  if (start >= 0 && end > start) return body.slice(0, start) + section + body.slice(end + RECONCILE_END.length)
  return `${body.trimEnd()}\n\n${section}\n`
}

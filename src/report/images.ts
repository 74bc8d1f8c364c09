import { formatDiagnostic, type Diagnostic } from '../core/diagnostics/diagnostic.js'
import type { AutomationPlan } from '../core/images/automation.js'
import type { ScanResult } from '../core/images/scan.js'
import { mdCell, mdCodeCell } from './escape.js'

/** The kind of policy an ImagePolicy uses, for display (`semver >=1.0.0`, `numerical asc`). */
export function describePolicy(object: object): string {
  const spec = ((object as { spec?: unknown }).spec ?? {}) as { policy?: Record<string, Record<string, unknown> | undefined> }
  const p = spec.policy ?? {}
  if (p['semver']) return `semver ${String(p['semver']['range'] ?? '')}`.trim()
  if (p['alphabetical']) return `alphabetical ${String(p['alphabetical']['order'] ?? 'asc')}`
  if (p['numerical']) return `numerical ${String(p['numerical']['order'] ?? 'asc')}`
  return 'no policy'
}

/**
 * The plain-text plan `fluxgate images` prints: each policy's choice, then per automation the
 * branch, every changed value (file:line, setter, old → new), refused downgrades, the commit
 * message, and all diagnostics. Pure; stable order.
 */
export function imagePlanText(scan: ScanResult, plans: AutomationPlan[], applied: boolean): string {
  const out: string[] = ['Image policies:']
  for (const p of [...scan.policies].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    const image = p.repository?.image ?? '?'
    const chosen = p.latest ? `${p.latest.tag}${p.latest.digest ? ` @ ${p.latest.digest}` : ''}` : '(none)'
    out.push(`  ${p.key.padEnd(28)} ${image}  [${describePolicy(p.policy.object)}]  → ${chosen}  (${p.candidates} tags)`)
  }
  for (const plan of plans) {
    const a = plan.automation
    out.push('')
    out.push(plan.implicit ? 'No ImageUpdateAutomation in the repository; every marker under the root:' : `ImageUpdateAutomation ${a.namespace}/${a.name} (path ${a.updatePath || '.'}) → branch ${plan.branch}`)
    if (plan.changes.length === 0) out.push('  no changes')
    for (const c of plan.changes) out.push(`  ${c.file}:${c.line}  ${c.setter}  ${c.oldValue} → ${c.newValue}`)
    for (const s of plan.skipped) out.push(`  ${s.file}:${s.line}  ${s.setter}  kept ${s.oldValue} (${s.reason})`)
    if (plan.changes.length > 0 && plan.commitMessage !== undefined && !plan.implicit) {
      out.push('  commit message:', ...plan.commitMessage.trimEnd().split('\n').map((l) => `    ${l}`))
    }
  }
  const diags: Diagnostic[] = [...scan.diagnostics, ...plans.flatMap((p) => p.diagnostics)].filter((d) => d.severity !== 'info')
  if (diags.length > 0) out.push('', 'Diagnostics:', ...diags.map((d) => `  ${formatDiagnostic(d)}`))
  const files = new Set(plans.flatMap((p) => p.edits.map((e) => e.path))).size
  out.push('', applied ? `Wrote ${files} file(s).` : files > 0 ? `${files} file(s) would change; run with --apply to write them.` : 'Nothing to change.')
  return out.join('\n') + '\n'
}


/**
 * The old → new table of one automation's pull request: one row per image value changed,
 * identical changes in several places merged (with their count).
 */
export function imageChangeTable(plan: AutomationPlan): string {
  const rows = new Map<string, { policy: string; old: string; new: string; where: string[] }>()
  for (const c of plan.changes) {
    const key = `${c.policy}\0${c.oldValue}\0${c.newValue}`
    const row = rows.get(key) ?? { policy: c.policy, old: c.oldValue, new: c.newValue, where: [] }
    row.where.push(`${c.file}:${c.line}`)
    rows.set(key, row)
  }
  const lines = ['| Policy | Old | New | Where |', '|---|---|---|---|']
  for (const r of rows.values()) {
    lines.push(`| ${mdCell(r.policy)} | ${mdCodeCell(r.old)} | ${mdCodeCell(r.new)} | ${r.where.map((w) => mdCodeCell(w)).join('<br>')} |`)
  }
  return lines.join('\n')
}

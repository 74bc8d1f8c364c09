import type { LiveChange, LiveView, Plan } from '../core/model/plan.js'
import { displayId } from '../core/model/resource-id.js'
import { htmlText, mdCode, mdFenced, mdText } from './escape.js'

function line(c: LiveChange): string {
  const owner = `${c.owner.kind}/${c.owner.namespace}/${c.owner.name}`
  const fields = c.fields.length > 0 && c.fields.length <= 3 ? `: ${c.fields.map((f) => f.path).join(', ')}` : c.fields.length > 3 ? `: ${c.fields.length} fields` : ''
  return `${c.action.padEnd(9)} ${displayId(c.id)} (${owner})${fields}`
}

function indent(text: string, by: string): string {
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => by + l)
    .join('\n')
}

/** The live view of each cluster as plain text: the merge's change, drift apart, inventory checks. */
export function liveText(plan: Plan, opts: { diffs?: boolean } = {}): string {
  const out: string[] = []
  for (const c of plan.clusters) {
    const v: LiveView | undefined = c.live
    if (!v) continue
    out.push(`live: cluster ${c.name} (context ${v.context}), ${v.checked} objects checked by server-side dry run`)
    out.push(`  what the merge changes on the cluster (${v.changes.length}):`)
    for (const ch of v.changes) {
      out.push(`    ${line(ch)}`)
      if (opts.diffs && ch.diff) out.push(indent(ch.diff, '      '))
    }
    out.push(`  drift: live differs from the base branch, changed outside Git (${v.drift.length}):`)
    for (const d of v.drift) {
      out.push(`    ${line(d)}`)
      if (opts.diffs && d.diff) out.push(indent(d.diff, '      '))
    }
    if (v.inventory.length > 0) {
      out.push(`  prune plan against Flux's inventory (${v.inventory.length}):`)
      for (const f of v.inventory) out.push(`    ${f.type.padEnd(16)} ${f.message}`)
    }
    for (const d of v.diagnostics) out.push(`  ${d.severity} [${d.code}] ${d.message}`)
  }
  return out.length > 0 ? out.join('\n') + '\n' : ''
}

/** The live view as a markdown section (for the comment or a job summary). */
export function liveMarkdown(plan: Plan): string {
  const out: string[] = []
  for (const c of plan.clusters) {
    const v = c.live
    if (!v) continue
    out.push(`### Live: ${mdCode(c.name)}`, '', `Checked ${v.checked} objects with a server-side dry run (context ${mdCode(v.context)}).`, '')
    const section = (title: string, list: LiveChange[]): void => {
      out.push(`**${title}** (${list.length})`, '')
      for (const ch of list) {
        out.push(`<details><summary>${htmlText(line(ch).replace(/\s+/g, ' '))}</summary>`, '', mdFenced(ch.diff.trimEnd(), 'diff'), '</details>', '')
      }
    }
    section('What the merge changes on the cluster', v.changes)
    section('Drift: changed outside Git (not part of this pull request)', v.drift)
    for (const f of v.inventory) out.push(`- ⚠️ ${mdText(f.message)}`)
  }
  return out.join('\n')
}

import type { Plan } from '../../../core/model/plan.js'
import { liveMarkdown, liveText } from '../../../report/live.js'

/** The live section appended to text and markdown reports. */
export function liveSection(plan: Plan): string {
  return liveText(plan, { diffs: true })
}

/** The JSON report with each cluster's `live` view added (the JSON presenter lists fields explicitly). */
export function withLiveJson(report: string, plan: Plan): string {
  const doc = JSON.parse(report) as { clusters?: { name?: string; live?: unknown }[] }
  for (const c of doc.clusters ?? []) {
    const live = plan.clusters.find((p) => p.name === c.name)?.live
    if (live) c.live = live
  }
  return JSON.stringify(doc, null, 2) + '\n'
}

/** The report of `fluxgate diff --live`: the plan's own report plus the live view. */
export function presentWithLive(report: string, plan: Plan, format: string): string {
  if (format === 'json') return withLiveJson(report, plan)
  return `${report.trimEnd()}\n\n${format === 'text' ? liveSection(plan) : liveMarkdown(plan)}\n`
}

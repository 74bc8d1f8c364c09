import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import type { Plan } from '../../../core/model/plan.js'
import { renderComment, renderJobSummary, renderJson, renderText } from '../../../report/index.js'
import { EXIT } from '../io.js'

/** Output formats of `fluxgate diff`. */
export const DIFF_FORMATS = ['markdown', 'comment', 'json', 'text'] as const
export type DiffFormat = (typeof DIFF_FORMATS)[number]

/** How to present a plan. */
export interface PresentOptions {
  format: DiffFormat
  /** ANSI colours in `text` (only for a TTY without NO_COLOR, never into a file). */
  color: boolean
}

/** What the command prints: the report, the diagnostics for stderr, and the exit code. */
export interface Presented {
  report: string
  diagnostics: string
  exitCode: number
}

/** Separates the parts of a split PR comment in `--format comment` output. */
export const PART_BREAK = '\n<!-- fluxgate:part-break -->\n'

/**
 * Turns a finished Plan into the command's output, whatever produced the plan (two Git refs
 * today; a live cluster against head for `--live`): the seam other plan sources plug into.
 * Exit 1 when any diagnostic is an error (a render failed), else 0.
 */
export function presentPlan(plan: Plan, opts: PresentOptions): Presented {
  const report = render(plan, opts)
  const all = [...plan.diagnostics, ...plan.clusters.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cluster: d.cluster ?? c.name })))]
  const diagnostics = all.map((d) => `${formatDiagnostic(d)}${d.cluster ? ` [${d.cluster}${d.owner ? ` ${d.owner}` : ''}]` : ''}\n`).join('')
  return { report, diagnostics, exitCode: all.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok }
}

function render(plan: Plan, opts: PresentOptions): string {
  switch (opts.format) {
    case 'json':
      return renderJson(plan)
    case 'text':
      return renderText(plan, { color: opts.color })
    case 'comment':
      return renderComment(plan).join(PART_BREAK)
    case 'markdown':
      return renderJobSummary(plan)
  }
}

import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import type { Verdict } from '../../../core/gate/index.js'
import type { Plan } from '../../../core/model/plan.js'
import { gateMarkdown, gateText, renderComment, renderJobSummary, renderJson, renderText } from '../../../report/index.js'
import { EXIT } from '../io.js'

/** Output formats of `fluxgate diff`. */
export const DIFF_FORMATS = ['markdown', 'comment', 'json', 'text'] as const
export type DiffFormat = (typeof DIFF_FORMATS)[number]

/** How to present a plan. */
export interface PresentOptions {
  format: DiffFormat
  /** ANSI colours in `text` (only for a TTY without NO_COLOR, never into a file). */
  color: boolean
  /** The gate's verdict, shown with the plan when evaluated. */
  verdict?: Verdict
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

const ANSI = { red: '31', green: '32', yellow: '33', bold: '1' } as const

function render(plan: Plan, opts: PresentOptions): string {
  const v = opts.verdict
  switch (opts.format) {
    case 'json':
      return renderJson(plan, v ? { verdict: v } : {})
    case 'text': {
      const paint = (c: keyof typeof ANSI, s: string): string => (opts.color ? `\u001b[${ANSI[c]}m${s}\u001b[0m` : s)
      return renderText(plan, { color: opts.color }) + (v ? gateText(v, paint) : '')
    }
    case 'comment':
      return renderComment(plan).join(PART_BREAK)
    case 'markdown':
      return (v ? gateMarkdown(v) + '\n' : '') + renderJobSummary(plan)
  }
}

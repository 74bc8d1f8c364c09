import type { Plan } from '../../../core/model/plan.js'
import { diagnosticLines, gateText, renderComment, renderJobSummary, renderJson, renderText, type ReviewView } from '../../../report/index.js'
import { EXIT } from '../io.js'

/** Output formats of `fluxgate diff`; the first is the default. */
export const DIFF_FORMATS = ['text', 'markdown', 'comment', 'json'] as const
export type DiffFormat = (typeof DIFF_FORMATS)[number]

/** How to present a plan. */
export interface PresentOptions {
  format: DiffFormat
  /** ANSI colours in `text` (only for a TTY without NO_COLOR, never into a file). */
  color: boolean
  /** The gate's verdict (and approvals), shown with the plan when evaluated: markdown and comments lead with it. */
  review?: ReviewView
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
 * Diagnostics for stderr, repeated ones on one line with a count and the first places. Exit 1
 * when any diagnostic is an error (a render failed), else 0.
 */
export function presentPlan(plan: Plan, opts: PresentOptions): Presented {
  const report = render(plan, opts)
  const all = [...plan.diagnostics, ...plan.clusters.flatMap((c) => c.diagnostics.map((d) => ({ ...d, cluster: d.cluster ?? c.name })))]
  const diagnostics = diagnosticLines(all).map((l) => `${l}\n`).join('')
  return { report, diagnostics, exitCode: all.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok }
}

const ANSI = { red: '31', green: '32', yellow: '33', bold: '1' } as const

function render(plan: Plan, opts: PresentOptions): string {
  const review = opts.review
  switch (opts.format) {
    case 'json':
      return renderJson(plan, review ? { verdict: review.verdict } : {})
    case 'text': {
      const paint = (c: keyof typeof ANSI, s: string): string => (opts.color ? `\u001b[${ANSI[c]}m${s}\u001b[0m` : s)
      return renderText(plan, { color: opts.color }) + (review ? gateText(review.verdict, paint) : '')
    }
    case 'comment':
      return renderComment(plan, review ? { review } : {}).join(PART_BREAK)
    case 'markdown':
      return renderJobSummary(plan, review ? { review } : {})
  }
}

import type { ChartChange, FieldChange } from '../core/model/plan.js'

/**
 * One-line texts every presenter shows the same way (markdown escapes them where they land).
 */

/** `chart podinfo 6.5.0 → 6.5.1, minor (OCIRepository flux-system/podinfo)`. */
export function chartChangeText(c: ChartChange): string {
  const bump = c.bump === 'other' ? '' : `, ${c.bump}`
  return `chart ${c.chart} ${c.before} → ${c.after}${bump}${c.via ? ` (via ${c.via})` : ''}`
}

/** `spec/replicas (1 → 3 in Git)`, at most `max` paths then `and N more`. Values are already masked. */
export function ignoredText(fields: readonly FieldChange[], max = 3): string {
  const shown = fields.slice(0, max).map((f) => `${f.path || '(whole object)'} (${value(f.before)} → ${value(f.after)} in Git)`)
  const more = fields.length > max ? ` and ${fields.length - max} more` : ''
  return `${shown.join(', ')}${more}`
}

/** The reviewer's explanation of an ignored path. */
export const IGNORED_BY_SPEC_IGNORE = 'ignored by spec.ignore (the cluster keeps its value)'

function value(v: unknown): string {
  if (v === undefined) return 'absent'
  const text = typeof v === 'string' ? v : JSON.stringify(v)
  return text.length > 40 ? `${text.slice(0, 37)}…` : text
}

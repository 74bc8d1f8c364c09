import type { Plan } from '../../core/model/plan.js'
import { shortSha } from '../totals.js'
import { footer, PLAN_MARKER } from './md-sections.js'
import { code, plural } from './md-util.js'
import { headline, verdictSection, type ReviewView } from './md-verdict.js'

/**
 * What the sticky comment says when a new head changes no rendered object and the gate has
 * nothing to report (`comment: on-change`): no new comment is posted for such a push, but a
 * comment left by an earlier plan is edited to this, so it never shows a plan that no longer
 * holds.
 */
export function renderNoChange(plan: Plan, review: ReviewView, opts: { commands?: boolean } = {}): string {
  const head = `${code(shortSha(plan.head.sha))}${plan.head.ref !== plan.head.sha ? ` (${code(plan.head.ref)})` : ''}`
  const clusters = plan.clusters.map((c) => code(c.name)).join(', ')
  const where = plan.clusters.length ? `${plural(plan.clusters.length, 'cluster')} (${clusters}) render` : 'the repository renders'
  const verdict = verdictSection(plan, review)
  return [
    `${PLAN_MARKER}\n${headline(plan, review).replace(/· no changes$/, '· no rendered change')}`,
    `Head ${head} changes no object Flux applies: ${where} the same as the merge base ${code(shortSha(plan.base.sha))}. There is nothing to review in the plan; this comment was left by an earlier plan of this pull request.`,
    verdict,
    footer(plan, opts),
  ]
    .filter(Boolean)
    .join('\n\n') + '\n'
}

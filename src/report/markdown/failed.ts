import { PLAN_MARKER } from './md-sections.js'
import { code } from './md-util.js'

/**
 * The sticky comment when the plan could not be made (the reason is the check run's too). It
 * replaces the "running" note, which would otherwise claim a plan is still coming.
 */
export function renderPlanFailed(headSha: string, error: string, runUrl?: string): string {
  const link = runUrl ? `\n\n[The run](${runUrl})` : ''
  return `${PLAN_MARKER}\n## Fluxgate plan: could not be made ⚠️\n\nFluxgate could not plan ${code(headSha.slice(0, 7))}: ${code(error)}${link}\n`
}

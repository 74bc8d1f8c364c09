import { shortSha } from '../totals.js'
import { PLAN_MARKER } from './md-sections.js'
import { code } from './md-util.js'

/** What the "plan running" comment knows before any render finished. */
export interface RunningInfo {
  head: { ref: string; sha: string }
  base?: { ref: string; sha: string }
  /** ISO time the run started. */
  startedAt?: string
  /** Link to the workflow run or check run, when known. */
  url?: string
}

/**
 * The sticky comment while a plan is being rendered: same marker as the finished plan, so
 * the finished plan replaces it in place (kubechecks' hourglass, konflate's "still rendering").
 */
export function renderRunning(info: RunningInfo): string {
  // Branch names are the pull request author's text: code spans, never markdown.
  const head = `${code(shortSha(info.head.sha))}${info.head.ref !== info.head.sha ? ` (${code(info.head.ref)})` : ''}`
  const base = info.base ? ` against ${code(shortSha(info.base.sha))}${info.base.ref !== info.base.sha ? ` (${code(info.base.ref)})` : ''}` : ''
  const lines = [PLAN_MARKER, '## Fluxgate plan: running… ⏳', '', `Rendering head ${head}${base}. This comment is updated when the plan is ready.`]
  if (info.url) lines.push('', `[Follow the run](${info.url})`)
  if (info.startedAt) lines.push('', `<sub>Started ${info.startedAt} · Fluxgate</sub>`)
  return lines.join('\n') + '\n'
}

import type { AutomationPlan } from '../core/images/automation.js'
import { commentText, mdCode, mdText } from './escape.js'
import { imageChangeTable } from './images.js'

/** Commit trailer that marks a commit as made by Fluxgate for one automation. */
export const TRAILER = 'Fluxgate-Image-Automation'

/** GitHub's limit on a pull request body. */
const BODY_LIMIT = 65_536

/** The hidden marker (`<!-- … -->`) at the start of a text, if any. */
export function bodyMarker(text: string): string | undefined {
  return /^<!-- [^>]+ -->/.exec(text)?.[0]
}

/** The pull request title: the commit message's first line (GitHub's own default). */
export function pullRequestTitle(plan: AutomationPlan): string {
  const first = (plan.commitMessage ?? '').split('\n')[0]!.trim()
  return (first || 'Update images').slice(0, 256)
}

/**
 * The pull request body: a hidden marker naming the automation, the old → new table, refused
 * downgrades, and the rendered plan of what the bump changes when one was given (cut to
 * fit GitHub's limit).
 */
export function pullRequestBody(plan: AutomationPlan, id: string, planMarkdown?: string): string {
  const parts = [
    `<!-- fluxgate:images ${commentText(id)} -->`,
    `Image updates for ImageUpdateAutomation ${mdCode(id)} (policies in ${mdCode(plan.automation.namespace)}${plan.automation.updatePath ? `, path ${mdCode(plan.automation.updatePath)}` : ''}).`,
    '',
    imageChangeTable(plan),
  ]
  if (plan.skipped.length > 0) {
    parts.push('', '<details><summary>Not proposed</summary>', '')
    for (const s of plan.skipped) parts.push(`- ${mdCode(`${s.file}:${s.line}`)} ${mdText(s.setter)}: ${mdText(s.reason)}`)
    parts.push('', '</details>')
  }
  if (planMarkdown) parts.push('', '### What this changes', '', planMarkdown)
  parts.push('', `_Branch ${mdCode(plan.branch)} is managed by Fluxgate: commits pushed to it by anyone else stop the updates._`)
  const body = parts.join('\n')
  return body.length <= BODY_LIMIT ? body : body.slice(0, BODY_LIMIT - 40) + '\n\n_(cut to fit GitHub’s limit)_'
}

/** Comment left once when someone else committed to the branch. */
export function blockedComment(id: string, branch: string, shas: string[]): string {
  return [
    `<!-- fluxgate:images-blocked ${commentText(id)} ${commentText(shas[0] ?? '')} -->`,
    `Fluxgate did not update ${mdCode(branch)}: it holds commits not made by Fluxgate (${shas.map((s) => s.slice(0, 7)).join(', ')}).`,
    'Image updates for this automation are paused until those commits are merged or the branch is deleted.',
  ].join('\n')
}

/** Comment on a pull request closed because it is no longer needed. */
export function closedComment(id: string, base: string): string {
  return [`<!-- fluxgate:images-closed ${commentText(id)} -->`, `Closing: ${mdCode(base)} already has every image this automation would set, so this pull request is no longer needed.`].join('\n')
}

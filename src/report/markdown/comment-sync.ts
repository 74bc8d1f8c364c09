import { parsePartMarker } from './md-sections.js'

/** A comment already on the pull request. */
export interface ExistingComment {
  id: number
  body: string
}

/** What to do on GitHub so the pull request shows exactly `parts`, in order. */
export interface CommentSync {
  /** Parts whose comment exists: edit it (skipped when the body is already the same). */
  update: { id: number; body: string; part: number }[]
  /** Parts with no comment yet, in order. */
  create: { body: string; part: number }[]
  /** Plan comments no longer needed (the plan shrank) or duplicates of a part. */
  remove: number[]
}

/**
 * Matches the parts of a rendered plan to the plan comments already on a pull request by their
 * hidden markers: part N edits the oldest comment marked as part N, new parts are created,
 * and parts beyond the new count (a plan that shrank on a later push) or duplicate markers
 * are removed, so there is never a second sticky comment. Comments without a marker are
 * never touched. Pure: the adapters perform the calls.
 */
export function syncPlanComments(existing: readonly ExistingComment[], parts: readonly string[]): CommentSync {
  const byPart = new Map<number, ExistingComment>()
  const remove: number[] = []
  for (const c of [...existing].sort((a, b) => a.id - b.id)) {
    const part = parsePartMarker(c.body)
    if (part === undefined) continue
    if (byPart.has(part) || part > parts.length) remove.push(c.id)
    else byPart.set(part, c)
  }
  const out: CommentSync = { update: [], create: [], remove }
  parts.forEach((body, i) => {
    const found = byPart.get(i + 1)
    if (!found) out.create.push({ body, part: i + 1 })
    else if (found.body !== body) out.update.push({ id: found.id, body, part: i + 1 })
  })
  return out
}

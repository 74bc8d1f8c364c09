import { PLAN_MARKER, parsePartMarker } from '../../report/index.js'
import { listAll, type GitHubClient, type RepoRef } from './client.js'

interface IssueComment {
  id: number
  body?: string | null
  user?: { login?: string; type?: string } | null
}

/** What upsertStickyComment did, for logs and tests. */
export interface StickyResult {
  created: number[]
  updated: number[]
  deleted: number[]
}

/**
 * Publishes the plan as ONE sticky comment (style rule 9): finds our earlier comments by the
 * hidden marker (`<!-- fluxgate:plan -->`, `<!-- fluxgate:plan part N -->`), edits part N in
 * place, creates parts that are missing and deletes parts the new plan no longer needs.
 * Never creates a second comment for a part that already exists. Only comments by a bot, or
 * by the token's own user (a personal access token), are ours, so a person quoting the
 * marker never gets their comment overwritten.
 */
export async function upsertStickyComment(client: GitHubClient, repo: RepoRef, issue: number, parts: string[]): Promise<StickyResult> {
  const { existing, extra } = await ourParts(client, repo, issue)
  const result: StickyResult = { created: [], updated: [], deleted: [] }
  for (const [i, text] of parts.entries()) {
    const body = i === 0 && !text.includes(PLAN_MARKER) ? `${PLAN_MARKER}\n${text}` : text
    const found = existing.get(i + 1)
    if (found) {
      await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: found.id, body })
      result.updated.push(found.id)
    } else {
      const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, body })
      result.created.push((data as IssueComment).id)
    }
  }
  const stale = [...[...existing].filter(([part]) => part > parts.length).map(([, c]) => c), ...extra]
  for (const c of stale) {
    await client.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: c.id })
    result.deleted.push(c.id)
  }
  return result
}

/** Our sticky comment parts by part number (first of each), and duplicates to remove. */
export async function ourParts(client: GitHubClient, repo: RepoRef, issue: number): Promise<{ existing: Map<number, IssueComment>; extra: IssueComment[] }> {
  const all = await listAll<IssueComment>(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue })
  const marked = all.filter((c) => c.body && parsePartMarker(c.body) !== undefined)
  const author = marked.some((c) => c.user?.type !== 'Bot') ? await tokenUser(client) : undefined
  const existing = new Map<number, IssueComment>()
  const extra: IssueComment[] = []
  for (const c of marked) {
    if (c.user?.type !== 'Bot' && (!author || c.user?.login !== author)) continue
    const part = parsePartMarker(c.body ?? '')!
    if (existing.has(part)) extra.push(c)
    else existing.set(part, c)
  }
  return { existing, extra }
}

/**
 * Shows `text` (the "plan running" note, which carries the plan marker) in part 1 of the
 * sticky comment while a plan renders: edits part 1 in place or creates it. Parts 2..N of the
 * previous plan are left alone (the running note is one part); the finished plan's
 * upsertStickyComment then edits, adds or removes them. Returns the comment id.
 */
export async function markStickyRunning(client: GitHubClient, repo: RepoRef, issue: number, text: string): Promise<number> {
  const { existing } = await ourParts(client, repo, issue)
  const body = text.includes(PLAN_MARKER) ? text : `${PLAN_MARKER}\n${text}`
  const first = existing.get(1)
  if (first) {
    await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: first.id, body })
    return first.id
  }
  const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, body })
  return (data as IssueComment).id
}

/** The login of a personal access token's user; undefined for App and workflow tokens. */
async function tokenUser(client: GitHubClient): Promise<string | undefined> {
  try {
    const { data } = await client.request('GET /user')
    return (data as { login?: string }).login
  } catch {
    return undefined
  }
}

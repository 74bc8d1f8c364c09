import { PLAN_MARKER, parsePartMarker, syncPlanComments, type ExistingComment } from '../../report/index.js'
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
 * Publishes the plan as ONE sticky comment in parts (style rule 9): the pure
 * syncPlanComments decides, from our comments already there (found by their hidden part
 * markers), which to edit, create and delete; this carries it out. Only comments by a bot, or
 * by the token's own user (a personal access token), are ours, so a person quoting the marker
 * never gets their comment overwritten.
 */
export async function upsertStickyComment(client: GitHubClient, repo: RepoRef, issue: number, parts: string[]): Promise<StickyResult> {
  const bodies = parts.map((text, i) => (i === 0 && !text.includes(PLAN_MARKER) ? `${PLAN_MARKER}\n${text}` : text))
  const sync = syncPlanComments(await ourComments(client, repo, issue), bodies)
  const result: StickyResult = { created: [], updated: [], deleted: [] }
  for (const u of sync.update) {
    await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: u.id, body: u.body })
    result.updated.push(u.id)
  }
  for (const c of sync.create) {
    const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, body: c.body })
    result.created.push((data as IssueComment).id)
  }
  for (const id of sync.remove) {
    await client.request('DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: id })
    result.deleted.push(id)
  }
  return result
}

/** Our plan comments on the pull request (any part), oldest first. */
export async function ourComments(client: GitHubClient, repo: RepoRef, issue: number): Promise<ExistingComment[]> {
  const all = await listAll<IssueComment>(client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue })
  const marked = all.filter((c) => c.body && parsePartMarker(c.body) !== undefined)
  const author = marked.some((c) => c.user?.type !== 'Bot') ? await tokenUser(client) : undefined
  return marked.filter((c) => c.user?.type === 'Bot' || (author !== undefined && c.user?.login === author)).map((c) => ({ id: c.id, body: c.body ?? '' }))
}

/**
 * Shows `text` (the "plan running" note, which carries the plan marker) in part 1 of the
 * sticky comment while a plan renders: edits part 1 in place or creates it. Parts 2..N of the
 * previous plan are left alone; the finished plan's upsertStickyComment then edits, adds or
 * removes them.
 */
export async function markStickyRunning(client: GitHubClient, repo: RepoRef, issue: number, text: string): Promise<number> {
  const body = text.includes(PLAN_MARKER) ? text : `${PLAN_MARKER}\n${text}`
  const first = (await ourComments(client, repo, issue)).find((c) => parsePartMarker(c.body) === 1)
  if (first) {
    await client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...repo, comment_id: first.id, body })
    return first.id
  }
  const { data } = await client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...repo, issue_number: issue, body })
  return (data as IssueComment).id
}

/** Whether the pull request already has our sticky plan comment (part 1). */
export async function hasStickyComment(client: GitHubClient, repo: RepoRef, issue: number): Promise<boolean> {
  return (await ourComments(client, repo, issue)).some((c) => parsePartMarker(c.body) === 1)
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

/**
 * Webhook payloads from @octokit/webhooks-examples (GitHub's recorded payloads), pointed at
 * our fixture repository `acme/fleet`. The variants the package lacks (a comment on a pull
 * request, a synchronize with our SHAs, a merged close) are built from its examples.
 */
import { createRequire } from 'node:module'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const defs = createRequire(import.meta.url)('@octokit/webhooks-examples') as { name: string; examples: Json[] }[]

/** A deep copy of the first example of `name` with `action` (any action when omitted). */
export function example(name: string, action?: string): Json {
  const found = defs.find((d) => d.name === name)?.examples.find((e) => !action || e.action === action)
  if (!found) throw new Error(`no webhook example ${name}.${action ?? ''}`)
  return structuredClone(found)
}

/** Where a payload points. */
export interface PrTarget {
  owner: string
  repo: string
  number: number
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
  /** The head lives in a fork. */
  fork?: boolean
  /** Git URL the App fetches from (the double's smart-HTTP endpoint). */
  cloneUrl?: string
}

function retarget(p: Json, t: PrTarget): void {
  p.repository.name = t.repo
  p.repository.full_name = `${t.owner}/${t.repo}`
  p.repository.owner.login = t.owner
  p.repository.default_branch = t.base.ref
  if (t.cloneUrl) p.repository.clone_url = t.cloneUrl
  p.installation = { id: 2, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMg==' }
}

/** `pull_request` with `action` (opened, synchronize, reopened, labeled), for our repository. */
export function pullRequestEvent(action: string, t: PrTarget, extra: { sender?: string; label?: string } = {}): Json {
  const p = example('pull_request', action)
  retarget(p, t)
  p.number = t.number
  const pr = p.pull_request
  pr.number = t.number
  pr.base.ref = t.base.ref
  pr.base.sha = t.base.sha
  pr.base.repo = structuredClone(p.repository)
  pr.head.ref = t.head.ref
  pr.head.sha = t.head.sha
  pr.head.repo = structuredClone(p.repository)
  if (t.fork) {
    pr.head.repo.full_name = `contributor/${t.repo}`
    pr.head.repo.owner.login = 'contributor'
    pr.head.repo.fork = true
  }
  if (action === 'synchronize') {
    p.before = t.base.sha
    p.after = t.head.sha
  }
  if (extra.sender) p.sender.login = extra.sender
  if (extra.label) p.label = { ...(p.label ?? {}), name: extra.label }
  return p
}

/** `issue_comment.created` on pull request `t.number` (the package has none on a PR). */
export function prCommentEvent(t: PrTarget, body: string, by: string): Json {
  const p = example('issue_comment', 'created')
  retarget(p, t)
  const n = t.number
  p.issue.number = n
  p.issue.pull_request = { url: `https://api.github.com/repos/${t.owner}/${t.repo}/pulls/${n}`, html_url: `https://github.com/${t.owner}/${t.repo}/pull/${n}`, diff_url: '', patch_url: '', merged_at: null }
  p.comment.body = body
  p.comment.user.login = by
  p.sender.login = by
  return p
}

/** `check_run.requested_action` (the Approve button) on the check run of `t.head.sha`. */
export function approveButtonEvent(t: PrTarget, by: string, checkRunId: number): Json {
  const p = example('check_run', 'requested_action')
  retarget(p, t)
  p.check_run.id = checkRunId
  p.check_run.name = 'fluxgate'
  p.check_run.head_sha = t.head.sha
  p.check_run.pull_requests = [{ number: t.number, head: { ref: t.head.ref, sha: t.head.sha }, base: { ref: t.base.ref, sha: t.base.sha } }]
  p.requested_action = { identifier: 'approve' }
  p.sender.login = by
  return p
}

/** `merge_group.checks_requested` for a queue head built from pull request `t.number`. */
export function mergeGroupEvent(t: PrTarget, queueSha: string): Json {
  const p = example('merge_group', 'checks_requested')
  retarget(p, t)
  p.merge_group.head_sha = queueSha
  p.merge_group.head_ref = `refs/heads/gh-readonly-queue/${t.base.ref}/pr-${t.number}-${t.head.sha}`
  p.merge_group.base_sha = t.base.sha
  p.merge_group.base_ref = `refs/heads/${t.base.ref}`
  return p
}

/** A push to the default branch (the package only has branch create/delete pushes). */
export function pushEvent(t: PrTarget, after: string): Json {
  const p = example('push')
  retarget(p, t)
  p.ref = `refs/heads/${t.base.ref}`
  p.before = t.base.sha
  p.after = after
  p.created = false
  p.deleted = false
  return p
}

/** `pull_request.closed` with `merged: true`: pull request `t.number` merged as `mergeSha`. */
export function mergedPullRequestEvent(t: PrTarget, mergeSha: string): Json {
  const p = pullRequestEvent('closed', t)
  p.pull_request.state = 'closed'
  p.pull_request.merged = true
  p.pull_request.merged_at = '2026-11-29T21:00:00Z'
  p.pull_request.merge_commit_sha = mergeSha
  return p
}

import type { Approval } from '../../core/gate/index.js'
import type { Logger } from '../../ports/logger.js'
import type { CheckPublication, GatePublication, HostComment, Permission, PublishOutcome, ReviewHost, StickyOptions } from '../../ports/review-host.js'
import { approvalsOnCheckRun, publishCheck } from './check-run.js'
import { isForbidden, listAll, statusOf, type GitHubClient, type RepoRef } from './client.js'
import { hasStickyComment, markStickyRunning, upsertStickyComment } from './sticky-comment.js'

const PERMISSIONS: ReadonlySet<string> = new Set(['admin', 'maintain', 'write', 'triage', 'read'])

interface IssueEvent {
  event?: string
  actor?: { login?: string } | null
  label?: { name?: string } | null
}

/**
 * The ReviewHost on GitHub's REST API, for the Action (a workflow token) and the App (an
 * installation token) alike. It carries out what the review flow decided; a token that may
 * not write somewhere yields `forbidden` (a fork's read-only token), never a thrown error.
 */
export class GitHubReviewHost implements ReviewHost {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    /** Where a check run that cannot be written is reported (an error: the gate falls back to a status). */
    private readonly logger?: Logger,
  ) {}

  async permission(user: string): Promise<Permission> {
    try {
      const { data } = await this.client.request('GET /repos/{owner}/{repo}/collaborators/{username}/permission', { ...this.repo, username: user })
      const d = data as { permission?: string; role_name?: string }
      // role_name distinguishes maintain and triage, which `permission` folds into write/read.
      const role = d.role_name && PERMISSIONS.has(d.role_name) ? d.role_name : d.permission
      return role && PERMISSIONS.has(role) ? (role as Permission) : 'none'
    } catch (err) {
      if (statusOf(err) === 404 || isForbidden(err)) return 'none'
      throw err
    }
  }

  async comments(issue: number): Promise<HostComment[]> {
    const list = await listAll<{ id: number; body?: string | null; user?: { login?: string } | null }>(this.client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repo, issue_number: issue })
    return list.map((c) => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }))
  }

  async labels(issue: number): Promise<string[]> {
    const list = await listAll<{ name: string }>(this.client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...this.repo, issue_number: issue })
    return list.map((l) => l.name)
  }

  async labelAdder(issue: number, label: string): Promise<string | undefined> {
    try {
      const events = await listAll<IssueEvent>(this.client, 'GET /repos/{owner}/{repo}/issues/{issue_number}/events', { ...this.repo, issue_number: issue })
      const added = events.filter((e) => e.event === 'labeled' && e.label?.name === label)
      return added.at(-1)?.actor?.login ?? undefined
    } catch (err) {
      if (isForbidden(err)) return undefined
      throw err
    }
  }

  async removeLabel(issue: number, label: string): Promise<void> {
    await this.bestEffort(() => this.client.request('DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}', { ...this.repo, issue_number: issue, name: label }))
  }

  recordedApprovals(sha: string): Promise<Approval[]> {
    return approvalsOnCheckRun(this.client, this.repo, sha)
  }

  async showComment(issue: number, parts: string[], opts: StickyOptions = {}): Promise<PublishOutcome> {
    if (opts.create === false && !(await hasStickyComment(this.client, this.repo, issue))) return 'absent'
    return this.outcome(() => upsertStickyComment(this.client, this.repo, issue, parts))
  }

  async showRunning(issue: number, text: string, opts: StickyOptions = {}): Promise<PublishOutcome> {
    if (opts.create === false && !(await hasStickyComment(this.client, this.repo, issue))) return 'absent'
    return this.outcome(() => markStickyRunning(this.client, this.repo, issue, text))
  }

  publishCheck(sha: string, check: CheckPublication): Promise<GatePublication> {
    return publishCheck(this.client, this.repo, sha, check, this.logger)
  }

  async react(commentId: number, content: '+1' | 'confused' | 'eyes'): Promise<void> {
    await this.bestEffort(() => this.client.request('POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions', { ...this.repo, comment_id: commentId, content }))
  }

  async reply(issue: number, body: string): Promise<void> {
    await this.bestEffort(() => this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repo, issue_number: issue, body }))
  }

  private async outcome(call: () => Promise<unknown>): Promise<PublishOutcome> {
    try {
      await call()
      return 'posted'
    } catch (err) {
      if (isForbidden(err)) return 'forbidden'
      throw err
    }
  }

  private async bestEffort(call: () => Promise<unknown>): Promise<void> {
    try {
      await call()
    } catch (err) {
      if (!isForbidden(err)) throw err
    }
  }
}

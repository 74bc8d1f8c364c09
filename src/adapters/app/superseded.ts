import type { CheckPublication, GatePublication, HostComment, Permission, PublishOutcome, RecordedApproval, ReviewHost, StickyOptions } from '../../ports/review-host.js'
import type { GitHubClient, RepoRef } from '../github/client.js'

/**
 * Whether a job's head is still the pull request's head, asked of GitHub. GitHub is the only
 * judge of "newer": deliveries arrive out of order and from several replicas, and a SHA says
 * nothing about which commit came later. An answer we cannot get counts as current: the
 * review then publishes, which is idempotent, rather than dropping the only review there is.
 */
export function headStillCurrent(client: GitHubClient, repo: RepoRef, pullNumber: number, headSha: string): () => Promise<boolean> {
  return async () => {
    try {
      const { data } = await client.request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { ...repo, pull_number: pullNumber })
      const head = (data as { head?: { sha?: string } }).head?.sha
      return head === undefined || head === headSha
    } catch {
      return true
    }
  }
}

/**
 * A ReviewHost that stops publishing once its job is superseded. The review flow (written once
 * for the Action and the App) knows nothing of queues; the App hands it this host instead, so
 * "a newer head supersedes a running older one" needs no change to the flow: before each
 * write the host asks whether the head is still current, and once it is not, every later
 * write is dropped (reads still answer, so the flow runs to its end). A dropped check run is
 * reported as published nowhere with the reason. The newer head's own job publishes.
 */
export class SupersedableHost implements ReviewHost {
  private superseded = false
  private checkPublished = false

  constructor(
    private readonly inner: ReviewHost,
    private readonly isCurrent: () => Promise<boolean>,
    private readonly onSuperseded: () => void,
  ) {}

  /** The gate was published for this job (or dropped as superseded): nothing more to say. */
  get published(): boolean {
    return this.checkPublished || this.superseded
  }

  permission(user: string): Promise<Permission> {
    return this.inner.permission(user)
  }

  comments(issue: number): Promise<HostComment[]> {
    return this.inner.comments(issue)
  }

  labels(issue: number): Promise<string[]> {
    return this.inner.labels(issue)
  }

  labelAdder(issue: number, label: string): Promise<string | undefined> {
    return this.inner.labelAdder(issue, label)
  }

  recordedApprovals(sha: string): Promise<RecordedApproval[]> {
    return this.inner.recordedApprovals(sha)
  }

  async removeLabel(issue: number, label: string): Promise<void> {
    if (await this.current()) await this.inner.removeLabel(issue, label)
  }

  async showComment(issue: number, parts: string[], opts?: StickyOptions): Promise<PublishOutcome> {
    return (await this.current()) ? this.inner.showComment(issue, parts, opts) : 'posted'
  }

  async showRunning(issue: number, text: string, opts?: StickyOptions): Promise<PublishOutcome> {
    return (await this.current()) ? this.inner.showRunning(issue, text, opts) : 'posted'
  }

  async publishCheck(sha: string, check: CheckPublication): Promise<GatePublication> {
    if (!(await this.current())) return { kind: 'none', reason: 'superseded by a newer head of the pull request' }
    const gate = await this.inner.publishCheck(sha, check)
    this.checkPublished = true
    return gate
  }

  async react(commentId: number, content: '+1' | 'confused' | 'eyes'): Promise<void> {
    if (await this.current()) await this.inner.react(commentId, content)
  }

  async reply(issue: number, body: string): Promise<void> {
    if (await this.current()) await this.inner.reply(issue, body)
  }

  private async current(): Promise<boolean> {
    if (this.superseded) return false
    if (await this.isCurrent()) return true
    this.superseded = true
    this.onSuperseded()
    return false
  }
}

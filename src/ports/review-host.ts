
/** An approval as recorded with the gate of a commit: for which commit, by whom, how. */
export interface RecordedApproval {
  sha: string
  by: string
  via: string
}

/** A user's permission on the repository, as the host reports it now. */
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none'

/** A comment on a pull request. */
export interface HostComment {
  id: number
  body: string
  /** The author's login ('' when the host does not say). */
  author: string
}

/**
 * What publishing a comment did: `forbidden` when the token may not write there (a fork);
 * `absent` when only an existing comment was to be edited and there is none.
 */
export type PublishOutcome = 'posted' | 'forbidden' | 'absent'

/** How to publish the sticky comment. */
export interface StickyOptions {
  /** Edit our comment when there is one, but never create it (default true: create when missing). */
  create?: boolean
}

/** Where the gate's verdict went. */
export type GatePublication = { kind: 'check-run'; id: number; created: boolean } | { kind: 'status' } | { kind: 'none'; reason: string }

/** A check-run annotation: a finding at a file and line. */
export interface CheckAnnotation {
  path: string
  start_line: number
  end_line: number
  annotation_level: 'notice' | 'warning' | 'failure'
  title: string
  message: string
}

/** The text of a check run, as src/report renders it. */
export interface CheckRunOutput {
  title: string
  summary: string
  text: string
  annotations: CheckAnnotation[]
}

/** What to publish as the gate for one commit. */
export interface CheckPublication {
  conclusion: 'success' | 'failure' | 'neutral'
  output: CheckRunOutput
  /** Offer the Approve button (an approval is required and missing). */
  approveButton: boolean
  /** One line for a commit status when check runs cannot be written (140 characters). */
  statusDescription: string
  detailsUrl?: string
}

/**
 * Where a pull request's review lives (GitHub): what the review flow reads (permissions,
 * comments, labels, earlier approvals) and where it publishes (the sticky comment, the check
 * run). The one implementation is src/adapters/github/review-host.ts, shared by the Action and
 * the App; the flow decides everything, the host only carries it out.
 */
export interface ReviewHost {
  /** The user's permission on the repository, asked now (never cached across events). */
  permission(user: string): Promise<Permission>
  comments(issue: number): Promise<HostComment[]>
  labels(issue: number): Promise<string[]>
  /** Who last added `label` to the pull request (from its event history), if the host can tell. */
  labelAdder(issue: number, label: string): Promise<string | undefined>
  /** Removes a label; a token that may not is ignored (the label then still does not count). */
  removeLabel(issue: number, label: string): Promise<void>
  /** Approvals recorded with the gate of `sha` by an earlier run (the check run's hidden record). */
  recordedApprovals(sha: string): Promise<RecordedApproval[]>
  /** The plan as one sticky comment in parts: edits, creates and deletes our parts only. */
  showComment(issue: number, parts: string[], opts?: StickyOptions): Promise<PublishOutcome>
  /** Part 1 of the sticky comment says a plan is running (the later parts are left). */
  showRunning(issue: number, text: string, opts?: StickyOptions): Promise<PublishOutcome>
  /** The gate for `sha`: our check run, created or updated; a commit status when checks are refused. */
  publishCheck(sha: string, check: CheckPublication): Promise<GatePublication>
  /** Best effort: a reaction on a comment. */
  react(commentId: number, content: '+1' | 'confused' | 'eyes'): Promise<void>
  /** Best effort: a reply on the pull request. */
  reply(issue: number, body: string): Promise<void>
}

import type { Approval } from '../core/gate/index.js'
import type { HostComment, Permission, ReviewHost } from '../ports/review-host.js'

/** `/fluxgate approve <sha>` on the first line of a comment. */
const APPROVE_COMMAND = /^\s*\/fluxgate\s+approve\b(.*)$/i
const FULL_SHA = /^[0-9a-f]{40}$/

/** An approval command as written: the commit it names (any text), or none. */
export interface ApproveCommand {
  /** What follows `approve`, trimmed and lower-cased ('' when nothing does). */
  sha: string
}

/** The approval command in a comment body, or undefined when its first line is not one. */
export function parseApproveCommand(body: string | null | undefined): ApproveCommand | undefined {
  const first = (body ?? '').split('\n', 1)[0] ?? ''
  const m = APPROVE_COMMAND.exec(first)
  if (!m) return undefined
  return { sha: (m[1] ?? '').trim().toLowerCase() }
}

/** Permissions that may approve and re-plan. */
export const WRITERS: ReadonlySet<Permission> = new Set(['write', 'maintain', 'admin'])

/**
 * Who may approve, asked of the host when an approval is counted (never from an earlier
 * event): write access or more, and not the pull request's author (a change needs a second
 * pair of eyes). One instance per review, so one user is asked about once.
 */
export class Approvers {
  private readonly asked = new Map<string, Promise<Permission>>()

  constructor(
    private readonly host: Pick<ReviewHost, 'permission'>,
    private readonly author: string | undefined,
  ) {}

  /** Why `user` may not approve, or undefined when they may. */
  async refusal(user: string): Promise<string | undefined> {
    if (this.author !== undefined && user.toLowerCase() === this.author.toLowerCase()) return 'the author of a pull request cannot approve it'
    const key = user.toLowerCase()
    let p = this.asked.get(key)
    if (!p) {
      p = this.host.permission(user)
      this.asked.set(key, p)
    }
    const permission = await p
    return WRITERS.has(permission) ? undefined : `approving needs write access to the repository (${user} has ${permission})`
  }
}

/** Why an approval command does not approve `headSha`, or undefined when it names it exactly. */
export function commandRefusal(cmd: ApproveCommand, headSha: string): string | undefined {
  if (cmd.sha === '') return `name the commit you reviewed: \`/fluxgate approve ${headSha}\``
  if (!FULL_SHA.test(cmd.sha)) {
    const prefix = /^[0-9a-f]{4,39}$/.test(cmd.sha)
    return prefix
      ? `\`${cmd.sha}\` is an abbreviated commit: an approval names the full 40-character SHA, so that no later commit can share it (\`/fluxgate approve ${headSha}\`)`
      : `\`${escapeCode(cmd.sha)}\` is not a commit SHA (\`/fluxgate approve ${headSha}\`)`
  }
  if (cmd.sha !== headSha) return `\`${cmd.sha}\` is not the head of this pull request (\`${headSha}\`); an approval holds only for the commit it names`
  return undefined
}

function escapeCode(text: string): string {
  return text.replaceAll('`', "'").slice(0, 80)
}

/** What an approval event carries before it is checked: who, and how. */
export interface LiveApproval {
  by: string
  via: 'comment' | 'check-action' | 'label'
}

/** Inputs of collectApprovals. */
export interface ApprovalRequest {
  issue?: number
  headSha: string
  label: string
  approvers: Approvers
  /** The approval this very event carries (its command, if a comment, already checked). */
  live?: LiveApproval
  /** The event pushed new commits: a label given before them is stale and is removed. */
  pushed: boolean
  /** Approvals of another head that carry over (a merge-queue head: its pull request's). */
  inherited?: readonly Approval[]
}

/**
 * The approvals that hold for `headSha`. Every one names `headSha` and is re-checked now
 * against its giver's permission (an approval recorded by an earlier run, a `/fluxgate approve
 * <sha>` comment, the check run's Approve button, the approval label and who added it); the
 * author's own approvals never count. A label when the event pushed new commits is stale: it
 * is removed and does not count.
 */
export async function collectApprovals(host: ReviewHost, req: ApprovalRequest): Promise<Approval[]> {
  const out: Approval[] = []
  const add = async (by: string, via: string, sha = req.headSha): Promise<void> => {
    if (sha !== req.headSha || out.some((a) => a.by.toLowerCase() === by.toLowerCase() && a.via === via)) return
    if ((await req.approvers.refusal(by)) === undefined) out.push({ sha, by, via })
  }
  for (const a of await host.recordedApprovals(req.headSha)) await add(a.by, a.via, a.sha)
  for (const a of req.inherited ?? []) await add(a.by, a.via, a.sha)
  if (req.live && req.live.via !== 'label') await add(req.live.by, req.live.via)
  if (req.issue === undefined) return out
  for (const c of await host.comments(req.issue)) {
    const cmd = parseApproveCommand(c.body)
    if (cmd && c.author && commandRefusal(cmd, req.headSha) === undefined) await add(c.author, 'comment')
  }
  if (!(await host.labels(req.issue)).includes(req.label)) return out
  if (req.pushed) {
    await host.removeLabel(req.issue, req.label)
    return out
  }
  const adder = (await host.labelAdder(req.issue, req.label)) ?? (req.live?.via === 'label' ? req.live.by : undefined)
  if (adder) await add(adder, 'label')
  return out
}

/** The verdict on a `/fluxgate approve` comment: accepted, or refused with the reason. */
export type ApproveAck = { accepted: true } | { accepted: false; reason: string }

/**
 * Judges a `/fluxgate approve` comment and answers where its author looks: a 👍 reaction when
 * it approves the head, else a 😕 and a reply saying why (no write access, the author, a SHA
 * that is abbreviated or not the head).
 */
export async function acknowledgeApproval(host: ReviewHost, approvers: Approvers, comment: HostComment & { issue: number }, headSha: string): Promise<ApproveAck> {
  const cmd = parseApproveCommand(comment.body) ?? { sha: '' }
  const reason = (await approvers.refusal(comment.author)) ?? commandRefusal(cmd, headSha)
  if (reason === undefined) {
    await host.react(comment.id, '+1')
    return { accepted: true }
  }
  await host.react(comment.id, 'confused')
  const text = `@${comment.author} \`/fluxgate approve\` was not applied: ${reason}.`
  await host.reply(comment.issue, text)
  return { accepted: false, reason: text }
}

import type { HostComment, ReviewHost } from '../ports/review-host.js'
import { RULES_DOC_URL } from '../report/index.js'
import { acknowledgeApproval, parseApproveCommand, WRITERS, type Approvers, type LiveApproval } from './approvals.js'

/** A `/fluxgate …` command on the first line of a pull request comment. */
export type ChatCommand =
  /** `/fluxgate approve <sha>`: approve the head commit (judged by acknowledgeApproval). */
  | { kind: 'approve'; sha: string }
  /** `/fluxgate plan`: plan and gate the current head again. */
  | { kind: 'plan' }
  /** `/fluxgate help` (or `/fluxgate` alone): the commands. */
  | { kind: 'help' }
  /** Any other word after `/fluxgate`: answered with a reaction and a short reply. */
  | { kind: 'unknown'; word: string }

// `/fluxgate` followed by whitespace or the end of the line: `/fluxgatex` is not ours.
const COMMAND = /^\s*\/fluxgate(?:\s+(\S*))?\s*(?:\s.*)?$/i

/**
 * The command a comment gives, or undefined when its first line does not start with
 * `/fluxgate`. Only the first line counts, as for approvals: a quote further down is no command.
 */
export function parseChatCommand(body: string | null | undefined): ChatCommand | undefined {
  const first = (body ?? '').split('\n', 1)[0] ?? ''
  const m = COMMAND.exec(first)
  if (!m) return undefined
  const approve = parseApproveCommand(first)
  if (approve) return { kind: 'approve', sha: approve.sha }
  const word = (m[1] ?? '').toLowerCase()
  if (word === '' || word === 'help') return { kind: 'help' }
  if (word === 'plan') return { kind: 'plan' }
  return { kind: 'unknown', word: (m[1] ?? '').slice(0, 40) }
}

/** The answer to `/fluxgate help`: every command, one line each, and where the rules are explained. */
export function chatHelp(): string {
  return [
    'Fluxgate commands (a comment on the pull request whose first line is the command):',
    '',
    '- `/fluxgate approve <sha>`: approve the head commit, named by its full 40-character SHA. Clears the findings of approvable rules (high-risk deletions, protected paths and clusters) for that commit only. Needs write access; the author cannot approve their own pull request.',
    '- `/fluxgate plan`: plan and gate the current head again (after a change outside the pull request, such as the base branch or a chart repository). Needs write access, or being the author.',
    '- `/fluxgate help`: this list.',
    '',
    `What each gate rule means and how to unblock it: [the rules](${RULES_DOC_URL}).`,
  ].join('\n')
}

/** What the front door does after a command was answered. */
export type CommandOutcome =
  /** Review the head again; with `live` when the command approved it. */
  | { replan: true; live?: LiveApproval }
  /** Nothing more: the reply (or the refusal) is all. `reason` is for the log. */
  | { replan: false; reason: string }

/** A comment carrying a command, on a pull request. */
export type CommandComment = HostComment & { issue: number }

/**
 * Answers a `/fluxgate` command where its author looks, for the Action and the App alike:
 * - `approve`: 👍 and a review with the approval, or 😕 and a reply saying why not;
 * - `plan`: 👀 and a review of the current head, for users with write access and the author
 *   (anyone else gets 😕 and a reply: re-planning costs a runner);
 * - `help`: 👍 and the list of commands;
 * - anything else: 😕 and a short reply naming the commands.
 */
export async function answerChatCommand(host: ReviewHost, approvers: Approvers, comment: CommandComment, cmd: ChatCommand, head: { sha: string; author?: string }): Promise<CommandOutcome> {
  switch (cmd.kind) {
    case 'approve': {
      const ack = await acknowledgeApproval(host, approvers, comment, head.sha)
      return ack.accepted ? { replan: true, live: { by: comment.author, via: 'comment' } } : { replan: false, reason: `approval refused: ${ack.reason}` }
    }
    case 'plan': {
      const isAuthor = head.author !== undefined && head.author.toLowerCase() === comment.author.toLowerCase()
      const permission = isAuthor ? 'write' : await host.permission(comment.author)
      if (!WRITERS.has(permission)) {
        await host.react(comment.id, 'confused')
        await host.reply(comment.issue, `@${comment.author} \`/fluxgate plan\` was not run: re-planning needs write access to the repository, or being the pull request's author (${comment.author} has ${permission}).`)
        return { replan: false, reason: `plan refused: ${comment.author} has ${permission}` }
      }
      await host.react(comment.id, 'eyes')
      return { replan: true }
    }
    case 'help':
      await host.react(comment.id, '+1')
      await host.reply(comment.issue, chatHelp())
      return { replan: false, reason: 'answered /fluxgate help' }
    case 'unknown':
      await host.react(comment.id, 'confused')
      await host.reply(comment.issue, `@${comment.author} \`/fluxgate ${cmd.word.replaceAll('`', "'")}\` is not a Fluxgate command. The commands are \`/fluxgate approve <sha>\`, \`/fluxgate plan\` and \`/fluxgate help\`.`)
      return { replan: false, reason: `unknown command ${cmd.word}` }
  }
}

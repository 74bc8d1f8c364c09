import * as core from '@actions/core'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient } from '../github/client.js'
import { githubClient } from '../github/octokit.js'
import { readSettings, type ActionSettings } from './inputs.js'
import { answerChatCommand, Approvers } from '../../flows/index.js'
import { runImagesJob } from './images-job.js'
import { runPostMerge } from './post-merge.js'
import { findPull, mergeGroupTarget } from '../github/pull-target.js'
import { GitHubReviewHost } from '../github/review-host.js'
import { reviewInAction } from './review-job.js'

const logger: Logger = {
  debug: (m) => core.debug(m),
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
}

/**
 * The Action: read inputs and the event once, pick the job, run it. Jobs:
 * - pull_request: plan, gate, sticky comment, check run, job summary, outputs;
 * - issue_comment `/fluxgate …`: look the pull request up and answer the command (approve,
 *   plan, help, anything else) on the comment; review it again when the command asks for it;
 * - check_run Approve button: look the pull request up and review it again with that approval;
 * - merge_group: plan and gate the queue head, with the queued pull request's approvals;
 * - push to the default branch: the post-merge step;
 * - `mode: images` (any event, meant for schedule and workflow_dispatch): the image-update
 *   pull requests, as `fluxgate images --pull-requests`.
 * The only catch: any thrown error fails the step with its message (never a token).
 */
export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const client = githubClient(settings.token, { baseUrl: settings.apiUrl, logger })
    await runJob(settings, client)
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err))
  }
}

async function runJob(s: ActionSettings, client: GitHubClient): Promise<void> {
  const repo = { owner: s.owner, repo: s.repo }
  const job = s.job
  switch (job.kind) {
    case 'review':
      await reviewInAction(s, client, job.target, logger)
      return
    case 'lookup': {
      const target = await findPull(client, repo, job.issue, job.headSha)
      if (!target) {
        logger.info('the approval is for a commit that is no longer the head of an open pull request: nothing to do')
        return
      }
      await reviewInAction(s, client, { ...target, live: job.live }, logger)
      return
    }
    case 'command': {
      const target = await findPull(client, repo, job.issue, undefined)
      if (!target || target.issue === undefined) {
        logger.info('the comment is on a pull request that is not open: nothing to do')
        return
      }
      const host = new GitHubReviewHost(client, repo)
      const comment = { id: job.comment.id, issue: target.issue, body: job.comment.body, author: job.comment.by }
      const outcome = await answerChatCommand(host, new Approvers(host, target.author), comment, job.command, { sha: target.head.sha, ...(target.author ? { author: target.author } : {}) })
      if (!outcome.replan) {
        logger.info(`Fluxgate: ${outcome.reason}`)
        return
      }
      await reviewInAction(s, client, { ...target, ...(outcome.live ? { live: outcome.live } : {}) }, logger)
      return
    }
    case 'images':
      await runImagesJob(s, logger)
      return
    case 'merge-group': {
      const host = new GitHubReviewHost(client, repo)
      const target = await mergeGroupTarget(client, repo, job, (sha) => host.recordedApprovals(sha))
      await reviewInAction(s, client, target, logger)
      return
    }
    case 'post-merge': {
      const result = await runPostMerge(s, client, job, logger)
      await core.summary.addRaw(`### Fluxgate after the merge\n\n${result.message}\n`).write()
      if (!result.ok) core.setFailed('Fluxgate: the post-merge reconcile failed (see the Deployment and the job summary)')
      return
    }
    case 'skip':
      logger.info(`Fluxgate: ${job.reason}; nothing to do.`)
      return
  }
}

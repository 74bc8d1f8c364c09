import * as core from '@actions/core'
import { GitRepo } from '../../infra/git-repo.js'
import type { Logger } from '../../ports/logger.js'
import type { GitHubClient } from '../github/client.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { reviewChange, type ReviewResult } from '../github/review-change.js'
import { ensureCommits } from './fetch-commits.js'
import type { ActionSettings } from './inputs.js'
import { writeJobSummary } from './job-summary.js'
import { writeOutputs } from './outputs.js'

/**
 * Reviews one head in the Action: fetch the commits if needed, run the shared review
 * (plan, gate, comment, check run), then write the job summary and outputs once. Fails the
 * job when the gate fails and either `fail-on-gate` is set or the verdict could be published
 * nowhere (a fork's read-only token: the job status is then the only gate).
 */
export async function reviewInAction(s: ActionSettings, client: GitHubClient, target: ReviewTarget, logger: Logger): Promise<ReviewResult> {
  const repo = new GitRepo(s.repositoryPath)
  await ensureCommits(repo, [target.base.sha, target.head.sha], target.issue)
  const result = await reviewChange({
    client,
    repo: { owner: s.owner, repo: s.repo },
    plan: {
      source: repo,
      base: target.base,
      head: target.head,
      paths: s.paths,
      repoUrl: `${s.serverUrl}/${s.owner}/${s.repo}`,
      trusted: !target.fork,
      allowRemoteCharts: s.allowRemoteCharts,
      ...(s.helmPath ? { helmPath: s.helmPath } : {}),
      secretValues: [s.token],
      logger,
    },
    ...(target.issue !== undefined ? { issue: target.issue } : {}),
    approveLabel: s.approveLabel,
    ...(target.live ? { liveApproval: target.live } : {}),
    pushed: target.pushed,
    ...(target.inherited ? { inheritedApprovals: target.inherited } : {}),
    comment: s.comment,
    ...(s.runUrl ? { detailsUrl: s.runUrl, fullReport: `the [job summary](${s.runUrl})` } : {}),
  })
  const note = result.comment === 'fallback' ? 'This token may not comment on the pull request (a fork?): the plan is shown here instead.' : undefined
  await writeJobSummary(result.planned?.plan, result.verdict, note)
  if (result.planned) writeOutputs(result.planned.plan, result.verdict, s.reportPath)
  logger.info(`gate: ${result.verdict.conclusion} (${result.verdict.summary}); published as ${result.gate.kind}`)
  if (result.error) core.setFailed(`Fluxgate could not plan this change: ${result.error}`)
  else if (result.verdict.conclusion === 'failure' && (s.failOnGate || result.gate.kind === 'none')) core.setFailed(`Fluxgate gate failed: ${result.verdict.summary}`)
  return result
}

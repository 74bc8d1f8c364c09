import * as core from '@actions/core'
import { reviewFlow, reviewViewOf, type ReviewResult } from '../../flows/index.js'
import { fetchCommits } from '../../infra/git-fetch.js'
import { GitRepo } from '../../infra/git-repo.js'
import { HelmCli } from '../../infra/helm-cli.js'
import { DiskRenderCache, RENDER_CACHE_MAX_BYTES } from '../../infra/render-cache.js'
import { WorkerThreadPool } from '../../infra/thread-pool.js'
import type { Logger } from '../../ports/logger.js'
import { unitsLine } from '../../report/index.js'
import type { GitHubClient } from '../github/client.js'
import type { ReviewTarget } from '../github/pull-target.js'
import { GitHubReviewHost } from '../github/review-host.js'
import type { ActionSettings } from './inputs.js'
import { writeJobSummary } from './job-summary.js'
import { writeOutputs } from './outputs.js'
import { systemClock } from '../../infra/clock.js'

/**
 * Reviews one head in the Action: fetch the commits if the checkout lacks them, run the review
 * flow (plan, approvals, gate, comment, check run), then write the job summary and outputs
 * once. Fails the job when the plan could not be made, or when the gate fails and either
 * `fail-on-gate` is set or the verdict could be published nowhere (a fork's read-only token:
 * the job status is then the only gate).
 */
export async function reviewInAction(s: ActionSettings, client: GitHubClient, target: ReviewTarget, logger: Logger): Promise<ReviewResult> {
  const repo = new GitRepo(s.repositoryPath)
  await fetchCommits(repo, { remote: 'origin', shas: [target.base.sha, target.head.sha], ...(target.issue !== undefined ? { pullNumber: target.issue } : {}) }).catch((err: unknown) => logger.warn(String(err instanceof Error ? err.message : err)))
  const helm = s.helmPath ? new HelmCli({ helmPath: s.helmPath, cacheDir: s.chartCache }) : undefined
  const renderCache = s.renderCache ? new DiskRenderCache(s.chartCache) : undefined
  // Render threads beside the runner's main one where it has the cores (dist/thread-worker.js).
  const threads = s.threads > 1 ? new WorkerThreadPool(s.threads) : undefined
  try {
    const result = await reviewFlow({
      host: new GitHubReviewHost(client, { owner: s.owner, repo: s.repo }, logger),
      plan: {
        source: repo,
        base: target.base.sha,
        head: target.head.sha,
        baseLabel: target.base.ref,
        headLabel: target.head.ref,
        branch: target.base.ref,
        origin: target.origin,
        paths: s.paths,
        repoUrl: `${s.serverUrl}/${s.owner}/${s.repo}`,
        offline: s.offline,
        ...(helm?.available() ? { helm } : {}),
        ...(renderCache ? { renderCache } : {}),
        ...(threads ? { threads } : {}),
        secretValues: [s.token],
        logger,
        clock: systemClock,
      },
      ...(target.issue !== undefined ? { issue: target.issue } : {}),
      ...(target.author ? { author: target.author } : {}),
      approveLabel: s.approveLabel,
      ...(target.live ? { live: target.live } : {}),
      pushed: target.pushed,
      ...(target.inherited ? { inherited: target.inherited } : {}),
      comment: s.comment,
      nowIso: () => new Date().toISOString(),
      ...(s.runUrl ? { detailsUrl: s.runUrl, fullReport: `the [job summary](${s.runUrl})` } : {}),
    })
    const note = result.comment === 'fallback' ? 'This token may not comment on the pull request (a fork?): the plan is shown here instead.' : undefined
    await writeJobSummary(result.planned?.plan, reviewViewOf(result.verdict, result.approvals, s.approveLabel), note)
    if (result.planned) writeOutputs(result.planned.plan, result.verdict, s.reportPath)
    if (result.planned?.units) logger.info(unitsLine(result.planned.units))
    logger.info(`gate: ${result.verdict.conclusion} (${result.verdict.summary}); published as ${result.gate.kind}`)
    if (result.error) core.setFailed(`Fluxgate could not plan this change: ${result.error}`)
    else if (result.verdict.conclusion === 'failure' && (s.failOnGate || result.gate.kind === 'none')) core.setFailed(`Fluxgate gate failed: ${result.verdict.summary}`)
    return result
  } finally {
    await threads?.close()
    helm?.dispose()
    renderCache?.prune(RENDER_CACHE_MAX_BYTES)
  }
}

import * as core from '@actions/core'
import { formatDiagnostic } from '../../core/diagnostics/diagnostic.js'
import { GitRepo } from '../../infra/git-repo.js'
import { HttpRegistryClient, loadRegistrySettings } from '../../infra/registry/index.js'
import type { Logger } from '../../ports/logger.js'
import { runImagePullRequests } from '../github/image-prs-runner.js'
import type { ActionSettings } from './inputs.js'

/**
 * `mode: images`: the image scan and one pull request per ImageUpdateAutomation, opened or
 * updated in place, through the same wiring as `fluxgate images --pull-requests`. Branches are
 * pushed to the checkout's `origin` (as actions/checkout set it up) with the workflow's token,
 * sent as the same `x-access-token` Basic header actions/checkout uses; the job summary lists
 * what happened per automation, and the step fails when one of them failed.
 */
export async function runImagesJob(s: ActionSettings, logger: Logger): Promise<void> {
  const repository = `${s.owner}/${s.repo}`
  const settings = s.images.registryConfig ? loadRegistrySettings(s.images.registryConfig, process.env) : undefined
  const outcomes = await runImagePullRequests({
    repository,
    token: s.token,
    apiUrl: s.apiUrl,
    remoteUrl: await remoteOf(s),
    registry: new HttpRegistryClient({ allowInsecure: s.images.allowInsecure, ...(settings ? { settings } : {}) }),
    ...(s.images.baseBranch ? { baseBranch: s.images.baseBranch } : {}),
    logger,
  })
  const lines = ['### Fluxgate image updates', '']
  if (outcomes.length === 0) lines.push('No ImageUpdateAutomation on the base branch: no pull requests.')
  for (const o of outcomes) {
    lines.push(`- \`${o.automation}\`: ${o.action}${o.pullNumber ? ` #${o.pullNumber}` : ''} (branch \`${o.branch}\`)`)
    for (const d of o.diagnostics.filter((x) => x.severity !== 'info')) lines.push(`  - ${formatDiagnostic(d).replaceAll('\n', ' ')}`)
  }
  await core.summary.addRaw(lines.join('\n') + '\n').write()
  const failed = outcomes.filter((o) => o.action === 'failed' || o.diagnostics.some((d) => d.severity === 'error'))
  if (failed.length) core.setFailed(`Fluxgate: image updates failed for ${failed.map((o) => o.automation).join(', ')} (see the job summary)`)
}

/**
 * The checkout's `origin` when it is an HTTP(S) URL (credentials in it are dropped: the token
 * travels in a header), else the repository on the server.
 */
async function remoteOf(s: ActionSettings): Promise<string> {
  const fallback = `${s.serverUrl.replace(/\/$/, '')}/${s.owner}/${s.repo}.git`
  const origin = await new GitRepo(s.repositoryPath).originUrl().catch(() => undefined)
  if (!origin) return fallback
  try {
    const url = new URL(origin)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return fallback
    url.username = ''
    url.password = ''
    return url.toString()
  } catch {
    return fallback
  }
}

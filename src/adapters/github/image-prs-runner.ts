import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { getOctokit } from '@actions/github'
import { planChange } from '../../core/diff/plan-change.js'
import { renderFleet } from '../../core/render/render-fleet.js'
import type { FileTree } from '../../ports/file-tree.js'
import type { Logger } from '../../ports/logger.js'
import type { RegistryClient } from '../../ports/registry.js'
import { GitRemoteWorkspace, type GitIdentity } from '../../infra/git-push.js'
import { renderComment } from '../../report/index.js'
import { syncImagePullRequests, type ImagePrOutcome } from './image-prs.js'

/** Settings of one image pull-request run, as a front door (CLI, Action) collects them. */
export interface ImagePrRunSettings {
  /** `owner/name` on GitHub. */
  repository: string
  token: string
  /** REST API base, e.g. `https://api.github.com` or a GHES `/api/v3` URL. */
  apiUrl: string
  /** Git remote to fetch and push; default `${serverUrl}/${repository}.git`. */
  remoteUrl: string
  baseBranch?: string
  /** Folder for the bare work repository; a temporary one (removed after) when unset. */
  workDir?: string
  identity?: GitIdentity
  allowDowngrade?: boolean
  registry: RegistryClient
  logger?: Logger
}

/** The identity of commits when nobody configured one. */
export const DEFAULT_IDENTITY: GitIdentity = Object.freeze({ name: 'fluxgate[bot]', email: 'fluxgate[bot]@users.noreply.github.com' })

/** Wires real clients into syncImagePullRequests and runs it once. */
export async function runImagePullRequests(s: ImagePrRunSettings): Promise<ImagePrOutcome[]> {
  const [owner = '', repo = ''] = s.repository.split('/')
  if (!owner || !repo) throw new Error(`repository must be OWNER/NAME, got '${s.repository}'`)
  const temp = s.workDir ? undefined : mkdtempSync(join(tmpdir(), 'fluxgate-image-prs-'))
  try {
    return await syncImagePullRequests({
      github: getOctokit(s.token, { baseUrl: s.apiUrl, request: { fetch: globalThis.fetch } }),
      owner,
      repo,
      git: new GitRemoteWorkspace(s.workDir ?? join(temp!, 'repo.git'), s.remoteUrl, s.token),
      registry: s.registry,
      identity: s.identity ?? DEFAULT_IDENTITY,
      renderPlan: renderBump,
      ...(s.baseBranch ? { baseBranch: s.baseBranch } : {}),
      ...(s.allowDowngrade ? { allowDowngrade: true } : {}),
      ...(s.logger ? { logger: s.logger } : {}),
    })
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true })
  }
}

/**
 * The rendered plan of an image bump (base tree against base + edits) as markdown, so the
 * reviewer sees which Deployments roll. Charts are not fetched (values-only). A render
 * problem never blocks the pull request: the body then just has no plan section.
 */
export async function renderBump(base: FileTree, head: FileTree): Promise<string | undefined> {
  try {
    const before = await renderFleet(base, { revision: 'base' })
    const after = await renderFleet(head, { revision: 'image-update' })
    // A fixed duration keeps the body identical between runs (no needless pull request edits).
    const plan = planChange(before, after, { baseRef: 'base', headRef: 'image update', durationMs: 0 })
    return renderComment(plan, { maxChars: 40_000 })[0]
  } catch {
    return undefined
  }
}

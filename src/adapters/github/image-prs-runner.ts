import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { imagesFlow, type ImagePrOutcome } from '../../flows/index.js'
import { GitRemoteWorkspace } from '../../infra/git-push.js'
import type { GitIdentity } from '../../ports/image-pr-host.js'
import type { Logger } from '../../ports/logger.js'
import type { RegistryClient } from '../../ports/registry.js'
import { GitHubImagePrHost } from './image-pr-host.js'
import { githubClient } from './octokit.js'

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

/** Wires the GitHub host and a git workspace into the images flow and runs it once. */
export async function runImagePullRequests(s: ImagePrRunSettings): Promise<ImagePrOutcome[]> {
  const [owner = '', repo = ''] = s.repository.split('/')
  if (!owner || !repo) throw new Error(`repository must be OWNER/NAME, got '${s.repository}'`)
  const temp = s.workDir ? undefined : mkdtempSync(join(tmpdir(), 'fluxgate-image-prs-'))
  try {
    const client = githubClient(s.token, { baseUrl: s.apiUrl, fetch: globalThis.fetch, ...(s.logger ? { logger: s.logger } : {}) })
    return await imagesFlow({
      host: new GitHubImagePrHost(client, { owner, repo }),
      git: new GitRemoteWorkspace(s.workDir ?? join(temp!, 'repo.git'), s.remoteUrl, s.token),
      registry: s.registry,
      ...(s.identity ? { identity: s.identity } : {}),
      ...(s.baseBranch ? { baseBranch: s.baseBranch } : {}),
      ...(s.allowDowngrade ? { allowDowngrade: true } : {}),
      ...(s.logger ? { logger: s.logger } : {}),
    })
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true })
  }
}

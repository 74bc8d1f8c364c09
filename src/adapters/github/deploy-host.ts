import type { DeployHost, DeploymentState } from '../../ports/deploy-host.js'
import { PLAN_MARKER, parsePartMarker } from '../../report/index.js'
import { withReconcileSection } from '../../report/reconcile.js'
import type { GitHubClient, RepoRef } from './client.js'
import { ourComments } from './sticky-comment.js'

interface PullJson {
  number: number
  merged_at?: string | null
  merge_commit_sha?: string | null
  base?: { ref?: string }
}

/**
 * The DeployHost on GitHub: one Deployment per cluster (environment = cluster name, ref = the
 * merge commit), and the reconcile section in the merged pull request's sticky comment.
 */
export class GitHubDeployHost implements DeployHost {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
    /** Shown on each deployment status (the workflow run, the App's log). */
    private readonly logUrl?: string,
  ) {}

  async mergedPull(sha: string, branch: string): Promise<number | undefined> {
    const { data } = await this.client.request('GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls', { ...this.repo, commit_sha: sha, per_page: 100 })
    const pulls = (Array.isArray(data) ? data : []) as PullJson[]
    const merged = pulls.filter((p) => p.merged_at && (!branch || p.base?.ref === branch))
    return (merged.find((p) => p.merge_commit_sha === sha) ?? merged[0])?.number
  }

  async startDeployment(cluster: string, sha: string, description: string, pullNumber?: number): Promise<number> {
    const { data } = await this.client.request('POST /repos/{owner}/{repo}/deployments', {
      ...this.repo,
      ref: sha,
      environment: cluster,
      task: 'deploy:flux-reconcile',
      description,
      auto_merge: false,
      // Flux deploys what is merged; the merge's own checks already ran.
      required_contexts: [],
      payload: { cluster, ...(pullNumber !== undefined ? { pull_request: pullNumber } : {}) },
    })
    const id = (data as { id: number }).id
    await this.setStatus(id, 'in_progress', `reconciling ${sha.slice(0, 7)}`)
    return id
  }

  async finishDeployment(id: number, state: DeploymentState, description: string): Promise<void> {
    await this.setStatus(id, state, description)
  }

  /**
   * Replaces an earlier reconcile section in the sticky plan comment (the same ownership rule
   * as the plan: a bot's, or the token user's); creates the comment, marked, only when the
   * plan comment is missing. Never adds a second comment.
   */
  async showReconcile(pullNumber: number, section: string): Promise<void> {
    const sticky = (await ourComments(this.client, this.repo, pullNumber)).find((c) => parsePartMarker(c.body) === 1)
    if (sticky) {
      await this.client.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...this.repo, comment_id: sticky.id, body: withReconcileSection(sticky.body, section) })
      return
    }
    await this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repo, issue_number: pullNumber, body: `${PLAN_MARKER}\n${section}\n` })
  }

  private async setStatus(id: number, state: DeploymentState | 'in_progress', description: string): Promise<void> {
    await this.client.request('POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
      ...this.repo,
      deployment_id: id,
      state,
      description,
      ...(this.logUrl ? { log_url: this.logUrl } : {}),
    })
  }
}

import type { HostPull, ImagePrHost } from '../../ports/image-pr-host.js'
import type { GitHubClient, RepoRef } from './client.js'

/** The ImagePrHost on GitHub's REST API. */
export class GitHubImagePrHost implements ImagePrHost {
  constructor(
    private readonly client: GitHubClient,
    private readonly repo: RepoRef,
  ) {}

  async defaultBranch(): Promise<string> {
    const { data } = await this.client.request('GET /repos/{owner}/{repo}', { ...this.repo })
    return (data as { default_branch: string }).default_branch
  }

  async openPull(branch: string, base: string): Promise<HostPull | undefined> {
    const { data } = await this.client.request('GET /repos/{owner}/{repo}/pulls', { ...this.repo, state: 'open', head: `${this.repo.owner}:${branch}`, base, per_page: 100 })
    return (data as HostPull[])[0]
  }

  async createPull(branch: string, base: string, title: string, body: string): Promise<number> {
    const { data } = await this.client.request('POST /repos/{owner}/{repo}/pulls', { ...this.repo, head: branch, base, title, body })
    return (data as HostPull).number
  }

  async updatePull(number: number, title: string, body: string): Promise<void> {
    await this.client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.repo, pull_number: number, title, body })
  }

  async closePull(number: number): Promise<void> {
    await this.client.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...this.repo, pull_number: number, state: 'closed' })
  }

  async comments(issue: number): Promise<string[]> {
    const { data } = await this.client.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repo, issue_number: issue, per_page: 100 })
    return (data as { body?: string | null }[]).map((c) => c.body ?? '')
  }

  async comment(issue: number, body: string): Promise<void> {
    await this.client.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...this.repo, issue_number: issue, body })
  }
}

/**
 * The slice of Octokit Fluxgate's GitHub publishing code needs: `request` with a route string.
 * Both @actions/github's `getOctokit()` and Probot's `context.octokit` satisfy it, so the
 * Action and the App share one implementation of comments, check runs and approvals.
 */
export interface GitHubClient {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>
}

/** The repository a run works on. */
export interface RepoRef {
  owner: string
  repo: string
}

/** How many items one page asks for (the REST maximum). */
const PER_PAGE = 100

/**
 * Every item of a paginated list endpoint, page by page until a short page. Stops after
 * `maxPages` as a guard against a runaway pull request (10,000 comments).
 */
export async function listAll<T>(client: GitHubClient, route: string, params: Record<string, unknown>, maxPages = 100): Promise<T[]> {
  const out: T[] = []
  for (let page = 1; page <= maxPages; page++) {
    const { data } = await client.request(route, { ...params, per_page: PER_PAGE, page })
    const items = Array.isArray(data) ? (data as T[]) : []
    out.push(...items)
    if (items.length < PER_PAGE) break
  }
  return out
}

/** True for the 403/404 GitHub answers when a token may not do something (fork tokens). */
export function isForbidden(err: unknown): boolean {
  const status = (err as { status?: unknown } | null)?.status
  return status === 403 || status === 404
}

/** The HTTP status of an Octokit error, or undefined. */
export function statusOf(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

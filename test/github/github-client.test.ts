/**
 * The Action's GitHub client (src/adapters/github/octokit.ts) against the GitHub double: a
 * server error and a rate limit are waited out and tried again; other errors are not.
 */
import { jest } from '@jest/globals'
import { githubClient } from '../../src/adapters/github/octokit.js'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'

jest.setTimeout(60_000)

describe('the Action\'s GitHub client', () => {
  let gh: GitHubDouble
  let warnings: string[]
  const client = () => githubClient('ghp_test', { baseUrl: gh.url, fetch: globalThis.fetch, logger: { debug: () => undefined, info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined } })

  beforeEach(async () => {
    gh = await startGitHubDouble()
    gh.repo('acme', 'fleet')
    warnings = []
  })
  afterEach(() => gh.close())

  it('tries a request again after a server error', async () => {
    gh.failNext('GET', /^\/repos\/acme\/fleet$/, 502)
    const { data } = await client().request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'fleet' })
    expect((data as { full_name: string }).full_name).toBe('acme/fleet')
    expect(gh.calls('GET', '/repos/acme/fleet').map((r) => r.status)).toEqual([502, 200])
  })

  it('waits out a primary rate limit, then tries again', async () => {
    const reset = String(Math.ceil(Date.now() / 1000) + 1)
    gh.failNext('POST', /\/statuses\//, 403, { headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }, body: { message: 'API rate limit exceeded for installation ID 2.' } })
    await client().request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: 'acme', repo: 'fleet', sha: 'a'.repeat(40), state: 'success', context: 'fluxgate' })
    expect(gh.calls('POST', `/repos/acme/fleet/statuses/${'a'.repeat(40)}`).map((r) => r.status)).toEqual([403, 201])
    expect(warnings).toEqual([expect.stringContaining('GitHub rate limit reached at POST')])
  })

  it('waits out a secondary rate limit, then tries again', async () => {
    gh.failNext('POST', /\/statuses\//, 403, { headers: { 'retry-after': '1' }, body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' } })
    await client().request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: 'acme', repo: 'fleet', sha: 'b'.repeat(40), state: 'success', context: 'fluxgate' })
    expect(gh.calls('POST', `/repos/acme/fleet/statuses/${'b'.repeat(40)}`).map((r) => r.status)).toEqual([403, 201])
    expect(warnings).toEqual([expect.stringContaining('secondary rate limit')])
  })

  it('does not try again after a refusal (403 without a rate limit) or a 404', async () => {
    gh.failNext('POST', /\/check-runs$/, 403, { body: { message: 'Resource not accessible by integration' } })
    await expect(client().request('POST /repos/{owner}/{repo}/check-runs', { owner: 'acme', repo: 'fleet', name: 'fluxgate', head_sha: 'c'.repeat(40) })).rejects.toMatchObject({ status: 403 })
    await expect(client().request('GET /repos/{owner}/{repo}/pulls/{pull_number}', { owner: 'acme', repo: 'fleet', pull_number: 99 })).rejects.toMatchObject({ status: 404 })
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs')).toHaveLength(1)
    expect(gh.calls('GET', '/repos/acme/fleet/pulls/99')).toHaveLength(1)
  })
})

import { getOctokit } from '@actions/github'
import type { Verdict } from '../../src/core/gate/index.js'
import { startGitHubDouble, type GitHubDouble } from '../support/github-double.js'
import type { GitHubClient } from '../../src/adapters/github/client.js'
import { publishCheck } from '../../src/adapters/github/check-run.js'
import { checkOutput } from '../../src/report/index.js'

const repoRef = { owner: 'acme', repo: 'fleet' }
const sha = 'a'.repeat(40)

function verdict(conclusion: Verdict['conclusion'], findings = 0): Verdict {
  return {
    conclusion,
    findings: Array.from({ length: findings }, (_, i) => ({ ruleId: 'replicas-zero', level: 'warn' as const, message: `finding ${i}`, location: { file: `apps/f${i}.yaml`, line: i + 1 } })),
    approval: { required: false, satisfied: false },
    summary: `${conclusion} with ${findings} findings`,
  }
}

function publishVerdict(c: GitHubClient, repo: typeof repoRef, headSha: string, v: Verdict) {
  return publishCheck(c, repo, headSha, { conclusion: v.conclusion, output: checkOutput(v, [], headSha), approveButton: false, statusDescription: v.summary })
}

describe('publishCheck', () => {
  let gh: GitHubDouble
  beforeEach(async () => {
    gh = await startGitHubDouble()
  })
  afterEach(() => gh.close())
  const client = (token: string): GitHubClient => getOctokit(token, { baseUrl: gh.url, request: { fetch: globalThis.fetch } }) as unknown as GitHubClient

  it('sends 120 annotations in batches of 50 and does not append them again on an update', async () => {
    const repo = gh.repo('acme', 'fleet')

    await publishVerdict(client('t'), repoRef, sha, verdict('success', 120))
    await publishVerdict(client('t'), repoRef, sha, verdict('success', 120))

    expect(repo.checkRuns).toHaveLength(1)
    expect(repo.checkRuns[0]!.annotations).toHaveLength(120)
    expect(gh.calls('POST', '/repos/acme/fleet/check-runs')).toHaveLength(1)
    expect(gh.calls('PATCH', `/repos/acme/fleet/check-runs/${repo.checkRuns[0]!.id}`)).toHaveLength(3)
  })

  it.each`
    conclusion   | state
    ${'success'} | ${'success'}
    ${'failure'} | ${'failure'}
    ${'neutral'} | ${'error'}
  `('falls back to a commit status when checks are read-only: $conclusion → $state', async ({ conclusion, state }) => {
    const repo = gh.repo('acme', 'fleet')
    gh.tokens.set('no-checks', { checks: 'read', statuses: 'write' })

    const out = await publishVerdict(client('no-checks'), repoRef, sha, verdict(conclusion))

    expect(out).toEqual({ kind: 'status' })
    expect(repo.statuses).toMatchObject([{ sha, state, context: 'fluxgate' }])
  })
})

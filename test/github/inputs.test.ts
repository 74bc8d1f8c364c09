import { jobOf } from '../../src/adapters/action/inputs.js'
import { approveButtonEvent, example, mergeGroupEvent, prCommentEvent, pullRequestEvent, pushEvent, type PrTarget } from './support/payloads.js'

const t: PrTarget = { owner: 'acme', repo: 'fleet', number: 7, base: { ref: 'main', sha: 'b'.repeat(40) }, head: { ref: 'feature', sha: 'h'.repeat(40) } }
const none = { base: '', head: '', approveLabel: 'fluxgate/approved' }

describe('jobOf: the job each webhook payload asks the Action for', () => {
  it('reviews a pull request with the SHAs of the event, or the base/head inputs', () => {
    const opened = pullRequestEvent('opened', t)
    expect(jobOf('pull_request', opened, {}, none)).toEqual({
      kind: 'review',
      target: { issue: 7, base: t.base, head: t.head, origin: { kind: 'pull-request', baseRepo: 'acme/fleet', headRepo: 'acme/fleet' }, author: opened.pull_request.user.login, pushed: false },
    })
    expect(jobOf('pull_request', pullRequestEvent('synchronize', t), {}, { ...none, base: 'v1' })).toMatchObject({ target: { base: { ref: 'v1', sha: 'v1' }, pushed: true } })
  })

  it('passes on what the event says about the head repository: a fork, a deleted fork, nothing', () => {
    expect(jobOf('pull_request', pullRequestEvent('opened', { ...t, fork: true }), {}, none)).toMatchObject({ target: { origin: { headRepo: 'contributor/fleet' } } })
    const deleted = pullRequestEvent('opened', t)
    deleted.pull_request.head.repo = null
    expect(jobOf('pull_request', deleted, {}, none)).toMatchObject({ target: { origin: { kind: 'pull-request', headRepo: null } } })
    const silent = pullRequestEvent('opened', t)
    delete silent.pull_request.head.repo
    expect(jobOf('pull_request', silent, {}, none)).toMatchObject({ target: { origin: { kind: 'pull-request', headRepo: undefined } } })
  })

  it('treats only the approval label as a label approval', () => {
    expect(jobOf('pull_request', pullRequestEvent('labeled', t, { sender: 'alice', label: 'fluxgate/approved' }), {}, none)).toMatchObject({ target: { live: { by: 'alice', via: 'label' } } })
    expect(jobOf('pull_request', pullRequestEvent('labeled', t, { sender: 'alice', label: 'bug' }), {}, none)).not.toHaveProperty('target.live')
  })

  it('answers every /fluxgate command on a pull request, looks the pull request up for the Approve button, and skips other comments', () => {
    expect(jobOf('issue_comment', prCommentEvent(t, '/fluxgate approve', 'alice'), {}, none)).toMatchObject({ kind: 'command', issue: 7, command: { kind: 'approve', sha: '' }, comment: { body: '/fluxgate approve', by: 'alice' } })
    expect(jobOf('issue_comment', prCommentEvent(t, '/fluxgate plan', 'alice'), {}, none)).toMatchObject({ kind: 'command', command: { kind: 'plan' } })
    expect(jobOf('issue_comment', prCommentEvent(t, '/Fluxgate help', 'alice'), {}, none)).toMatchObject({ kind: 'command', command: { kind: 'help' } })
    expect(jobOf('issue_comment', prCommentEvent(t, '/fluxgate deploy prod', 'alice'), {}, none)).toMatchObject({ kind: 'command', command: { kind: 'unknown', word: 'deploy' } })
    expect(jobOf('issue_comment', prCommentEvent(t, 'looks good', 'alice'), {}, none)).toMatchObject({ kind: 'skip' })
    expect(jobOf('issue_comment', prCommentEvent(t, '/fluxgateplan', 'alice'), {}, none)).toMatchObject({ kind: 'skip' })
    expect(jobOf('issue_comment', example('issue_comment', 'created'), {}, none)).toEqual({ kind: 'skip', reason: 'the comment is not on a pull request' })
    expect(jobOf('check_run', approveButtonEvent(t, 'alice', 1), {}, none)).toEqual({ kind: 'lookup', issue: 7, headSha: t.head.sha, live: { by: 'alice', via: 'check-action' } })
  })

  it('plans a merge-queue head with the queued pull request number', () => {
    expect(jobOf('merge_group', mergeGroupEvent(t, 'q'.repeat(40)), {}, none)).toEqual({ kind: 'merge-group', base: t.base, head: { ref: `refs/heads/gh-readonly-queue/main/pr-7-${t.head.sha}`, sha: 'q'.repeat(40) }, prNumber: 7 })
  })

  it('runs the post-merge step on a push to the default branch only', () => {
    expect(jobOf('push', pushEvent(t, 'c'.repeat(40)), {}, none)).toEqual({ kind: 'post-merge', sha: 'c'.repeat(40), branch: 'main' })
    const other = pushEvent(t, 'c'.repeat(40))
    other.ref = 'refs/heads/feature'
    expect(jobOf('push', other, {}, none)).toMatchObject({ kind: 'skip' })
    expect(jobOf('schedule', {}, {}, none)).toMatchObject({ kind: 'skip' })
  })
})

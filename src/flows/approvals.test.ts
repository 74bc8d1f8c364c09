import type { Permission, ReviewHost } from '../ports/review-host.js'
import { Approvers, collectApprovals, commandRefusal, parseApproveCommand } from './approvals.js'

const HEAD = 'f75cd97aa0000000000000000000000000000001'
const SAME_PREFIX = 'f75cd97bb0000000000000000000000000000002'

describe('parseApproveCommand', () => {
  it.each`
    body                                    | expected
    ${'/fluxgate approve'}                  | ${{ sha: '' }}
    ${'  /Fluxgate   APPROVE  \nthanks'}    | ${{ sha: '' }}
    ${`/fluxgate approve ${HEAD}`}          | ${{ sha: HEAD }}
    ${`/fluxgate approve ${HEAD.toUpperCase()}`} | ${{ sha: HEAD }}
    ${'/fluxgate approve please'}           | ${{ sha: 'please' }}
    ${'LGTM\n/fluxgate approve'}            | ${undefined}
    ${'/fluxgate approved'}                 | ${undefined}
    ${null}                                 | ${undefined}
  `('$body → $expected', ({ body, expected }) => {
    expect(parseApproveCommand(body)).toEqual(expected)
  })
})

describe('commandRefusal: an approval names the full head SHA', () => {
  it('accepts exactly the head SHA', () => {
    expect(commandRefusal({ sha: HEAD }, HEAD)).toBeUndefined()
  })

  it.each`
    sha                 | says
    ${''}               | ${`/fluxgate approve ${HEAD}`}
    ${'f75cd97'}        | ${'abbreviated'}
    ${SAME_PREFIX}      | ${'is not the head'}
    ${'please'}         | ${'not a commit SHA'}
  `('refuses $sha, saying $says', ({ sha, says }) => {
    expect(commandRefusal({ sha }, HEAD)).toContain(says)
  })
})

/** A host whose answers are the given comments, labels and permissions; it records removals. */
function host(opts: { comments?: { id: number; body: string; author: string }[]; labels?: string[]; adder?: string; permissions: Record<string, Permission>; recorded?: { sha: string; by: string; via: string }[] }) {
  const removed: string[] = []
  const asked: string[] = []
  const h: ReviewHost = {
    permission: async (u) => {
      asked.push(u)
      return opts.permissions[u] ?? 'none'
    },
    comments: async () => opts.comments ?? [],
    labels: async () => opts.labels ?? [],
    labelAdder: async () => opts.adder,
    removeLabel: async (_i, l) => void removed.push(l),
    recordedApprovals: async (sha) => (opts.recorded ?? []).filter((a) => a.sha === sha),
    showComment: async () => 'posted',
    showRunning: async () => 'posted',
    publishCheck: async () => ({ kind: 'none', reason: '' }),
    react: async () => {},
    reply: async () => {},
  }
  return { h, removed, asked }
}

describe('collectApprovals', () => {
  it('counts a full-SHA comment by a writer, and nothing by readers, the author, or abbreviations', async () => {
    const { h } = host({
      permissions: { alice: 'write', bob: 'admin', mallory: 'read', carol: 'triage' },
      comments: [
        { id: 1, body: `/fluxgate approve ${HEAD}`, author: 'alice' },
        { id: 2, body: `/fluxgate approve ${HEAD}`, author: 'mallory' },
        { id: 3, body: `/fluxgate approve ${HEAD}`, author: 'bob' },
        { id: 4, body: '/fluxgate approve f75cd97', author: 'carol' },
      ],
    })

    const out = await collectApprovals(h, { issue: 7, headSha: HEAD, label: 'fluxgate/approved', approvers: new Approvers(h, 'bob'), pushed: false })

    expect(out).toEqual([{ sha: HEAD, by: 'alice', via: 'comment' }])
  })

  it('checks who added the label now, not when it was added', async () => {
    const triage = host({ permissions: { carol: 'triage' }, labels: ['fluxgate/approved'], adder: 'carol' })
    const writer = host({ permissions: { alice: 'maintain' }, labels: ['fluxgate/approved'], adder: 'alice' })

    expect(await collectApprovals(triage.h, { issue: 7, headSha: HEAD, label: 'fluxgate/approved', approvers: new Approvers(triage.h, 'dave'), pushed: false })).toEqual([])
    expect(await collectApprovals(writer.h, { issue: 7, headSha: HEAD, label: 'fluxgate/approved', approvers: new Approvers(writer.h, 'dave'), pushed: false })).toEqual([{ sha: HEAD, by: 'alice', via: 'label' }])
  })

  it('drops a stale label when new commits were pushed', async () => {
    const { h, removed } = host({ permissions: { alice: 'write' }, labels: ['fluxgate/approved'], adder: 'alice' })

    const out = await collectApprovals(h, { issue: 7, headSha: HEAD, label: 'fluxgate/approved', approvers: new Approvers(h, 'dave'), pushed: true })

    expect(out).toEqual([])
    expect(removed).toEqual(['fluxgate/approved'])
  })

  it('re-checks recorded approvals: a writer who lost access no longer approves', async () => {
    const { h } = host({ permissions: { alice: 'read' }, recorded: [{ sha: HEAD, by: 'alice', via: 'check-action' }] })

    expect(await collectApprovals(h, { headSha: HEAD, label: 'x', approvers: new Approvers(h, undefined), pushed: false })).toEqual([])
  })

  it('asks the host about each user once per review', async () => {
    const { h, asked } = host({ permissions: { alice: 'write' }, comments: [1, 2, 3].map((id) => ({ id, body: `/fluxgate approve ${HEAD}`, author: 'alice' })), recorded: [{ sha: HEAD, by: 'alice', via: 'check-action' }] })

    const out = await collectApprovals(h, { issue: 7, headSha: HEAD, label: 'x', approvers: new Approvers(h, undefined), pushed: false })

    expect(out.map((a) => a.via)).toEqual(['check-action', 'comment'])
    expect(asked).toEqual(['alice'])
  })
})

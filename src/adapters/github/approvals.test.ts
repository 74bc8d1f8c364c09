import { parseApproveCommand } from './approvals.js'

describe('parseApproveCommand', () => {
  it.each`
    body                                  | expected
    ${'/fluxgate approve'}                | ${{}}
    ${'  /Fluxgate   APPROVE  \nthanks'}  | ${{}}
    ${'/fluxgate approve 1a2b3c4'}        | ${{ sha: '1a2b3c4' }}
    ${'/fluxgate approve 1A2B3C4D'}       | ${{ sha: '1a2b3c4d' }}
    ${'/fluxgate approve please'}         | ${undefined}
    ${'/fluxgate approve 1a2b'}           | ${undefined}
    ${'LGTM\n/fluxgate approve'}          | ${undefined}
    ${'/fluxgate approved'}               | ${undefined}
    ${null}                               | ${undefined}
  `('$body → $expected', ({ body, expected }) => {
    expect(parseApproveCommand(body)).toEqual(expected)
  })
})

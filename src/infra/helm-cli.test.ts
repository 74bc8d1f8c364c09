import { helmConcurrency } from './helm-cli.js'

describe('helm processes at once', () => {
  it('is one per CPU, at least 2 and at most 8', () => {
    expect([1, 2, 3, 4, 8, 16, 64].map(helmConcurrency)).toEqual([2, 2, 3, 4, 8, 8, 8])
  })

  it('is 2 when the CPU count is not a number a machine has', () => {
    expect([0, Number.NaN, -4, 2.7].map(helmConcurrency)).toEqual([2, 2, 2, 2])
  })
})

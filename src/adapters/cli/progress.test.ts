import { jest } from '@jest/globals'
import type { CliIo } from './io.js'
import { Progress } from './progress.js'

function io(stderrIsTty: boolean, env: Record<string, string> = {}): CliIo & { err: string } {
  const out = { err: '' }
  return Object.assign(out, { stdout: () => {}, stderr: (t: string) => void (out.err += t), env, cwd: '/', isTty: false, stderrIsTty })
}

describe('Progress on stderr', () => {
  beforeEach(() => jest.useFakeTimers())
  afterEach(() => jest.useRealTimers())

  it('says nothing for a run under a second, then the running step with its time, and clears its line at the end', () => {
    const term = io(true)
    const p = new Progress(term)
    p.update('rendering main')
    jest.advanceTimersByTime(900)
    expect(term.err).toBe('')

    p.update('rendering feature')
    jest.advanceTimersByTime(1_300)
    expect(term.err).toContain('\r\u001b[Kfluxgate: rendering feature… 2 s')
    expect(term.err).not.toContain('rendering main')

    p.done()
    expect(term.err.endsWith('\r\u001b[K')).toBe(true)
    const after = term.err
    jest.advanceTimersByTime(5_000)
    expect(term.err).toBe(after)
  })

  it('prints nothing when stderr is not a terminal or TERM is dumb', () => {
    for (const target of [io(false), io(true, { TERM: 'dumb' })]) {
      const p = new Progress(target)
      p.update('rendering')
      jest.advanceTimersByTime(5_000)
      p.done()
      expect(target.err).toBe('')
    }
  })
})

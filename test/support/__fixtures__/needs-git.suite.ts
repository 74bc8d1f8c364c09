import { execFileSync } from 'node:child_process'
import { describeWith } from '../components.js'

// Run only by components.test.ts, with git hidden: two real tests that must never count as passed.
describeWith(['git'], 'a suite that needs git', () => {
  it('runs git', () => {
    expect(execFileSync('git', ['--version'], { encoding: 'utf8' })).toMatch(/^git version/)
  })
  it('runs git again', () => {
    expect(execFileSync('git', ['--version'], { encoding: 'utf8' })).toMatch(/^git version/)
  })
})

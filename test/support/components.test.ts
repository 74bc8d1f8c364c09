import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

interface JestSummary {
  numPassedTests: number
  numFailedTests: number
  numPendingTests: number
}

/** Runs the fixture suite in its own jest, with git hidden from describeWith. */
function runFixture(ci: boolean): { summary: JestSummary; missing: string } {
  const dir = mkdtempSync(join(tmpdir(), 'components-'))
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, FLUXGATE_TEST_HIDE_COMPONENTS: 'git', FLUXGATE_MISSING_COMPONENTS: join(dir, 'missing.txt'), CI: ci ? 'true' : 'false' }
    spawnSync(
      process.execPath,
      ['--experimental-vm-modules', '--no-warnings', 'node_modules/jest/bin/jest.js', '--json', `--outputFile=${join(dir, 'out.json')}`, '--testMatch', '**/test/support/__fixtures__/needs-git.suite.ts'],
      { env, encoding: 'utf8' },
    )
    return { summary: JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8')) as JestSummary, missing: readFileSync(join(dir, 'missing.txt'), 'utf8') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('describeWith, when a real component is missing', () => {
  it('skips the suite (counted as skipped, none passed) and names it for the test script', () => {
    const { summary, missing } = runFixture(false)
    expect({ passed: summary.numPassedTests, failed: summary.numFailedTests, skipped: summary.numPendingTests }).toEqual({ passed: 0, failed: 0, skipped: 2 })
    expect(missing).toBe('a suite that needs git (needs git)\n')
  })

  it('fails the suite under CI=true', () => {
    const { summary } = runFixture(true)
    expect({ passed: summary.numPassedTests, failed: summary.numFailedTests, skipped: summary.numPendingTests }).toEqual({ passed: 0, failed: 1, skipped: 0 })
  })
})

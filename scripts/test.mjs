// Runs jest in ESM mode and ends with the plain line `N passed, N failed`, which CI reads
// (jest's own summary is not among the formats it understands). Suites that could not run
// because a real component is missing on this machine are skipped, counted and named just
// before it; with CI=true such a suite fails instead (see test/support/components.ts).
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = process.cwd()
const cache = join(root, '.cache')
mkdirSync(cache, { recursive: true })
const results = join(cache, 'jest-results.json')
const missing = join(cache, 'missing-components.txt')
rmSync(results, { force: true })
rmSync(missing, { force: true })

const jest = join(root, 'node_modules', 'jest', 'bin', 'jest.js')
const run = spawnSync(
  process.execPath,
  ['--experimental-vm-modules', '--no-warnings', jest, '--json', `--outputFile=${results}`, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, FLUXGATE_MISSING_COMPONENTS: missing } },
)
let passed = 0
let failed = 0
let skipped = 0
if (existsSync(results)) {
  const r = JSON.parse(readFileSync(results, 'utf8'))
  passed = r.numPassedTests
  failed = r.numFailedTests + r.numRuntimeErrorTestSuites
  skipped = r.numPendingTests + r.numTodoTests
}
if (existsSync(missing)) {
  const lines = [...new Set(readFileSync(missing, 'utf8').split('\n').filter(Boolean))]
  console.log(`\nSuites that could not run here (a real component is missing):`)
  for (const l of lines) console.log(`  - ${l}`)
}
if (skipped > 0) console.log(`\n${skipped} skipped`)
console.log(`\n${passed} passed, ${failed} failed`)
process.exit(run.status === 0 && failed === 0 ? 0 : 1)

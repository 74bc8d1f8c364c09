import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden')

/**
 * Compares `actual` with test/plan/golden/NAME. A missing file fails: goldens are written only
 * by `npm run test:update-goldens` (UPDATE_GOLDENS=1), whose diff is reviewed before committing.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(goldenDir, name)
  if (process.env['UPDATE_GOLDENS'] === '1') {
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
  } else if (!existsSync(file)) {
    throw new Error(`golden file test/plan/golden/${name} is missing: write it with \`npm run test:update-goldens\` and review it`)
  }
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

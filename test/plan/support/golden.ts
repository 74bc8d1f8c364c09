import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const goldenDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'golden')

/**
 * Compares `actual` with test/plan/golden/NAME. FLUXGATE_UPDATE_GOLDEN=1 rewrites the file
 * (review the diff before committing); a missing file is written, except under CI.
 */
export function expectGolden(name: string, actual: string): void {
  const file = join(goldenDir, name)
  const update = process.env['FLUXGATE_UPDATE_GOLDEN'] === '1'
  if (update || !existsSync(file)) {
    if (!update && process.env['CI'] === 'true') throw new Error(`golden file ${name} is missing: run with FLUXGATE_UPDATE_GOLDEN=1`)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
  }
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { planChange } from '../../src/core/diff/plan-change.js'
import { renderComment, renderJobSummary, renderJson, renderText } from '../../src/report/index.js'
import { demoFleets } from './support/demo-fleet.js'

// Golden files: regenerate with FLUXGATE_UPDATE_GOLDEN=1 and review the diff before committing.
const here = dirname(fileURLToPath(import.meta.url))
const update = process.env['FLUXGATE_UPDATE_GOLDEN'] === '1'

function golden(name: string, actual: string): void {
  const file = join(here, 'golden', name)
  if (update || !existsSync(file)) {
    if (!update && process.env['CI'] === 'true') throw new Error(`golden file ${name} is missing`)
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, actual)
  }
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('plan presenters on the demo fleet (golden files)', () => {
  const { base, head } = demoFleets()
  const plan = planChange(base, head, { baseRef: 'main', headRef: 'envoy-gateway' })

  it('renders the PR comment', () => {
    const parts = renderComment(plan)

    expect(parts).toHaveLength(1)
    golden('demo-comment.md', parts[0]!)
  })

  it('renders the job summary, the JSON report and plain text', () => {
    golden('demo-job-summary.md', renderJobSummary(plan))
    golden('demo.json', renderJson(plan))
    golden('demo.txt', renderText(plan, { color: false }))
  })

  it('splits the same plan into parts with a table of contents when the limit is small', () => {
    const parts = renderComment(plan, { maxChars: 6_000 })

    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(6_000)
    golden('demo-comment-split.md', parts.join('\n\n<!-- ===== next comment ===== -->\n\n'))
  })
})
